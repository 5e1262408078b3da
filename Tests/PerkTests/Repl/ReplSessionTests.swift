import XCTest
@testable import Perk

/// The REPL's engine on the three-customer test shop, as of 2025-03-01:
/// C001 王芳 (VIP, 3 orders before the day, 71.50 spent), C002 Li Na (GOLD,
/// 1 order before, 18.00, and one on the day), C003 Emily Zhang (MEMBER, none).
final class ReplSessionTests: XCTestCase {
    private func run(_ text: String) -> String {
        var transcript = ReplTranscript()
        return transcript.run(text)
    }

    func testExpressionsOnTheirOwn() {
        let cases: [(String, String)] = [
            ("2 + 3", "5\n"),
            ("0.1 + 0.2", "0.3\n"),
            ("today", "2025-03-01\n"),
            ("date(\"2025-03-01\") + 30 days", "2025-03-31\n"),
            ("weekday(today)", "Saturday\n"),
            ("1 / 0 + 1", ""),
            // Depending on the customer: across all of them.
            ("visit_count >= 1", "true for 2 of 3 customers (66.7%), false for 1, unknown for 0\n"),
            ("days_since_visit > 3", "true for 1 of 3 customers (33.3%), false for 1, unknown for 1\n"),
            ("total_spend", "over 3 customers: min 0, average 29.83, max 71.5\n"),
            ("last_visit", "over 3 customers: min 2025-02-25, max 2025-02-27; missing for 1\n"),
            ("member.tier", "over 3 customers: 3 distinct values, most common MEMBER (1), GOLD (1), VIP (1)\n"),
        ]
        for (line, expected) in cases where !expected.isEmpty {
            XCTAssertEqual(run(line), expected, line)
        }
        XCTAssertTrue(run("1 / 0 + 1").contains("error[P104]: division by zero"))
    }

    func testLoadingAFileWithTestsSaysTheyAreRunByPerkTest() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("repl-tests-\(UUID().uuidString).perk").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
            rule "Gold" when member.tier == GOLD then tag "g"

            test "A gold member is tagged"
              customers
                | customer_id | tier |
                | C1          | GOLD |
              on 2025-03-01
              expect "Gold" for C1: tag "g"

            """.write(toFile: path, atomically: true, encoding: .utf8)
        let out = run(":load \(path)")
        XCTAssertTrue(out.hasPrefix("loaded 1 file: 1 rule, 0 defines, 0 campaigns; 1 test, which `perk test` runs\n"), out)
    }

    func testCountsAndLists() {
        XCTAssertEqual(run("count customers where member.tier >= GOLD"), "2 of 3 customers (66.7%)\n")
        XCTAssertEqual(run("count customers"), "3 of 3 customers (100.0%)\n")
        // Unknown is not true: C003 has no orders, so no days_since_visit.
        XCTAssertEqual(run("count customers where not (days_since_visit <= 3)"), "1 of 3 customers (33.3%)\n")
        XCTAssertEqual(run("count customers where member.tier == VIP and member.birthday is missing"), "0 of 3 customers (0.0%)\n")
        XCTAssertEqual(run("customers where visit_count >= 1 and member.points > 10"), """
        2 of 3 customers (66.7%)

        customer_id  name   tier  visit_count  points
        -----------  -----  ----  -----------  ------
        C001         王芳   VIP             3     120
        C002         Li Na  GOLD            1      18

        """)
        XCTAssertEqual(run("customers where member.tier == SILVER"), "0 of 3 customers (0.0%)\n")
    }

    func testTopSortsHighestFirstWithTiesInIdOrder() {
        XCTAssertEqual(run("top 3 customers by member.open_complaints"), """
        top 3 of 3 customers by open_complaints

        rank  customer_id  name         tier    open_complaints
        ----  -----------  -----------  ------  ---------------
           1  C002         Li Na        GOLD                  1
           2  C001         王芳         VIP                   0
           3  C003         Emily Zhang  MEMBER                0

        """)
        // Customers with no value are left out; amounts line up to the cent.
        XCTAssertEqual(run("top 5 customers by avg_order_value where member.tier >= MEMBER"), """
        top 2 of 2 customers by avg_order_value (1 with no value left out)

        rank  customer_id  name   tier  avg_order_value
        ----  -----------  -----  ----  ---------------
           1  C001         王芳   VIP             23.83
           2  C002         Li Na  GOLD            18.00

        """)
        XCTAssertTrue(run("top 3 customers by member.tier").contains("   1  C001"))
        XCTAssertTrue(run("top 3 customers by [1, 2]").contains("error[R007]: cannot sort customers by a list of number"))
    }

    func testGroupsCountShareAndSpend() {
        XCTAssertEqual(run("group customers by member.tier"), """
        3 groups of all 3 customers, spend as of 2025-03-01

        tier    customers   share  total spend  avg spend
        ------  ---------  ------  -----------  ---------
        MEMBER          1   33.3%         0.00       0.00
        GOLD            1   33.3%        18.00      18.00
        VIP             1   33.3%        71.50      71.50
        all             3  100.0%        89.50      29.83

        """)
        XCTAssertEqual(run("group customers by member.sugar_pref where member.points > 0"), """
        2 groups of 2 of 3 customers (66.7%), spend as of 2025-03-01

        sugar_pref  customers   share  total spend  avg spend
        ----------  ---------  ------  -----------  ---------
        less                1   50.0%        71.50      71.50
        normal              1   50.0%        18.00      18.00
        all                 2  100.0%        89.50      44.75

        """)
        // Booleans group too: C002's birthday is missing.
        XCTAssertTrue(run("group customers by member.birthday is missing").contains("""
        false                               2   66.7%        71.50      35.75
        true                                1   33.3%        18.00      18.00
        """))
    }

    func testCustomerProfile() {
        XCTAssertEqual(run("customer \"C002\""), """
        Customer C002 (Li Na), as of 2025-03-01

        attribute               value
        ----------------------  ----------
        member.name             Li Na
        member.tier             GOLD
        member.birthday         missing
        member.joined           2025-02-20
        member.points           18
        member.sms_opt_in       false
        member.wechat_opt_in    true
        member.sugar_pref       normal
        member.open_complaints  1

        derived field           value
        ----------------------  ---------------
        days_since_visit        4
        days_since_first_visit  4
        visit_count             1
        total_spend             18
        avg_order_value         18
        first_visit             2025-02-25
        last_visit              2025-02-25
        favorite_item           Oolong Milk Tea

        Latest 1 of 1 order before 2025-03-01; 1 more on or after 2025-03-01, not counted

        ordered_at  amount  items            channel
        ----------  ------  ---------------  -------
        2025-02-25   18.00  Oolong Milk Tea  app

        """)
        XCTAssertTrue(run("customer C003").contains("No orders before 2025-03-01."))
        XCTAssertEqual(run("customer \"c002\""), """
        <line 1>:1:10: error[R003]: no customer `c002` in test customers; did you mean `C002`?
          |
        1 | customer "c002"
          |          ^^^^^^

        """)
    }

    /// A bad line gets the same diagnostic as the linter would print, and the
    /// session goes on.
    func testErrorsDoNotEndTheSession() {
        XCTAssertEqual(run("count customers where member.tier == VIPP\ncount customers where member.tier == VIP"), """
        <line 1>:1:38: error[P103]: `VIPP` is not a tier; did you mean `VIP`?
          |
        1 | count customers where member.tier == VIPP
          |                                      ^^^^
          = help: tier is one of MEMBER, SILVER, GOLD, VIP
        1 of 3 customers (33.3%)

        """)
        XCTAssertTrue(run("customers where visit_count").contains("error[P112]: a condition must be true or false, but this is a number"))
        XCTAssertTrue(run("2 +\n\n3").hasSuffix("3\n"), "an empty line ends an unfinished entry as it stands")
        XCTAssertTrue(run(":frobnicate").contains("error[R001]"))
        XCTAssertTrue(run(":asof 2025-02-30").contains("error[R005]: `2025-02-30` is not a date"))
    }

    /// A line that is wrong before its open bracket is answered at once; the
    /// lines after it are entries of their own.
    func testAWrongLineWithAnOpenBracketDoesNotSwallowTheNext() {
        var t = ReplTranscript()
        XCTAssertEqual(t.run("this is not (( valid", more: true), """
        <line 1>:1:13: error[P002]: expected `missing` or `present` after `is`, found `(`
          |
        1 | this is not (( valid
          |             ^

        """)
        XCTAssertFalse(t.session.isContinuing)
        XCTAssertEqual(t.run("2 + 3\ncount customers where (member.tier == VIP\n  or member.tier == GOLD)"),
                       "5\n2 of 3 customers (66.7%)\n")
        // Wrong, then unfinished: still wrong, at once.
        XCTAssertTrue(t.run("when visit_count >> 3 and (", more: true).hasPrefix("<line 5>:1:19: error[P004]"))
        XCTAssertFalse(t.session.isContinuing)
    }

    /// A multi-line entry is one line of history: comments and indentation go.
    func testHistoryKeepsAnEntryAsOneLine() {
        XCTAssertEqual(ReplSession.historyLine(["count customers where member.tier == VIP"]), "count customers where member.tier == VIP")
        XCTAssertEqual(ReplSession.historyLine(["rule \"VIP treat\"  # a note", "  when member.tier == VIP", "", "  then tag \"# not a comment\""]),
                       "rule \"VIP treat\" when member.tier == VIP then tag \"# not a comment\"")
        XCTAssertEqual(ReplSession.historyLine(["2 +", "  3"]), "2 + 3")
    }

    func testRulesTypedInTheSession() {
        var t = ReplTranscript()
        // Several lines: nothing is said until the rule is whole.
        XCTAssertEqual(t.run("rule \"VIP treat\"\n  when member.tier == VIP", more: true), "")
        XCTAssertTrue(t.session.isContinuing)
        XCTAssertEqual(t.run("  then send coupon 20 via sms"), "added rule \"VIP treat\": 1 of 3 customers (33.3%) match on 2025-03-01\n")
        // A clause on the next line adds to it.
        XCTAssertEqual(t.run("  limit once per customer"), "updated rule \"VIP treat\": 1 of 3 customers (33.3%) match on 2025-03-01\n")
        XCTAssertEqual(t.session.program.rules.first?.lifetimeLimit, 1)
        // Typing it again replaces it.
        XCTAssertEqual(t.run("rule \"VIP treat\" when member.tier >= GOLD then send coupon 20"),
                       "replaced rule \"VIP treat\": 2 of 3 customers (66.7%) match on 2025-03-01\n")
        XCTAssertEqual(t.session.program.rules.count, 1)
        XCTAssertEqual(t.run("define regular = visit_count >= 3"), "added define regular: true for 1 of 3 customers (33.3%) on 2025-03-01\n")
        XCTAssertEqual(t.run("when regular then tag \"regular\""), "added rule \"<line 7>:1\": 1 of 3 customers (33.3%) match on 2025-03-01\n")
        XCTAssertEqual(t.run("count customers where regular"), "1 of 3 customers (33.3%)\n")
        XCTAssertEqual(t.run(":rules"), """
        2 rules, in the order they run; matches on 2025-03-01:

        rule        priority  campaign  written at  matches
        ----------  --------  --------  ----------  -------
        VIP treat          0            <line 5>:1        2
        <line 7>:1         0            <line 7>:1        1

        define   type     written at
        -------  -------  ----------
        regular  boolean  <line 6>:1

        """)
        // A rule that does not check is reported and not added.
        XCTAssertEqual(t.run("when visit_count > \"3\" then tag \"x\""), """
        <line 10>:1:6: error[P102]: cannot compare `visit_count` (a number) with `"3"` (a text)
          |
        1 | when visit_count > "3" then tag "x"
          |      ^^^^^^^^^^^^^^^^^

        """)
        XCTAssertEqual(t.session.program.rules.count, 2)
        XCTAssertEqual(t.run("every 7 days"), """
        <line 11>:1:1: error[R006]: `every` continues a rule or campaign, but the line before did not add one
          |
        1 | every 7 days
          | ^^^^^
          = help: write `every` on the line right after the rule or campaign it belongs to, or inside it

        """)
    }

    /// Warnings explain a surprising answer, once: a later entry does not repeat
    /// the warnings of the rules checked again with it.
    func testWarningsComeWithTheAnswerOnce() {
        var t = ReplTranscript()
        XCTAssertEqual(t.run("count customers where any(orders where items contains \"Olong Milk Tea\")"), """
        <line 1>:1:55: warning[P115]: no order has the item "Olong Milk Tea"; did you mean "Oolong Milk Tea"?
          |
        1 | count customers where any(orders where items contains "Olong Milk Tea")
          |                                                       ^^^^^^^^^^^^^^^^
          = help: item names must match the orders' items exactly
        0 of 3 customers (0.0%)

        """)
        XCTAssertTrue(t.run("when any(orders where items contains \"Oolong Tea\") then tag \"x\"").contains("warning[P115]"))
        XCTAssertEqual(t.run("when visit_count > 2 then tag \"y\""), "added rule \"<line 3>:1\": 1 of 3 customers (33.3%) match on 2025-03-01\n")
    }

    func testPlanAndExplanation() {
        var t = ReplTranscript()
        _ = t.run("rule \"Treat\" when member.tier >= GOLD then send coupon 20 via sms")
        XCTAssertEqual(t.run(":run"), """
        Action plan for 2025-03-01

        customer_id  name  rule   action  value  channel
        -----------  ----  -----  ------  -----  -------
        C001         王芳  Treat  coupon  20     sms

        1 action for 1 customer (of 3).

        rule   customers
        -----  ---------
        Treat          1

        1 skipped: no consent for the channel

        """)
        XCTAssertEqual(t.run(":explain Treat C002"), """
        Rule "Treat" for customer C002 (Li Na), as of 2025-03-01

        member.tier >= GOLD  true
        └─ member.tier       GOLD

        Held back: the condition holds, but no consent for sms: member.sms_opt_in is false.

        """)
        XCTAssertTrue(t.run(":explain Treet C002").contains("error[R004]: no rule \"Treet\" in this session; did you mean \"Treat\"?"))
        XCTAssertTrue(t.run(":explain Treat").contains("error[R002]: `:explain` needs a rule and a customer"))
    }

    func testTheDayCanChange() {
        var t = ReplTranscript()
        XCTAssertEqual(t.run("count customers where days_since_visit >= 4"), "1 of 3 customers (33.3%)\n")
        XCTAssertEqual(t.run(":asof 2025-03-05"), "evaluating as of 2025-03-05\n")
        // C001's last visit is 6 days back; C002's order of 03-01 now counts: 4 days.
        XCTAssertEqual(t.run("count customers where days_since_visit >= 4"), "2 of 3 customers (66.7%)\n")
        XCTAssertEqual(t.run("today"), "2025-03-05\n")
        XCTAssertEqual(t.run(":asof"), "evaluating as of 2025-03-05\n")
    }

    func testQuitEndsTheSession() {
        var t = ReplTranscript()
        XCTAssertEqual(t.session.feed(":quit")?.quit, true)
        XCTAssertEqual(t.session.feed("2 + 3")?.quit, false)
    }

    func testTabCompletions() {
        var t = ReplTranscript()
        _ = t.run("define regular = visit_count >= 3\nrule \"VIP treat\" when member.tier == VIP then tag \"x\"")
        func complete(_ line: String) -> [String] { t.session.completions(line, cursor: line.count).candidates }
        XCTAssertEqual(complete("customers where member.ti"), ["tier"])
        XCTAssertEqual(complete("customers where member.tier == V"), ["VIP"])
        XCTAssertEqual(complete("customers where days_since_"), ["days_since_first_visit", "days_since_visit"])
        XCTAssertEqual(complete("count customers where reg"), ["regular"])
        XCTAssertEqual(complete("cu"), ["customer", "customers"])
        XCTAssertEqual(complete(":ex"), [":explain"])
        XCTAssertEqual(complete(":explain VIP"), ["\"VIP treat\""])
        XCTAssertEqual(complete(":explain \"VIP treat\" C00"), ["C001", "C002", "C003"])
        XCTAssertEqual(complete("count customers where any(orders where chan"), ["channel"])
        XCTAssertEqual(complete("count customers where chan"), [])
        XCTAssertEqual(complete("customer \"C0"), [], "nothing to complete inside quotes")
        // The cursor may stand inside the line.
        XCTAssertEqual(t.session.completions("member.ti == VIP", cursor: 9), Completion(start: 7, candidates: ["tier"]))
    }
}
