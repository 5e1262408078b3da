import XCTest
@testable import Perk

/// A campaign run live, one committed day after another, must decide exactly
/// as `perk simulate` decides over the same days: the journal is the
/// simulator's memory of its earlier days, kept on disk. These tests commit
/// day after day through a real journal folder and compare every decision.
final class JournalEquivalenceTests: XCTestCase {
    /// The example rules, except the tier upgrade: a `set tier` changes the
    /// data in a simulation but not in the data a live run reads the next day.
    /// (Points change too, but no rule reads them.)
    func testDailyCommitsOfTheExampleRulesEqualTheSimulation() throws {
        let files = RuleSources.perkFiles(in: Repository.path("rules")).filter { !$0.hasSuffix("tier-upgrade.perk") }
        let (sources, problems) = RuleSources.load(files)
        XCTAssertTrue(problems.isEmpty)
        let program = try XCTUnwrap(Compiler.compile(sources, schema: Repository.sampleSchema).program)
        let outcome = try compare(program, data: Repository.sampleShop, from: "2025-12-13", to: "2026-01-01")
        // The New Year recall campaign (budget, holdout, exclusive) and cooldowns all took part.
        for status in [DecisionStatus.sent, .heldOut, .skippedCooldown, .skippedConsent, .skippedLimit] {
            XCTAssertGreaterThan(outcome.counts[status, default: 0], 0, "\(status)")
        }
    }

    /// Every control, a contact policy that counts earlier days' contacts,
    /// and a budget that runs out in the middle of a day.
    func testDailyCommitsWithEveryControlEqualTheSimulation() throws {
        let program = try SimulationShop.program("""
        rule "Second coupon" priority 9
          when visit_count >= 3 then send coupon 5 via sms limit 2 per customer
        rule "Lapsed hello"
          when days_since_visit > 20 then send message "hello" via wechat, tag "lapsed" every 7 days
        rule "Gold treat" priority 3
          when member.tier >= GOLD then send coupon 10 limit twice per customer every 14 days
        rule "Silver treat" priority 2
          when member.tier >= SILVER then send coupon "TOPPING" worth 8, send coupon 2 limit once per customer every 10 days
        rule "Watch list"
          when visit_count > 100 limit once per customer
        campaign "Treats" budget 1500 holdout 10% exclusive rules "Gold treat", "Silver treat"
        contact policy: at most 2 contacts per customer every 5 days
        """, data: Repository.sampleShop)
        let outcome = try compare(program, data: Repository.sampleShop, from: "2025-11-26", to: "2025-12-09")
        for status in [DecisionStatus.sent, .heldOut, .skippedLimit, .skippedCooldown, .skippedConsent, .skippedContactCap,
                       .skippedExclusive, .skippedBudget] {
            XCTAssertGreaterThan(outcome.counts[status, default: 0], 0, "\(status)")
        }
        XCTAssertTrue(outcome.budgetRanOutMidDay, "the budget should run out part way through a day")
    }

    // MARK: Helpers

    struct Outcome {
        var counts: [DecisionStatus: Int] = [:]
        var budgetRanOutMidDay = false
    }

    /// Simulates the period, then runs and commits each day of it in turn to
    /// a fresh journal, reading the journal back from disk every day, and
    /// compares the decisions day by day: customer, rule and status.
    private func compare(_ program: CheckedProgram, data: DataSet, from: String, to: String,
                         file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let simulated = try SimulationShop.simulate(program, data: data, from: from, to: to, workers: 2)
        var expected: [LocalDate: [String]] = [:]
        for d in simulated.decisions {
            expected[d.day, default: []].append("\(data.customers.ids[d.customer]) \(program.rules[d.rule].name) \(d.status.rawValue)")
        }

        let scratch = try PerkProcess.folder([:])
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = JournalFolder(path: scratch.appendingPathComponent("journal").path)
        let interpreter = Interpreter(customers: data.customers, orders: data.orders)
        var outcome = Outcome()
        var codes = Set<String>()
        for day in try SimulationShop.day(from)...(try SimulationShop.day(to)) {
            let (history, problems) = JournalHistory.read(folder, customers: data.customers)
            let journal = try XCTUnwrap(history, "\(problems)", file: file, line: line)
            let plan = try ActionPlan.make(program: program, interpreter: interpreter, day: day, journal: journal, workers: 2)
            try folder.commit(plan, program: program, customers: data.customers)

            let committed = try XCTUnwrap(journal.rows(of: day, customers: data.customers).0)
            var live: [String] = []
            var previous: (String, String)?
            var campaignsSent: Set<String> = []
            for row in committed {
                if previous.map({ $0 != (row.customerID, row.rule) }) ?? true {
                    live.append("\(row.customerID) \(row.rule) \(row.status.rawValue)")
                    outcome.counts[row.status, default: 0] += 1
                    if row.status == .sent { campaignsSent.insert(row.campaign) }
                    // A refusal after the campaign sent that day: the budget ran out part way through it.
                    if row.status == .skippedBudget, campaignsSent.contains(row.campaign) { outcome.budgetRanOutMidDay = true }
                }
                previous = (row.customerID, row.rule)
                if !row.couponCode.isEmpty { XCTAssertTrue(codes.insert(row.couponCode).inserted, "code \(row.couponCode) issued twice") }
            }
            let want = expected[day] ?? []
            guard live == want else {
                let k = zip(live, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(live.count, want.count)
                XCTFail("\(day): first difference at decision \(k): live \(k < live.count ? live[k] : "none"), "
                        + "simulated \(k < want.count ? want[k] : "none")", file: file, line: line)
                return outcome
            }
        }
        return outcome
    }
}
