import XCTest
@testable import Perk

/// When the REPL waits for more lines instead of answering: only when the
/// entry ran out of text where more was needed, never because a bracket is
/// open after a mistake.
final class EntryCompletenessTests: XCTestCase {
    func testEntriesThatGoOn() {
        let unfinished = [
            "2 +",
            "(2 + 3",
            "((2 + 3)",
            "2 * (3 +",
            "customers where member.tier == VIP and",
            "customers where",
            "count customers where (days_since_visit > 30",
            "count customers where",
            "member.tier in [GOLD,",
            "member.tier in [GOLD, VIP",
            "date(\"2025-03-01\"",
            "customers where member.birthday in next",
            "customers where days_since_visit between 3",
            // A query's own words.
            "customer",
            "top 5",
            "top 5 customers",
            "group customers",
            "group customers by",
            "group customers by member.tier where",
            "top customers by (count(orders where amount > 5",
            // A rule needs its `then`, and its actions must not end in a comma.
            "rule \"VIP win-back\"",
            "rule \"VIP win-back\"\n  priority 10\n  when member.tier == VIP",
            "when member.tier == VIP",
            "when member.tier == VIP then",
            "when member.tier == VIP then send coupon 20,",
            "when member.tier == VIP then send coupon 20 via",
            "when member.tier == VIP then award points",
            "when member.tier == VIP then send coupon 20 limit",
            "when member.tier == VIP then send coupon 20 every 7",
            "define lapsed",
            "define lapsed =",
            "define lapsed = (days_since_visit > 60 or",
            "contact policy: at most 2 contacts per customer every",
            // A campaign ends with its rules.
            "campaign \"Spring\"\n  from 2025-03-01 to 2025-03-31",
            "campaign \"Spring\" rules \"a\",",
            // A clause on a line of its own, for the declaration before it.
            "limit",
            "limit 2 per customer every 7",
            "priority",
            "rules \"a\",",
            "from 2025-03-01",
            // A comment after an open bracket does not close it.
            "count customers where (visit_count > 3 # more to come",
        ]
        for text in unfinished {
            XCTAssertTrue(EntryCompleteness.isUnfinished(text), text)
        }
    }

    func testEntriesThatAreWholeOrWrong() {
        let whole = [
            "2 + 3",
            "customers where member.tier == VIP",
            "customer \"C00042\"",
            "top 5 customers by total_spend",
            "customers",
            "count",
            "rule \"VIP win-back\" when member.tier == VIP then send coupon 20",
            "rule \"VIP win-back\"\n  when member.tier == VIP\n  then send coupon 20",
            "when visit_count > 1 then tag \"x\"",
            "define lapsed = days_since_visit > 60",
            "campaign \"Spring\"\n  budget 500\n  rules \"a\", \"b\"",
            "limit once per customer",
            "every 7 days",
            // A column named like a keyword ends an entry.
            "customers where member.points > 3 and member.limit",
            "customers where member.points",
            // Commands and comments are always whole.
            ":explain",
            ":load (",
            "# a note (",
            "",
            // Wrong before any bracket: reported now, not a reason to wait.
            "this is not (( valid",
            "count customers where visit_count >> (",
            "customers where member.tier = VIP and (",
            "2 + 3 ) + (",
            "customers foo (",
            "top 0 customers by (",
            "customer \"C00042\" (",
            "when member.tier == VIP then sned coupon (",
            "when visit_count > 1 then tag \"x\" (",
            "define = (",
            "rule VIP (",
            "limit often (",
            // The `by` of a query is wrong; its condition would be unfinished.
            "top customers by total_spend + where visit_count > (",
            // An unclosed quote is an error to show now.
            "customer \"C00042",
            "customers where member.name == \"Li (",
        ]
        for text in whole {
            XCTAssertFalse(EntryCompleteness.isUnfinished(text), text)
        }
    }
}
