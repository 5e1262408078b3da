import XCTest
@testable import Perk

/// `contact policy: at most N contacts per customer every P [via CHANNEL]`: the
/// forms the grammar accepts, the mistakes it reports, and recovery around them.
final class ContactPolicyParsingTests: XCTestCase {
    private func parse(_ source: String) -> (RulesFile, [Diagnostic]) {
        Parser.parse(SourceFile(path: "t.perk", text: source))
    }

    /// `2 every 30 days via sms`: what the parser read, in one string.
    private func read(_ p: ContactPolicyDecl, in source: String) -> String {
        let allowance = String(decoding: Array(source.utf8)[p.allowanceRange.start..<p.allowanceRange.end], as: UTF8.self)
        return "\(p.count.value) every \(p.period.value)" + (p.channel.map { " via \($0.value)" } ?? "") + " | \(allowance)"
    }

    func testAcceptedForms() {
        let rows: [(String, String)] = [
            ("contact policy: at most 2 contacts per customer every 30 days",
             "2 every 30 days | at most 2 contacts per customer every 30 days"),
            ("contact policy: at most 1 contact per customer every 7 days via sms",
             "1 every 7 days via sms | at most 1 contact per customer every 7 days via sms"),
            ("contact policy at most once per customer every 2 weeks",
             "1 every 2 weeks | at most once per customer every 2 weeks"),
            ("contact policy: at most twice per customer every 1 month via wechat",
             "2 every 1 month via wechat | at most twice per customer every 1 month via wechat"),
            ("contact policy:at most 3 contacts per customer every 1 year # a comment",
             "3 every 1 year | at most 3 contacts per customer every 1 year"),
            ("contact policy:\n  at most 2 contacts per customer\n  every 30 days\n",
             "2 every 30 days | at most 2 contacts per customer\n  every 30 days"),
        ]
        for (source, expected) in rows {
            let (file, diagnostics) = parse(source)
            XCTAssertEqual(diagnostics.map(\.description), [], source)
            guard file.declarations.count == 1, case .contactPolicy(let p) = file.declarations[0] else {
                XCTFail("not one contact policy: \(source)")
                continue
            }
            XCTAssertEqual(read(p, in: source), expected, source)
        }
    }

    func testColonIsASymbolToken() {
        let tokens = Lexer.tokenize(SourceFile(path: "t.perk", text: "policy: at"))
        XCTAssertEqual(tokens.map(\.kind), [.word, .symbol, .word, .end])
        XCTAssertEqual(tokens[1].text, ":")
        // Elsewhere a colon is still a mistake, reported where it stands.
        XCTAssertEqual(parse("when visit_count : 3 then tag \"x\"").1.first?.description,
                       "t.perk:1:18: error[P002]: expected `then` after the condition, found `:`")
    }

    func testMistakes() {
        let rows: [(String, String)] = [
            // `every` is required: a policy without a period says nothing.
            ("contact policy: at most 2 contacts per customer 30 days",
             "t.perk:1:49: error[P002]: expected `every` after `per customer`: the policy needs a period, like `every 30 days`, found `30`"),
            ("contact policy: at most two contacts per customer every 30 days",
             "t.perk:1:25: error[P002]: expected how many contacts, like `at most 2 contacts` or `at most once`, found `two`"),
            ("contact policy: at most -1 contacts per customer every 30 days",
             "t.perk:1:25: error[P002]: expected how many contacts, like `at most 2 contacts` or `at most once`, found `-`"),
            ("contact policy: at most 2.5 contacts per customer every 30 days",
             "t.perk:1:25: error[P002]: expected how many contacts, like `at most 2 contacts` or `at most once`, found `2.5`"),
            ("contact policy: at most 2 per customer every 30 days",
             "t.perk:1:27: error[P002]: expected `contacts` after `2`, like `at most 2 contacts per customer`, found `per`"),
            ("contact policy: at most 2 contacts every 30 days",
             "t.perk:1:36: error[P002]: expected `per` after the number of contacts, like `at most 2 contacts per customer`, found `every`"),
            ("contact policy: at most 2 contacts per customer every 30",
             "t.perk:1:55: error[P012]: `30` needs a unit: days, weeks, months or years"),
            ("contact policy: 2 contacts per customer every 30 days",
             "t.perk:1:17: error[P002]: expected `at` after `contact policy`, like `contact policy: at most 2 contacts per customer every 30 days`, found `2`"),
            ("contact limit: at most 2 contacts per customer every 30 days",
             "t.perk:1:9: error[P002]: expected `policy` after `contact` (a rules file may hold `contact policy: at most 2 contacts per customer every 30 days`), found `limit`"),
            ("contact policy: at most 2 contacts per customer every 30 days via sms, wechat",
             "t.perk:1:70: error[P002]: expected the end of the contact policy (one channel at most; write another policy for another channel), found `,`"),
            ("contact policy: at most 2 contacts per customer every 30 days via",
             "t.perk:1:66: error[P002]: expected a channel after `via`: sms, wechat, email or app, found end of file"),
        ]
        for (source, expected) in rows {
            let diagnostics = parse(source).1
            XCTAssertEqual(diagnostics.map(\.description), [expected], source)
        }
    }

    /// A broken policy is skipped to the next declaration, so the error in the
    /// rule after it is reported too; and a broken rule does not swallow the
    /// policy that follows it, which is then checked.
    func testRecovery() {
        let source = """
        contact policy: at most two contacts per customer every 30 days
        rule "next"
          when visit_count > > 3
          then tag "x"
        contact polcy: at most 1 contact per customer every 7 days
        when visit_count > 3 then sned coupon 5
        rule "last" when visit_count > then tag "y"
        contact policy: at most 0 contacts per customer every 7 days via smss
        """
        let c = TestShop.compile(source)
        XCTAssertEqual(c.diagnostics.map { "\($0.position ?? "") \($0.code)" }, [
            "t.perk:1:25 P002", "t.perk:3:22 P004", "t.perk:5:9 P002", "t.perk:6:27 P013", "t.perk:7:32 P004",
            "t.perk:8:25 P104", "t.perk:8:66 P105",
        ])
        let policies = c.files[0].declarations.filter { if case .contactPolicy = $0 { return true } else { return false } }
        XCTAssertEqual(policies.count, 1, "only the last policy parsed")
    }

    func testUnknownDeclarationNamesContactPolicy() {
        XCTAssertEqual(parse("hello").1.first?.help,
                       "a rules file holds rules (`rule \"name\"` or `when ... then ...`), `define`s, `campaign`s and `contact policy` lines")
    }
}
