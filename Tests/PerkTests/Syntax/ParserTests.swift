import XCTest
@testable import Perk

final class ParserTests: XCTestCase {
    private func parse(_ source: String, path: String = "t.perk") -> (RulesFile, [Diagnostic]) {
        Parser.parse(SourceFile(path: path, text: source))
    }

    private func rendered(_ source: String) -> String {
        DiagnosticRenderer().render(parse(source).1)
    }

    func testSmallestProgram() throws {
        let (file, diagnostics) = parse(Examples.smallest)
        XCTAssertEqual(diagnostics.count, 0)
        guard case .rule(let rule) = try XCTUnwrap(file.declarations.first) else { return XCTFail("not a rule") }
        XCTAssertNil(rule.name)
        XCTAssertEqual(rule.actions.count, 1)
        guard case .binary(.and, let left, let right) = rule.condition?.kind else { return XCTFail("expected and") }
        guard case .binary(.eq, let tier, let vip) = left.kind, case .member(let field) = tier.kind,
              case .name("VIP") = vip.kind else { return XCTFail("expected member.tier == VIP") }
        XCTAssertEqual(field.value, "tier")
        guard case .binary(.gt, _, let thirty) = right.kind, case .number(let n) = thirty.kind else { return XCTFail() }
        XCTAssertEqual(n, Number(30))
        guard case .coupon(let c) = rule.actions[0].kind, case .amount(let amount) = c.value.value else { return XCTFail() }
        XCTAssertEqual(amount, Number(20))
    }

    func testRulesFileExample() throws {
        let (file, diagnostics) = parse(Examples.springWinback)
        XCTAssertEqual(diagnostics.map(\.description), [])
        XCTAssertEqual(file.declarations.count, 7)
        guard case .rule(let vip) = file.declarations[2] else { return XCTFail() }
        XCTAssertEqual(vip.name?.value, "VIP win-back")
        XCTAssertEqual(vip.priority?.value, 10)
        XCTAssertEqual(vip.limit?.count.value, 1)
        XCTAssertEqual(vip.limit?.period?.value, Duration(30, .days))
        guard case .coupon(let c) = vip.actions[0].kind else { return XCTFail() }
        XCTAssertEqual(c.channel?.value, "sms")

        guard case .rule(let birthday) = file.declarations[3], case .dateNear(_, .next, let span)? = birthday.condition?.kind,
              case .duration(let d) = span.kind else { return XCTFail("birthday in next 3 days") }
        XCTAssertEqual(d, Duration(3, .days))
        XCTAssertEqual(birthday.actions.count, 2)

        guard case .rule(let sugar) = file.declarations[4], case .coupon(let pct) = sugar.actions[0].kind,
              case .percent(let p) = pct.value.value else { return XCTFail() }
        XCTAssertEqual(p, Number(15))
        XCTAssertEqual(pct.max?.value, Number(10))
        XCTAssertEqual(pct.validFor?.value, Duration(14, .days))

        guard case .rule(let complaint) = file.declarations[5] else { return XCTFail() }
        XCTAssertEqual(complaint.actions.count, 3)

        guard case .campaign(let campaign) = file.declarations[6] else { return XCTFail() }
        XCTAssertEqual(campaign.name.value, "Spring win-back")
        XCTAssertEqual(campaign.from?.value.description, "2025-03-01")
        XCTAssertEqual(campaign.to?.value.description, "2025-03-31")
        XCTAssertEqual(campaign.budget?.value, Number(5000))
        XCTAssertEqual(campaign.holdout?.value, Number(10))
        XCTAssertNotNil(campaign.exclusive)
        XCTAssertEqual(campaign.rules.map(\.value), ["VIP win-back", "Complaint recovery"])
    }

    func testPrecedence() throws {
        // `not` binds looser than comparison, `and` tighter than `or`, `*` tighter than `+`.
        let (file, d) = parse("when not a > 1 or b and c then tag \"x\"\ndefine y = 1 + 2 * 3")
        XCTAssertTrue(d.isEmpty)
        guard case .rule(let r) = file.declarations[0], case .binary(.or, let left, let right)? = r.condition?.kind,
              case .unary(.not, let cmp) = left.kind, case .binary(.gt, _, _) = cmp.kind,
              case .binary(.and, _, _) = right.kind else { return XCTFail("wrong tree") }
        guard case .define(let def) = file.declarations[1], case .binary(.add, _, let product) = def.value.kind,
              case .binary(.mul, _, _) = product.kind else { return XCTFail("wrong arithmetic tree") }
    }

    func testEveryExpressionForm() {
        let sources = [
            "when member.tier in [GOLD, VIP] then tag \"a\"",
            "when member.tier not in [GOLD, VIP] then tag \"a\"",
            "when member.points between 10 and 20 then tag \"a\"",
            "when member.name contains \"Li\" then tag \"a\"",
            "when member.customer_code starts with \"C0\" then tag \"a\"",
            "when member.birthday is missing then tag \"a\"",
            "when member.birthday is present then tag \"a\"",
            "when member.birthday is not missing then tag \"a\"",
            "when birthday within 7 days then tag \"a\"",
            "when member.joined in last 30 days then tag \"a\"",
            "when sum(orders.amount in last 90 days) > 100 then tag \"a\"",
            "when avg(orders.amount) >= 20.5 then tag \"a\"",
            "when max(orders.amount in last 2 weeks where channel == \"delivery\") > 30 then tag \"a\"",
            "when all(orders in last 6 months where channel == \"app\") then tag \"a\"",
            "when today - 30 days > last_visit then tag \"a\"",
            "when date(\"2025-03-01\") + 30 days == today then tag \"a\"",
            "when -member.points < -(3 * 4) then tag \"a\"",
            "when weekday(today) == \"Wednesday\" then multiply points 2 for 1 day",
            "when total_spend * 10% > 5 then send coupon \"FREE-TOPPING\" worth 6 min spend 30 via app",
            "when visit_count >= 10 then set tier GOLD, award points 100",
            "rule \"x\" when true then send coupon 20 limit 3 per customer every 7 days priority -1",
            "rule \"y\" when true then send coupon 20 every 30 days limit twice",
        ]
        for s in sources {
            XCTAssertEqual(parse(s).1.map(\.description), [], s)
        }
    }

    func testThreeBrokenRulesGiveThreeDiagnostics() {
        let source = """
        rule "one"
          when member.tier == == VIP
          then send coupon 20

        rule "two"
          when days_since_visit > 30
          then sned coupon 20

        rule "three"
          when (visit_count > 3
          then send coupon 20

        rule "fine"
          when visit_count > 3
          then send coupon 5
        """
        let (file, diagnostics) = parse(source)
        XCTAssertEqual(diagnostics.map { $0.position ?? "" }, ["t.perk:2:23", "t.perk:7:8", "t.perk:11:3"])
        XCTAssertEqual(diagnostics[1].help, "did you mean `send`?")
        let names = file.declarations.compactMap { d -> String? in
            if case .rule(let r) = d { return r.name?.value }
            return nil
        }
        XCTAssertEqual(names, ["one", "two", "three", "fine"], "recovery keeps the rules that follow")
    }

    func testDiagnosticsRenderWithCaret() {
        XCTAssertEqual(rendered("when days_since_visit > then send coupon 20\n"), """
        t.perk:1:25: error[P004]: expected a value after `>`, found `then`
          |
        1 | when days_since_visit > then send coupon 20
          |                         ^^^^

        """)
        XCTAssertEqual(rendered("campaign \"x\"\n  from 2025-02-30 to 2025-03-31\n  rules \"a\"\n"), """
        t.perk:2:8: error[P007]: 2025-02-30 is not a date: February 2025 has 28 days
          |
        2 |   from 2025-02-30 to 2025-03-31
          |        ^^^^^^^^^^

        """)
        XCTAssertEqual(rendered("when member.name == \"王芳\nthen tag \"x\"\n"), """
        t.perk:1:21: error[P001]: text is missing its closing quote `"`
          |
        1 | when member.name == "王芳
          |                     ^^^^^

        """)
    }

    func testMissingThenAndOtherMistakes() {
        let cases: [(String, String)] = [
            ("when visit_count > 3", "t.perk:1:6: error[P005]: this rule has no `then`: it says what to do"),
            ("when visit_count = 3 then tag \"a\"", "t.perk:1:18: error[P010]: `=` names a define; to compare, write `==`"),
            ("when 1 < 2 < 3 then tag \"a\"", "t.perk:1:12: error[P011]: comparisons cannot be chained"),
            ("rule \"a\" when true then send coupon 20 every 30", "t.perk:1:46: error[P012]: `30` needs a unit: days, weeks, months or years"),
            ("rule \"a\" priority 1 priority 2 when true then tag \"a\"", "t.perk:1:21: error[P006]: `priority` is given twice"),
            ("hello", "t.perk:1:1: error[P003]: expected `rule`, `when`, `define`, `campaign`, `contact policy` or `test`, found `hello`"),
            ("when (a then tag \"x\"", "t.perk:1:9: error[P008]: expected `)` to close `(`, found `then`"),
            ("when a then send voucher 5", "t.perk:1:18: error[P002]: expected `coupon` or `message` after `send`, found `voucher`"),
        ]
        for (source, expected) in cases {
            XCTAssertEqual(parse(source).1.first?.description, expected, source)
        }
    }

    // MARK: - Robustness

    func testEmptyAndCommentOnlyFiles() {
        XCTAssertTrue(parse("").0.declarations.isEmpty)
        XCTAssertTrue(parse("").1.isEmpty)
        let (file, d) = parse("# only\n# comments\n\n")
        XCTAssertTrue(file.declarations.isEmpty)
        XCTAssertTrue(d.isEmpty)
    }

    func testTenThousandNestedParentheses() {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let (_, d) = parse("when \(deep) > 0 then tag \"x\"")
        XCTAssertEqual(d.map(\.code), ["P009"])
        let (_, dNot) = parse("when " + String(repeating: "not ", count: 10_000) + "true then tag \"x\"")
        XCTAssertEqual(dNot.map(\.code), ["P009"])
        let (_, dNeg) = parse("when " + String(repeating: "-", count: 10_000) + "1 > 0 then tag \"x\"")
        XCTAssertEqual(dNeg.map(\.code), ["P009"])
    }

    func testOneMegabyteLine() {
        let long = "when " + Array(repeating: "visit_count > 1", count: 70_000).joined(separator: " and ") + " then tag \"x\""
        XCTAssertGreaterThan(long.utf8.count, 1_000_000)
        let (file, d) = parse(long)
        XCTAssertTrue(d.isEmpty)
        XCTAssertEqual(file.declarations.count, 1)
        let bad = "when " + String(repeating: "x", count: 1_000_000) + " @ then tag \"x\""
        let rendered = DiagnosticRenderer().render(parse(bad).1)
        XCTAssertTrue(rendered.hasPrefix("t.perk:1:1000007: error[P001]: unexpected `@`"), String(rendered.prefix(80)))
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[2], "1 | …" + String(repeating: "x", count: 59) + " @ then tag \"x\"")
        XCTAssertEqual(lines[3], "  | " + String(repeating: " ", count: 61) + "^", "the caret stays under `@`")
    }

    func testNulBytesInvalidUTF8AndUnterminatedString() {
        XCTAssertEqual(parse("when a\u{0} then tag \"x\"").1.first?.code, "P001")
        let invalid = SourceFile(path: "t.perk", data: Array("when a > 1 then tag \"x\"\nwhen ".utf8) + [0xC3, 0x28] + Array(" then".utf8))
        XCTAssertEqual(Parser.parse(invalid).1.first?.message, "a byte that is not valid UTF-8 (0xC3); save the file as UTF-8")
        XCTAssertEqual(parse("rule \"unterminated\nwhen a then tag \"x\"").1.first?.code, "P001")
    }

    /// Random token soup never crashes the parser and always terminates.
    func testTokenSoupNeverCrashes() {
        let pieces = ["when", "then", "rule", "\"r\"", "define", "x", "=", "==", "and", "or", "not", "(", ")", "[", "]",
                      ",", "send", "coupon", "20", "15%", "2025-02-30", "in", "last", "30", "days", "orders", "where",
                      "count", "member", ".", "tier", "campaign", "from", "to", "budget", "rules", "limit", "once", "per",
                      "customer", "every", "\n", "#c\n", "\"", "@", "between", "is", "missing", "-", "*", "priority"]
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let count = Int(rng.next() % 40)
            let soup = (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: " ")
            let (file, diagnostics) = parse(soup)
            // Every diagnostic points inside the text.
            for d in diagnostics {
                if case .source(_, let range)? = d.location {
                    XCTAssertLessThanOrEqual(range.end, soup.utf8.count, soup)
                }
            }
            _ = file
        }
    }
}
