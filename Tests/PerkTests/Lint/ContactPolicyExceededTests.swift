import XCTest
@testable import Perk

/// P213: on the lint day, more rules would contact some customers than a
/// contact policy allows. On the test shop, as of 2025-03-01: C001 (王芳, VIP,
/// 3 visits, sms and wechat), C002 (Li Na, GOLD, 1 visit, wechat only), C003
/// (Emily Zhang, MEMBER, no visits, wechat only).
final class ContactPolicyExceededTests: XCTestCase {
    private static let help = "help: if every rule should reach them, allow more contacts; otherwise give the rule that matters most the higher `priority`: it contacts them first"

    private func p213(_ source: String, dataGiven: Bool = true, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        lintWarnings(source, dataGiven: dataGiven, file: file, line: line).filter { $0.contains("P213") }
    }

    private static let twoWechatRules = """
    rule "a" priority 2 when visit_count >= 1 then send message "a" via wechat
    rule "b" priority 1 when member.tier >= GOLD then send message "b" via wechat
    """

    func testBadAndFixed() {
        let bad = "contact policy: at most 1 contact per customer every 30 days\n" + Self.twoWechatRules
        let expected = [
            "t.perk:1:1: warning[P213]: on 2025-03-01, 2 customers match 2 rules that would contact them, more than the 1 contact this policy allows every 30 days"
                + " | note: e.g. C001 (王芳, VIP) matches \"a\" and \"b\", which would contact them: \"b\" is stopped (skipped_contact_cap) | \(Self.help)",
        ]
        XCTAssertEqual(p213(bad), expected)
        // Without data named, the sample data the rules are checked against (here the test shop) is used.
        XCTAssertEqual(p213(bad, dataGiven: false), expected)
        let fixed = "contact policy: at most 2 contacts per customer every 30 days\n" + Self.twoWechatRules
        XCTAssertEqual(p213(fixed), [])
    }

    func testUpToAndSeveralStopped() {
        XCTAssertEqual(p213("""
        contact policy at most once per customer every 2 weeks
        \(Self.twoWechatRules)
        rule "c" when member.tier == VIP then send message "c" via wechat
        """), [
            "t.perk:1:1: warning[P213]: on 2025-03-01, 2 customers match up to 3 rules that would contact them, more than the 1 contact this policy allows every 2 weeks"
                + " | note: e.g. C001 (王芳, VIP) matches \"a\", \"b\" and \"c\", which would contact them: \"b\" and \"c\" are stopped (skipped_contact_cap) | \(Self.help)",
        ])
    }

    /// Only rules that would really contact the customer count: through the
    /// policy's channel, with consent, and not account-only.
    func testOnlyContactsThePolicyCoversCount() {
        let smsRules = """
        rule "s1" priority 2 when true then send coupon 5 via sms
        rule "s2" priority 1 when true then send message "s" via sms
        """
        // C002 and C003 cannot take sms, so only C001 would be contacted twice.
        XCTAssertEqual(p213("contact policy: at most 1 contact per customer every 7 days via sms\n" + smsRules), [
            "t.perk:1:1: warning[P213]: on 2025-03-01, 1 customer matches 2 rules that would contact them via sms, more than the 1 contact this policy allows every 7 days"
                + " | note: e.g. C001 (王芳, VIP) matches \"s1\" and \"s2\", which would contact them via sms: \"s2\" is stopped (skipped_contact_cap) | \(Self.help)",
        ])
        for fine in [
            "contact policy: at most 1 contact per customer every 7 days via sms\n" + Self.twoWechatRules,
            "contact policy: at most 1 contact per customer every 7 days via wechat\n" + smsRules,
            """
            contact policy: at most 1 contact per customer every 7 days
            rule "message" when true then send message "m" via wechat
            rule "account" when true then send coupon 5, award points 5, tag "t"
            """,
            // The second rule's campaign has not started on the lint day.
            """
            contact policy: at most 1 contact per customer every 7 days
            \(Self.twoWechatRules)
            campaign "later" from 2025-04-01 to 2025-04-30 rules "b"
            """,
        ] {
            XCTAssertEqual(p213(fine), [], fine)
        }
    }
}
