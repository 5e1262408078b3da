import XCTest
@testable import Perk

/// What the checker makes of contact policies: their values checked, their
/// channel resolved, all of them kept in file order.
final class ContactPolicyCheckerTests: XCTestCase {
    private func problems(_ source: String) -> [String] {
        TestShop.compile(source).diagnostics.map { d in d.description + (d.help.map { " | help: \($0)" } ?? "") }
    }

    func testInvalidValues() {
        let rows: [(String, [String])] = [
            ("contact policy: at most 0 contacts per customer every 30 days",
             ["t.perk:1:25: error[P104]: a contact policy must allow at least one contact, not 0 | help: write `at most once per customer every 30 days`"]),
            ("contact policy: at most 2 contacts per customer every 0 days",
             ["t.perk:1:55: error[P104]: `every` needs a period of at least 1 day"]),
            ("contact policy: at most 0 contacts per customer every 0 weeks",
             ["t.perk:1:25: error[P104]: a contact policy must allow at least one contact, not 0 | help: write `at most once per customer every 30 days`",
              "t.perk:1:55: error[P104]: `every` needs a period of at least 1 week"]),
            ("contact policy: at most 1 contact per customer every 7 days via smss",
             ["t.perk:1:65: error[P105]: unknown channel `smss`; did you mean `sms`? | help: channels are sms, wechat, email and app"]),
            ("contact policy: at most 1 contact per customer every 7 days via wechta",
             ["t.perk:1:65: error[P105]: unknown channel `wechta`; did you mean `wechat`? | help: channels are sms, wechat, email and app"]),
            ("contact policy: at most 1 contact per customer every 7 days via pigeon",
             ["t.perk:1:65: error[P105]: unknown channel `pigeon` | help: channels are sms, wechat, email and app"]),
        ]
        for (source, expected) in rows {
            XCTAssertEqual(problems(source), expected, source)
            XCTAssertNil(TestShop.compile(source).program, source)
        }
    }

    func testChannelsResolveAndEveryPolicyIsKeptInFileOrder() throws {
        let first = SourceFile(path: "a.perk", text: """
        when visit_count > 3 then send message "hi" via wechat
        contact policy: at most 2 contacts per customer every 30 days
        contact policy at most once per customer every 2 weeks via sms
        """)
        let second = SourceFile(path: "b.perk", text: "contact policy: at most twice per customer every 1 month via email\n")
        let c = Compiler.compile([first, second], schema: TestShop.schema)
        let program = try XCTUnwrap(c.program, "\(c.diagnostics)")
        XCTAssertEqual(program.contactPolicies.map { "\($0.count) \($0.period) \($0.channel?.rawValue ?? "any") \($0.file.path)" }, [
            "2 30 days any a.perk", "1 2 weeks sms a.perk", "2 1 month email b.perk",
        ])
        XCTAssertEqual(program.contactPolicies.map(\.text), [
            "at most 2 contacts per customer every 30 days", "at most once per customer every 2 weeks via sms",
            "at most twice per customer every 1 month via email",
        ])
        XCTAssertEqual(program.contactPolicies.map { $0.file.lineColumn(of: $0.range.start).line }, [2, 3, 1])
    }

    func testWhichRulesAndChannelsAPolicyCovers() throws {
        let program = try XCTUnwrap(TestShop.compile("""
        contact policy: at most 2 contacts per customer every 30 days
        contact policy: at most 1 contact per customer every 7 days via sms
        rule "sms and wechat" when true then send coupon 5 via sms, send message "m" via wechat
        rule "wechat" when true then send message "m" via wechat
        rule "account" when true then send coupon 5, award points 5, tag "t", notify staff "n"
        """).program)
        let all = program.contactPolicies[0], sms = program.contactPolicies[1]
        XCTAssertEqual(program.rules.map { all.covers($0) }, [true, true, false])
        XCTAssertEqual(program.rules.map { sms.covers($0) }, [true, false, false])
        XCTAssertEqual(([[], [.sms], [.wechat], [.wechat, .sms]] as [Channels]).map { all.covers(channels: $0) }, [false, true, true, true])
        XCTAssertEqual(([[], [.sms], [.wechat], [.wechat, .sms]] as [Channels]).map { sms.covers(channels: $0) }, [false, true, false, true])
    }

    /// The memberwise initialiser callers already use still works: no policies.
    func testProgramsBuiltWithoutPoliciesHaveNone() {
        let program = CheckedProgram(rules: [], campaigns: [], defines: [], schema: TestShop.schema)
        XCTAssertTrue(program.contactPolicies.isEmpty)
    }
}
