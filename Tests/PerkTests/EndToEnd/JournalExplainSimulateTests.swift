import Foundation
import XCTest

/// `perk explain --journal` and `perk simulate --journal` on the sample shop,
/// after one committed day on which a rule with a 30-day cooldown sent its
/// coupon: the next day, explain names the day it was sent, and a simulation
/// from the next day differs from one without the journal in exactly those
/// customers' decisions and in what the campaign had spent before.
final class JournalExplainSimulateTests: XCTestCase {
    static let rules = """
    rule "VIP win-back"
      when member.tier == VIP and days_since_visit > 60
      then send coupon 20 via sms
      limit once per customer every 30 days

    campaign "Win-back" budget 1000 rules "VIP win-back"

    """
    static let committed = "2025-12-30"
    static let nextDay = "2025-12-31"

    /// The scratch folder with the rules and `journal`; shared, so no test may change the journal.
    static let scratch: Result<URL, Error> = Result {
        let shop = try PerkProcess.folder(["shop.perk": rules])
        let r = try PerkProcess.run(["run", "shop.perk"] + SampleShopFiles.arguments + ["--as-of", committed, "--journal", "journal", "--commit"],
                                    directory: shop)
        guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return shop
    }

    override class func tearDown() {
        if case .success(let url) = scratch { try? FileManager.default.removeItem(at: url) }
        super.tearDown()
    }

    private var shop: URL { get throws { try Self.scratch.get() } }

    /// The customers the committed day sent the coupon to.
    private func sentOnTheCommittedDay() throws -> [String] {
        let text = try String(contentsOf: try shop.appendingPathComponent("journal/\(Self.committed).csv"), encoding: .utf8)
        return text.split(separator: "\n").map { DayFiles.fields(String($0)) }.filter { $0[6] == "sent" }.map { $0[1] }
    }

    func testExplainNamesTheDayTheCooldownStarted() throws {
        let sent = try sentOnTheCommittedDay()
        XCTAssertTrue(sent.contains("C01548"), "\(sent)")
        let args = ["explain", "shop.perk"] + (try SampleShopFiles.arguments) + ["--customer", "C01548", "--rule", "VIP win-back", "--as-of", Self.nextDay]

        let remembered = try PerkProcess.run(args + ["--journal", "journal"], directory: try shop)
        XCTAssertEqual(remembered.status, 0, remembered.stderr)
        try GoldenFile.check(remembered.stdout, against: Repository.path("Tests/PerkTests/Fixtures/journal/explain-cooldown.expected"),
                             "perk explain --journal")
        XCTAssertTrue(remembered.stdout.contains("Held back: the condition holds, but the rule's cooldown (at most once every 30 days) is used up: "
                                                 + "sent on 2025-12-30, so not again before 2026-01-29."), remembered.stdout)

        // Without the journal, the day alone knows of no coupon sent before.
        let alone = try PerkProcess.run(args, directory: try shop)
        XCTAssertEqual(alone.status, 0, alone.stderr)
        XCTAssertTrue(alone.stdout.contains("Fires: "), alone.stdout)
        XCTAssertFalse(alone.stdout.contains("Held back"), alone.stdout)
    }

    func testSimulateFromTheJournalDiffersExactlyByItsDecisions() throws {
        let sent = try sentOnTheCommittedDay()
        XCTAssertGreaterThanOrEqual(sent.count, 2)
        let journalSpent = Decimal(20 * sent.count)

        func simulate(journal: Bool) throws -> (json: [String: Any], ledger: [String: String]) {
            let ledger = journal ? "with.csv" : "without.csv"
            let r = try PerkProcess.run(["simulate", "shop.perk"] + SampleShopFiles.arguments
                                        + ["--from", Self.nextDay, "--to", "2026-01-01", "--format", "json", "--ledger", ledger]
                                        + (journal ? ["--journal", "journal"] : []), directory: try shop)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertFalse(r.stderr.contains("journal"), r.stderr)
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            // date, customer, rule -> status
            var statuses: [String: String] = [:]
            for line in try String(contentsOf: try shop.appendingPathComponent(ledger), encoding: .utf8).split(separator: "\n").dropFirst() {
                let f = DayFiles.fields(String(line))
                XCTAssertNil(statuses.updateValue(f[6], forKey: "\(f[0]) \(f[1]) \(f[2])"), String(line))
            }
            return (json, statuses)
        }
        let with = try simulate(journal: true), without = try simulate(journal: false)

        // The decisions: the same ones, and only the committed day's customers differ, on the next day.
        XCTAssertEqual(Set(with.ledger.keys), Set(without.ledger.keys))
        var differing: [String: (with: String, without: String)] = [:]
        for (key, status) in with.ledger where without.ledger[key] != status { differing[key] = (status, without.ledger[key] ?? "") }
        XCTAssertEqual(differing.keys.sorted(), sent.map { "\(Self.nextDay) \($0) VIP win-back" }.sorted())
        for (key, pair) in differing {
            XCTAssertEqual(pair.with, "skipped_cooldown", key)
            XCTAssertEqual(pair.without, "sent", key)
        }
        // Later days are the same either way: a cooldown from the journal's day or from the simulation's first.
        for customer in sent { XCTAssertEqual(with.ledger["2026-01-01 \(customer) VIP win-back"], "skipped_cooldown", customer) }

        // The campaign: what the journal spent comes before, and is not spent again.
        func campaign(_ json: [String: Any]) throws -> [String: Any] {
            try XCTUnwrap((json["campaigns"] as? [[String: Any]])?.first { $0["name"] as? String == "Win-back" })
        }
        XCTAssertEqual(decimal(try campaign(with.json)["spent_before"]), journalSpent)
        XCTAssertEqual(decimal(try campaign(without.json)["spent_before"]), 0)
        let spentWith = try XCTUnwrap(decimal(try campaign(with.json)["spent"]))
        let spentWithout = try XCTUnwrap(decimal(try campaign(without.json)["spent"]))
        XCTAssertEqual(spentWithout - spentWith, journalSpent)
        XCTAssertEqual(decimal(try campaign(with.json)["left"]), 1000 - journalSpent - spentWith)

        // The rule's funnel moves exactly those decisions from sent to cooldown.
        func funnel(_ json: [String: Any]) throws -> [String: Int] {
            let rule = try XCTUnwrap((json["rules"] as? [[String: Any]])?.first { $0["name"] as? String == "VIP win-back" })
            return try XCTUnwrap((rule["funnel"] as? [String: Any])?["decisions"] as? [String: Int])
        }
        let f1 = try funnel(with.json), f0 = try funnel(without.json)
        XCTAssertEqual(f0["sent"].map { $0 - sent.count }, f1["sent"])
        XCTAssertEqual(f0["skipped_cooldown"].map { $0 + sent.count }, f1["skipped_cooldown"])
        XCTAssertEqual(f0["matched"], f1["matched"])
    }
}
