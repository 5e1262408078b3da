import XCTest
@testable import Perk

/// When the REPL waits for more lines instead of answering.
final class EntryCompletenessTests: XCTestCase {
    func testUnfinishedEntries() {
        let cases: [(String, Bool)] = [
            ("2 + 3", false),
            ("2 +", true),
            ("customers where member.tier == VIP", false),
            ("customers where member.tier == VIP and", true),
            ("customers where", true),
            ("count customers where (days_since_visit > 30", true),
            ("member.tier in [GOLD,", true),
            ("customer \"C00042\"", false),
            ("group customers", true),
            ("group customers by", true),
            ("top 5 customers by total_spend", false),
            // A rule needs its `then`, and its actions must not end in a comma.
            ("rule \"VIP win-back\"", true),
            ("rule \"VIP win-back\"\n  priority 10\n  when member.tier == VIP", true),
            ("rule \"VIP win-back\" when member.tier == VIP then send coupon 20", false),
            ("when member.tier == VIP then send coupon 20,", true),
            ("when member.tier == VIP then send coupon 20 via", true),
            ("when member.tier == VIP then award points", true),
            ("when visit_count > 1 then tag \"x\"", false),
            ("define lapsed", true),
            ("define lapsed =", true),
            ("define lapsed = days_since_visit > 60", false),
            // A campaign ends with its rules.
            ("campaign \"Spring\"\n  from 2025-03-01 to 2025-03-31", true),
            ("campaign \"Spring\"\n  budget 500\n  rules \"a\", \"b\"", false),
            ("campaign \"Spring\" rules \"a\",", true),
            // A column named like a keyword ends an entry.
            ("customers where member.points > 3 and member.limit", false),
            ("customers where member.points", false),
            // Commands and comments are always whole.
            (":explain", false),
            ("# a note", false),
            ("", false),
            // An unclosed quote is an error to show now, not a reason to wait.
            ("customer \"C00042", false),
        ]
        for (text, unfinished) in cases {
            XCTAssertEqual(EntryCompleteness.isUnfinished(text), unfinished, text)
        }
    }
}
