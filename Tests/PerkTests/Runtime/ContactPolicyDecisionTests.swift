import XCTest
@testable import Perk

/// Contact policies in `DecisionEngine`, on the test shop, worked out by hand.
/// C001 takes sms and wechat; C002 only wechat (sms false); C003 only wechat
/// (sms empty). Today is 2025-03-01.
final class ContactPolicyDecisionTests: XCTestCase {
    private func program(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> CheckedProgram {
        let c = TestShop.compile(source)
        return try XCTUnwrap(c.program, DiagnosticRenderer().render(c.diagnostics), file: file, line: line)
    }

    /// Each customer's decisions on `day`, as `rule status` (with the stopping
    /// policy's index for `skipped_contact_cap`), one string per customer.
    private func decide(_ program: CheckedProgram, engine: inout DecisionEngine, day: LocalDate = TestShop.today) throws -> [String] {
        let interpreter = TestShop.interpreter
        let rules = engine.activeRules(on: day)
        return try (0..<interpreter.customers.count).map { c in
            try engine.decide(customer: c, day: day, rules: rules, interpreter: interpreter).map { d in
                "\(program.rules[d.rule].name) \(d.status.rawValue)" + (d.contactPolicy.map { "#\($0)" } ?? "")
            }.joined(separator: ", ")
        }
    }

    private func decide(_ source: String, day: LocalDate = TestShop.today) throws -> [String] {
        let p = try program(source)
        var engine = DecisionEngine(program: p, customers: TestShop.customers.count)
        return try decide(p, engine: &engine, day: day)
    }

    private static let wechatRules = """
    rule "a" priority 3 when true then send message "a" via wechat
    rule "b" priority 2 when true then send message "b" via wechat
    rule "c" priority 1 when true then send message "c" via wechat
    """

    func testTwoContactsFitAPolicyOfTwoAndTheThirdIsStopped() throws {
        let policy = "contact policy: at most 2 contacts per customer every 30 days\n"
        let two = try decide(policy + Self.wechatRules.split(separator: "\n").prefix(2).joined(separator: "\n"))
        XCTAssertEqual(two, Array(repeating: "a sent, b sent", count: 3))
        let three = try decide(policy + Self.wechatRules)
        XCTAssertEqual(three, Array(repeating: "a sent, b sent, c skipped_contact_cap#0", count: 3))
    }

    func testAChannelPolicyStopsSmsButNotWechat() throws {
        let rows = try decide("""
        contact policy: at most 1 contact per customer every 7 days via sms
        rule "sms 1" priority 3 when true then send coupon 5 via sms
        rule "sms 2" priority 2 when true then send message "s" via sms
        rule "wechat" priority 1 when true then send message "w" via wechat
        """)
        XCTAssertEqual(rows, [
            "sms 1 sent, sms 2 skipped_contact_cap#0, wechat sent",
            // No consent for sms: consent comes first, and nothing uses the allowance.
            "sms 1 skipped_consent, sms 2 skipped_consent, wechat sent",
            "sms 1 skipped_consent, sms 2 skipped_consent, wechat sent",
        ])
    }

    func testAccountOnlyRulesAreNeverStoppedAndUseNoAllowance() throws {
        let rows = try decide("""
        contact policy: at most 1 contact per customer every 30 days
        rule "message" priority 9 when true then send message "m" via wechat
        rule "account coupon" priority 8 when true then send coupon 5
        rule "points" priority 7 when true then award points 5
        rule "tier" priority 6 when true then set tier GOLD
        rule "tag and staff" priority 5 when true then tag "t", notify staff "call"
        rule "second message" priority 4 when true then send message "m2" via wechat
        """)
        XCTAssertEqual(rows, Array(repeating: "message sent, account coupon sent, points sent, tier sent, tag and staff sent, "
                                             + "second message skipped_contact_cap#0", count: 3))
        let accountFirst = try decide("""
        contact policy: at most 1 contact per customer every 30 days
        rule "account" priority 9 when true then send coupon 5, award points 5
        rule "message" priority 1 when true then send message "m" via wechat
        """)
        XCTAssertEqual(accountFirst, Array(repeating: "account sent, message sent", count: 3))
    }

    func testHeldOutDecisionsDoNotUseTheAllowance() throws {
        // A campaign under which C001 is held out at 50% and C002 is not.
        let name = try XCTUnwrap((0..<100).map { "c\($0)" }.first {
            Holdout.isHeldOut(customerID: "C001", campaign: $0, percent: Number(50))
                && !Holdout.isHeldOut(customerID: "C002", campaign: $0, percent: Number(50))
        })
        let rows = try decide("""
        contact policy: at most 1 contact per customer every 30 days
        rule "in campaign" priority 2 when true then send message "h" via wechat
        rule "after" priority 1 when true then send message "x" via wechat
        campaign "\(name)" holdout 50% rules "in campaign"
        """)
        XCTAssertEqual(rows[0], "in campaign held_out, after sent", "nobody was contacted, so the allowance is still there")
        XCTAssertEqual(rows[1], "in campaign sent, after skipped_contact_cap#0")
    }

    func testPriorityDecidesWhoClaimsTheAllowanceFirst() throws {
        let lowFirstInFile = try decide("""
        contact policy: at most once per customer every 30 days
        rule "low" priority 1 when true then send message "l" via wechat
        rule "high" priority 5 when true then send message "h" via wechat
        """)
        XCTAssertEqual(lowFirstInFile, Array(repeating: "high sent, low skipped_contact_cap#0", count: 3))
        let swapped = try decide("""
        contact policy: at most once per customer every 30 days
        rule "low" priority 5 when true then send message "l" via wechat
        rule "high" priority 1 when true then send message "h" via wechat
        """)
        XCTAssertEqual(swapped, Array(repeating: "low sent, high skipped_contact_cap#0", count: 3))
    }

    func testTheFirstFullPolicyStopsTheRule() throws {
        let wechatFullFirst = try decide("""
        contact policy: at most 3 contacts per customer every 30 days
        contact policy: at most 1 contact per customer every 7 days via wechat
        rule "w1" priority 2 when true then send message "1" via wechat
        rule "w2" priority 1 when true then send message "2" via wechat
        """)
        XCTAssertEqual(wechatFullFirst, Array(repeating: "w1 sent, w2 skipped_contact_cap#1", count: 3))
        let bothFull = try decide("""
        contact policy: at most 1 contact per customer every 30 days
        contact policy: at most 1 contact per customer every 7 days via wechat
        rule "w1" priority 2 when true then send message "1" via wechat
        rule "w2" priority 1 when true then send message "2" via wechat
        """)
        XCTAssertEqual(bothFull, Array(repeating: "w1 sent, w2 skipped_contact_cap#0", count: 3))
    }

    /// The policy's window is the days d-P+1 through d, as a cooldown's: a
    /// contact on d-P+1 still counts, one on d-P no longer does.
    func testTheWindowSlides() throws {
        let p = try program("""
        contact policy: at most 1 contact per customer every 7 days
        rule "w" when member.tier == VIP then send message "w" via wechat
        """)
        var engine = DecisionEngine(program: p, customers: TestShop.customers.count)
        var statuses: [String] = []
        for offset in 0..<9 {
            statuses.append(try decide(p, engine: &engine, day: TestShop.today.advanced(by: offset))[0])
        }
        XCTAssertEqual(statuses, ["w sent"] + Array(repeating: "w skipped_contact_cap#0", count: 6) + ["w sent", "w skipped_contact_cap#0"])

        // A month back lands on the same day of the month, as `every 1 month` does for a cooldown.
        let monthly = try program("""
        contact policy: at most 1 contact per customer every 1 month
        rule "w" when member.tier == VIP then send message "w" via wechat
        """)
        var monthEngine = DecisionEngine(program: monthly, customers: TestShop.customers.count)
        let days = ["2025-01-31", "2025-02-28", "2025-03-01", "2025-03-02"].compactMap { LocalDate(parsing: $0) }
        XCTAssertEqual(try days.map { try decide(monthly, engine: &monthEngine, day: $0)[0] },
                       ["w sent", "w skipped_contact_cap#0", "w sent", "w skipped_contact_cap#0"])
    }

    func testRememberedContactsCountInTheirWindow() throws {
        let p = try program("""
        contact policy: at most 2 contacts per customer every 30 days
        rule "w" when true then send message "w" via wechat
        """)
        let today = TestShop.today
        func past(_ daysAgo: Int, customer: Int, _ status: DecisionStatus = .sent, channels: Channels = [.sms]) -> PastDecision {
            PastDecision(day: today.advanced(by: -daysAgo), customer: customer, rule: nil, status: status, channels: channels)
        }
        var engine = DecisionEngine(program: p, customers: 3)
        // C001: two contacts within the 30 days (the oldest on d-29, the window's first day).
        engine.remember(past(29, customer: 0))
        engine.remember(past(3, customer: 0, channels: [.wechat, .sms]))
        // C002: the older one is on d-30, outside the window; a held-out one and
        // an account-only one were no contacts.
        engine.remember(past(30, customer: 1))
        engine.remember(past(10, customer: 1, .heldOut))
        engine.remember(past(9, customer: 1, channels: []))
        engine.remember(past(8, customer: 1))
        XCTAssertEqual(engine.contactDays(policy: 0, customer: 0).map(\.description), ["2025-01-31", "2025-02-26"])
        XCTAssertEqual(engine.contactDays(policy: 0, customer: 1).map(\.description), ["2025-01-30", "2025-02-21"])
        XCTAssertEqual(engine.contactDays(policy: 0, customer: 2), [])
        XCTAssertEqual(try decide(p, engine: &engine), ["w skipped_contact_cap#0", "w sent", "w sent"])
        XCTAssertEqual(engine.contactDays(policy: 0, customer: 1).map(\.description), ["2025-02-21", "2025-03-01"])
    }

    func testRememberedContactsOutsideAPolicysChannelDoNotCount() throws {
        let p = try program("""
        contact policy: at most 1 contact per customer every 30 days via wechat
        rule "w" when true then send message "w" via wechat
        """)
        var engine = DecisionEngine(program: p, customers: 3)
        let yesterday = TestShop.today.advanced(by: -1)
        engine.remember(PastDecision(day: yesterday, customer: 0, rule: nil, status: .sent, channels: [.sms]))
        engine.remember(PastDecision(day: yesterday, customer: 1, rule: nil, status: .sent, channels: [.sms, .wechat]))
        XCTAssertEqual(try decide(p, engine: &engine), ["w sent", "w skipped_contact_cap#0", "w sent"])
    }

    /// `perk run` shows the new status in its summary and its JSON.
    func testThePlanCountsAndShowsTheStoppedDecisions() throws {
        let p = try program("contact policy: at most 2 contacts per customer every 30 days\n" + Self.wechatRules)
        let plan = try ActionPlan.make(program: p, interpreter: TestShop.interpreter, day: TestShop.today)
        XCTAssertEqual(plan.statusCounts[.skippedContactCap], 3)
        XCTAssertEqual(plan.entries.count, 6)
        let report = PlanReport(plan: plan, program: p, customers: TestShop.customers)
        XCTAssertTrue(report.summary().contains("\n3 skipped: contact policy reached\n"), report.summary())
        XCTAssertTrue(report.json().rendered().contains("""
            "skipped_consent": 0,
            "skipped_contact_cap": 3,
            "skipped_exclusive": 0,
        """), report.json().rendered())
    }

    func testStatusOrderPutsTheContactCapAfterConsent() {
        XCTAssertEqual(DecisionStatus.allCases.map(\.rawValue), [
            "skipped_limit", "skipped_cooldown", "skipped_consent", "skipped_contact_cap", "skipped_exclusive", "held_out",
            "skipped_budget", "sent",
        ])
        XCTAssertEqual(DecisionStatus.allCases.map(\.index), Array(0..<8))
        XCTAssertFalse(DecisionStatus.skippedContactCap.counts, "a stopped decision counts for no limit or cooldown")
    }
}
