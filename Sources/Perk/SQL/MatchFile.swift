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
        // The data files' CSV reader: quotes, a byte order mark, CRLF, spaces
        // around a bare value and bytes that are not UTF-8 are read as there.
        let bytes = [UInt8](data)
        var source = CSVSource(bytes: bytes)
        var problems: [Diagnostic] = []
        func problem(_ message: SQLMessage, at location: CellLocation) {
            guard problems.count < 100 else { return }
            let p = DataPosition.resolve(location, in: bytes)
            problems.append(Diagnostic(message, at: .point(path: path, line: p.line, column: p.column, lineText: p.lineText)))
        }
        guard source.headerProblems.isEmpty, source.columnNames == ["customer_id", "rule"] else {
            let header = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }, as: UTF8.self)
            problem(.notAMatchHeader(header.hasPrefix("\u{FEFF}") ? String(header.dropFirst()) : header), at: source.headerLocation)
            return (nil, problems)
        }
        var seen = Set<Int64>()
        var matches: [Match] = []
        let ruleIndex = Dictionary(program.rules.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var row = RawRow()
        bytes.withUnsafeBufferPointer { file in
            let values = CellValues(file: file)
            while source.next(into: &row) {
                if let first = row.problems.first {
                    problem(.brokenRow(first.problem), at: CellLocation(rowLine: row.line, rowOffset: row.offset, offset: first.offset))
                    if first.isFatal { break }
                    continue
                }
                let (idCell, ruleCell) = (row.cells[0], row.cells[1])
                let (id, rule) = (values.text(of: idCell), values.text(of: ruleCell))
                guard let r = ruleIndex[rule] else {
                    problem(.unknownRule(rule, suggestion: program.closestRuleName(to: rule)), at: row.location(of: ruleCell))
                    continue
                }
                if let c = program.rules[r].campaign, !program.campaigns[c].isActive(on: day) {
                    problem(.inactiveRule(rule, campaign: program.campaigns[c].name, day: day), at: row.location(of: ruleCell))
                    continue
                }
                guard let c = customers.index(of: id) else {
                    problem(.unknownCustomer(id, in: customers.source, suggestion: customers.closestID(to: id)), at: row.location(of: idCell))
                    continue
                }
                // The same match twice is one match (a query run twice into one file).
                if seen.insert(Int64(c) << 32 | Int64(r)).inserted { matches.append(Match(customer: Int32(c), rule: Int32(r))) }
            }
        }
        guard problems.isEmpty else { return (nil, problems) }
        matches.sort { ($0.customer, $0.rule) < ($1.customer, $1.rule) }
        return (MatchFile(matches: matches), [])
    }
}
