import Foundation

/// The rows a warehouse query of `perk sql` returned, saved as CSV
/// `customer_id,rule`: who matches which rule on the day. `perk run
/// --matches` makes its plan from them instead of evaluating conditions.
public struct MatchFile: Sendable {
    /// Read and checked against the rules and customers: each match once, by
    /// customer then by rule order, as `ActionPlan` takes them.
    let matches: [Match]

    public var count: Int { matches.count }

    /// Reads `path`; every row that is malformed or names an unknown rule or
    /// customer is an error at its line and column. Rules not active on `day`
    /// (their campaign's dates leave it out) cannot match either.
    public static func read(_ path: String, program: CheckedProgram, customers: CustomerTable,
                            day: LocalDate) -> (MatchFile?, [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [Diagnostic(.unreadableMatchFile(path), at: .file(path: path))])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [Diagnostic(.matchFileNotUTF8(path), at: .file(path: path))])
        }
        var problems: [Diagnostic] = []
        var seen = Set<Int64>()
        var matches: [Match] = []
        let ruleIndex = Dictionary(program.rules.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            func problem(_ message: SQLMessage, column: Int) {
                guard problems.count < 100 else { return }
                problems.append(Diagnostic(message, at: .point(path: path, line: lineNumber, column: column, lineText: String(line))))
            }
            if lineNumber == 1 {
                let header = line.hasPrefix("\u{FEFF}") ? line.dropFirst() : line
                if header != "customer_id,rule" {
                    problem(.notAMatchHeader(String(header)), column: 1)
                    return (nil, problems)
                }
                continue
            }
            if line.isEmpty { continue }
            guard let fields = CSVFields.split(line), fields.count == 2 else {
                problem(.notTwoFields, column: 1)
                continue
            }
            let (id, rule) = (fields[0].text, fields[1].text)
            guard let r = ruleIndex[rule] else {
                problem(.unknownRule(rule, suggestion: program.closestRuleName(to: rule)), column: fields[1].column)
                continue
            }
            if let c = program.rules[r].campaign, !program.campaigns[c].isActive(on: day) {
                problem(.inactiveRule(rule, campaign: program.campaigns[c].name, day: day), column: fields[1].column)
                continue
            }
            guard let c = customers.index(of: id) else {
                problem(.unknownCustomer(id, in: customers.source, suggestion: customers.closestID(to: id)), column: fields[0].column)
                continue
            }
            // The same match twice is one match (a query run twice into one file).
            if seen.insert(Int64(c) << 32 | Int64(r)).inserted { matches.append(Match(customer: Int32(c), rule: Int32(r))) }
        }
        guard problems.isEmpty else { return (nil, problems) }
        matches.sort { ($0.customer, $0.rule) < ($1.customer, $1.rule) }
        return (MatchFile(matches: matches), [])
    }
}

/// The fields of one CSV line, with the column each starts at; nil for a
/// quote left open or text after a closing quote.
enum CSVFields {
    struct Field {
        var text: String
        var column: Int
    }

    static func split(_ line: Substring) -> [Field]? {
        var fields: [Field] = []
        var chars = Array(line)
        var i = 0
        chars.append(",")
        while i < chars.count {
            let start = i
            var text = ""
            if chars[i] == "\"" {
                i += 1
                while true {
                    guard i < chars.count - 1 else { return nil }
                    if chars[i] == "\"" {
                        if chars[i + 1] == "\"" { text.append("\""); i += 2; continue }
                        i += 1
                        break
                    }
                    text.append(chars[i])
                    i += 1
                }
                guard chars[i] == "," else { return nil }
            } else {
                while chars[i] != "," {
                    if chars[i] == "\"" { return nil }
                    text.append(chars[i])
                    i += 1
                }
            }
            fields.append(Field(text: text, column: start + 1))
            i += 1
        }
        return fields
    }
}
