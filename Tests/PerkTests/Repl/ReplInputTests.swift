import XCTest
@testable import Perk

/// How a REPL line is read: which command, and which part of the line each
/// expression is (so diagnostics point into the line as typed).
final class ReplInputTests: XCTestCase {
    /// The parsed form, with each expression range shown as the text it covers.
    private func read(_ line: String) -> String {
        let file = SourceFile(path: "<line 1>", text: line)
        func text(_ r: SourceRange?) -> String { r.map { "[" + file.slice($0).trimmingCharacters(in: .whitespaces) + "]" } ?? "-" }
        switch ReplInputParser.parse(file) {
        case .failure(let problems): return problems.diagnostics.map { "\($0.code) \($0.message)" }.joined()
        case .success(let input):
            switch input {
            case .blank: return "blank"
            case .declarations: return "declarations"
            case .clause(let word): return "clause \(word)"
            case .customers(let c): return "customers \(text(c))"
            case .count(let c): return "count \(text(c))"
            case .customer(let id): return "customer \(id.value)"
            case .top(let n, let by, let c): return "top \(n) by \(text(by)) where \(text(c))"
            case .group(let by, let c): return "group by \(text(by)) where \(text(c))"
            case .expression(let r): return "expression \(text(r))"
            case .command(let command, let args, _): return ([":" + command.rawValue] + args.map(\.value)).joined(separator: " | ")
            }
        }
    }

    func testLinesAreReadIntoCommands() {
        let cases: [(String, String)] = [
            ("", "blank"),
            ("   # just a note", "blank"),
            ("customers", "customers -"),
            ("customers where member.tier == VIP", "customers [member.tier == VIP]"),
            ("count customers where days_since_visit > 30", "count [days_since_visit > 30]"),
            ("count customers", "count -"),
            ("customer \"C00042\"", "customer C00042"),
            ("customer C00042", "customer C00042"),
            ("top 5 customers by total_spend", "top 5 by [total_spend] where -"),
            ("top customers by total_spend", "top 10 by [total_spend] where -"),
            // The first `where` outside brackets ends the sort key; the one inside filters orders.
            ("top 3 customers by count(orders where amount > 20) where member.tier == VIP",
             "top 3 by [count(orders where amount > 20)] where [member.tier == VIP]"),
            ("group customers by member.tier", "group by [member.tier] where -"),
            ("group customers by member.city where visit_count > 2", "group by [member.city] where [visit_count > 2]"),
            // Expressions, including ones that start with a command's word.
            ("2 + 3", "expression [2 + 3]"),
            ("count(orders in last 30 days)", "expression [count(orders in last 30 days)]"),
            ("date(\"2025-03-01\") + 30 days", "expression [date(\"2025-03-01\") + 30 days]"),
            // Declarations and clauses continuing one.
            ("when member.tier == VIP then tag \"x\"", "declarations"),
            ("rule \"a\" when true then tag \"a\"", "declarations"),
            ("define lapsed = days_since_visit > 60", "declarations"),
            ("contact policy: at most 2 contacts per customer every 30 days", "declarations"),
            ("contact", "expression [contact]"),
            ("limit once per customer", "clause limit"),
            ("every 30 days", "clause every"),
            ("budget 500", "clause budget"),
            // Commands, with quoted arguments.
            (":rules", ":rules"),
            (":explain \"VIP win-back\" C00042", ":explain | VIP win-back | C00042"),
            (":load rules/winback.perk", ":load | rules/winback.perk"),
            (":q", ":quit"),
            ("  :asof 2025-03-01", ":asof | 2025-03-01"),
            // Mistakes.
            (":lod x", "R001 unknown command `:lod`; did you mean `:load`?"),
            ("customers member.tier == VIP", "R002 expected `where` and a condition, like `customers where member.tier == VIP`, found `member`"),
            ("top 10 customers total_spend", "R002 expected `by` and what to sort or group by, like `by total_spend`, found `total_spend`"),
            ("top 0 customers by total_spend", "R002 `top` takes a whole number from 1 to 10000"),
            ("customer", "R002 expected a customer id in quotes, like customer \"C00042\", found the end of the line"),
        ]
        for (line, expected) in cases {
            XCTAssertEqual(read(line), expected, line)
        }
    }
}
