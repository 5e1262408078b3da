/// Checks the `test` declarations of parsed files against a checked program
/// and the schema it was checked against, reporting every mistake at its place
/// with a "did you mean" where one is near.
public struct TestChecker {
    /// The most days one test may decide, as many as `perk simulate` allows.
    public static let maxDays = 3_660

    let program: CheckedProgram
    let schema: Schema
    var diagnostics: [Diagnostic] = []
    private var file: SourceFile
    private let ruleIndex: [String: Int]

    init(program: CheckedProgram, schema: Schema, file: SourceFile) {
        self.program = program
        self.schema = schema
        self.file = file
        ruleIndex = Dictionary(program.rules.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Every test of `files` that checks, and the diagnostics of those that do not.
    public static func check(_ files: [RulesFile], program: CheckedProgram, schema: Schema) -> ([CheckedTest], [Diagnostic]) {
        guard let first = files.first else { return ([], []) }
        var checker = TestChecker(program: program, schema: schema, file: first.file)
        var tests: [CheckedTest] = []
        var seen: Set<String> = []
        for f in files {
            checker.file = f.file
            for case .test(let t) in f.declarations where !t.hasErrors {
                if !seen.insert(t.name.value).inserted {
                    checker.report(TestError.duplicateTest(t.name.value), at: t.name.range)
                    continue
                }
                if let checked = checker.test(t) { tests.append(checked) }
            }
        }
        return (tests, checker.diagnostics)
    }

    mutating func report(_ m: (TestCode, String, String?), at range: SourceRange, fixIt: Diagnostic.FixIt? = nil) {
        diagnostics.append(.error(m.0, m.1, in: file, range, help: m.2, fixIt: fixIt))
    }

    private mutating func test(_ t: TestDecl) -> CheckedTest? {
        let before = diagnostics.count
        var customers: [FixtureCustomer] = []
        if let table = t.customers { customers = customerRows(table) }
        let ids = customers.map(\.id)
        var orders: [FixtureOrder] = []
        if let table = t.orders { orders = orderRows(table, customers: ids) }
        var expectations: [CheckedExpectation] = []
        for e in t.expectations {
            expectations += expectation(e, day: t.day, customers: ids)
        }
        if t.expectations.isEmpty { report(TestError.nothingExpected(t.name.value), at: t.name.range) }
        let firstDay = expectations.map(\.day).min()
        if let first = firstDay, let last = expectations.map(\.day).max(), last.day - first.day >= Self.maxDays {
            // Every day between is decided: a span of centuries would never end.
            report(TestError.tooManyDays(first, last), at: t.name.range)
        }
        var journal: [FixtureDecision] = []
        if let table = t.journal { journal = journalRows(table, customers: ids, before: firstDay) }
        guard diagnostics.count == before else { return nil }
        return CheckedTest(name: t.name.value, file: file, nameRange: t.name.range, customers: customers, orders: orders,
                           journal: journal, expectations: expectations)
    }

    // MARK: Tables

    /// The columns of `table`, each given as its position in `known` (by
    /// name); the special columns are given back by name, unchecked.
    private mutating func columns(_ table: TestTable, known: [String], special: Set<String>, what: String) -> [Int?]? {
        var out: [Int?] = []
        var ok = true
        for name in table.header {
            if special.contains(name.value) {
                out.append(nil)
            } else if let i = known.firstIndex(of: name.value) {
                out.append(i)
            } else {
                let all = special.sorted() + known
                let guess = Suggest.closest(to: name.value, among: all)
                report(TestError.unknownColumn(name.value, table: what, suggestion: guess, columns: all), at: name.range,
                       fixIt: guess.map { Diagnostic.FixIt(range: name.range, replacement: $0) })
                ok = false
            }
        }
        return ok ? out : nil
    }

    private mutating func require(_ name: String, in table: TestTable, example: String) -> Int? {
        if let i = table.header.firstIndex(where: { $0.value == name }) { return i }
        report(TestError.missingColumn(name, table: table.keyword.value, example: example), at: table.keyword.range)
        return nil
    }

    private mutating func customerRows(_ table: TestTable) -> [FixtureCustomer] {
        let fields = schema.customerFields
        guard let idColumn = require("customer_id", in: table, example: "| customer_id | tier |"),
              let slots = columns(table, known: fields.map(\.name), special: ["customer_id"], what: "customers") else { return [] }
        var out: [FixtureCustomer] = []
        var seen: Set<String> = []
        for row in table.rows {
            let id = row[idColumn]
            guard !id.isEmpty else {
                report(TestError.missingColumn("customer_id", table: "customers", example: "| C1 | VIP |"), at: id.range)
                continue
            }
            if !seen.insert(id.text).inserted { report(TestError.customerTwice(id.text), at: id.range) }
            var values = [Value](repeating: .missing, count: fields.count)
            for (k, slot) in slots.enumerated() {
                guard let slot else { continue }
                values[slot] = cellValue(row[k], column: fields[slot].name, type: fields[slot].type)
            }
            out.append(FixtureCustomer(id: id.text, values: values, line: Int32(file.lineColumn(of: id.range.start).line)))
        }
        return out
    }

    private mutating func orderRows(_ table: TestTable, customers: [String]) -> [FixtureOrder] {
        let others = schema.orderFields.filter {
            if case .column = $0.slot { return true }
            if case .absent = $0.slot { return true }
            return false
        }
        guard let idColumn = require("customer_id", in: table, example: "| customer_id | ordered_at | amount |"),
              let dateColumn = require("ordered_at", in: table, example: "| customer_id | ordered_at | amount |"),
              let slots = columns(table, known: others.map(\.name), special: ["customer_id", "ordered_at", "amount", "items", "order_id"],
                                  what: "orders") else { return [] }
        let amountColumn = table.header.firstIndex { $0.value == "amount" }
        let itemsColumn = table.header.firstIndex { $0.value == "items" }
        var out: [FixtureOrder] = []
        for row in table.rows {
            guard let customer = customerRow(row[idColumn].text, at: row[idColumn].range, among: customers) else { continue }
            let when = row[dateColumn]
            var day: Int32 = 0, seconds: Int32 = -1
            let parsed = Array(when.text.utf8).withUnsafeBufferPointer { CellParser.dateOrDateTime($0) }
            switch parsed {
            case .success(let d): (day, seconds) = d
            case .failure(let f):
                let p = DataProblem.cellDoesNotFit(column: "ordered_at", text: when.text, type: .date, failure: f, sampledDeclaration: nil)
                report(TestError.badCell(p.message, help: p.help), at: when.range)
                continue
            }
            var amount = Number.zero
            if let a = amountColumn, case .number(let n) = cellValue(row[a], column: "amount", type: .number) { amount = n }
            let items = itemsColumn.map { String(row[$0].text).split(separator: ";").map { String(String($0).trimmingSpaces) }.filter { !$0.isEmpty } } ?? []
            var values: [String: Value] = [:]
            for (k, slot) in slots.enumerated() {
                guard let slot else { continue }
                values[others[slot].name] = cellValue(row[k], column: others[slot].name, type: others[slot].type)
            }
            out.append(FixtureOrder(customer: customer, day: day, seconds: seconds, amount: amount, items: items, others: values,
                                    line: Int32(file.lineColumn(of: when.range.start).line)))
        }
        return out
    }

    private mutating func journalRows(_ table: TestTable, customers: [String], before first: LocalDate?) -> [FixtureDecision] {
        let example = "| date | customer_id | rule | status |"
        guard let dateColumn = require("date", in: table, example: example),
              let idColumn = require("customer_id", in: table, example: example),
              let ruleColumn = require("rule", in: table, example: example),
              columns(table, known: [], special: ["date", "customer_id", "rule", "status"], what: "journal entries") != nil else { return [] }
        let statusColumn = table.header.firstIndex { $0.value == "status" }
        var out: [FixtureDecision] = []
        for row in table.rows {
            guard case .date(let day) = cellValue(row[dateColumn], column: "date", type: .date) else {
                if row[dateColumn].isEmpty { report(TestError.missingColumn("date", table: "journal", example: example), at: row[dateColumn].range) }
                continue
            }
            if let first, day >= first { report(TestError.journalNotBefore(day, first: first), at: row[dateColumn].range) }
            guard let customer = customerRow(row[idColumn].text, at: row[idColumn].range, among: customers),
                  let rule = rule(named: row[ruleColumn].text, at: row[ruleColumn].range) else { continue }
            var status = DecisionStatus.sent
            if let s = statusColumn, !row[s].isEmpty {
                guard let found = DecisionStatus(rawValue: row[s].text) else {
                    let guess = Suggest.closest(to: row[s].text, among: DecisionStatus.allCases.map(\.rawValue))
                    report(TestError.unknownOutcome(row[s].text, suggestion: guess), at: row[s].range)
                    continue
                }
                status = found
            }
            out.append(FixtureDecision(day: day, customer: customer, rule: rule, status: status))
        }
        return out
    }

    /// A cell as a value of its column's type, read as a data file's cell is.
    private mutating func cellValue(_ cell: TestCell, column: String, type: PerkType) -> Value {
        if cell.isEmpty { return .missing }
        var converter = CellConverter()
        let result = Array(cell.text.utf8).withUnsafeBufferPointer { converter.value($0, as: type) }
        switch result {
        case .success(let v): return v
        case .failure(let f):
            let p = DataProblem.cellDoesNotFit(column: column, text: cell.text, type: type, failure: f, sampledDeclaration: nil)
            report(TestError.badCell(p.message, help: p.help), at: cell.range)
            return .missing
        }
    }

    // MARK: Names

    private mutating func customerRow(_ id: String, at range: SourceRange, among customers: [String]) -> Int? {
        if let i = customers.firstIndex(of: id) { return i }
        let guess = Suggest.closest(to: id, among: customers)
        report(TestError.unknownCustomer(id, suggestion: guess), at: range, fixIt: guess.map { Diagnostic.FixIt(range: range, replacement: $0) })
        return nil
    }

    private mutating func rule(named name: String, at range: SourceRange) -> Int? {
        if let r = ruleIndex[name] { return r }
        let guess = Suggest.closest(to: name, among: program.rules.map(\.name))
        report(TestError.unknownRule(name, suggestion: guess), at: range,
               fixIt: guess.map { Diagnostic.FixIt(range: range, replacement: "\"\($0)\"") })
        return nil
    }

    // MARK: Expectations

    /// The expectation, day by day: one for `on DATE`, one a day for `from DATE to DATE`.
    private mutating func expectation(_ e: Expectation, day testDay: Located<LocalDate>?, customers: [String]) -> [CheckedExpectation] {
        let before = diagnostics.count
        let rule = e.rule.flatMap { self.rule(named: $0.value, at: $0.range) }
        let rows = e.customers.compactMap { customerRow($0.value, at: $0.range, among: customers) }
        let day = e.day?.value ?? testDay?.value
        if day == nil { report(TestError.noDay(), at: e.range) }
        var daily: [(LocalDate, ExpectedResult)] = []
        if let last = e.lastDay, let day {
            daily = sequence(e.outcome, from: day, to: last)
        } else if let day, let outcome = outcome(e.outcome) {
            daily = [(day, outcome)]
        }
        guard diagnostics.count == before, e.rule == nil || rule != nil else { return [] }
        return daily.map { CheckedExpectation(rule: rule, customers: rows, day: $0.0, outcome: $0.1, range: e.range) }
    }

    /// `from DATE to DATE: a, b, c`: one outcome a day, each read as an outcome word.
    private mutating func sequence(_ o: Located<ExpectedOutcome>, from first: LocalDate, to last: Located<LocalDate>) -> [(LocalDate, ExpectedResult)] {
        guard last.value >= first else {
            report(TestError.badSequence("the days run from \(first) to \(last.value), which comes before it"), at: last.range)
            return []
        }
        let days = Int(last.value.day - first.day) + 1
        switch o.value {
        case .nothing:
            return (0..<days).map { (first.advanced(by: $0), .nothing) }
        case .sequence(let steps):
            guard steps.count == days else {
                report(TestError.badSequence("\(first) to \(last.value) is \(days) day\(days == 1 ? "" : "s"), but \(steps.count) outcome\(steps.count == 1 ? " is" : "s are") given"),
                       at: o.range)
                return []
            }
            return steps.enumerated().compactMap { k, step in
                outcome(Located(.word(step.value), step.range)).map { (first.advanced(by: k), $0) }
            }
        case .sent, .word:
            return []
        }
    }

    private mutating func outcome(_ o: Located<ExpectedOutcome>) -> ExpectedResult? {
        switch o.value {
        case .nothing: return .nothing
        case .sequence: return nil // read day by day by `sequence`
        case .word(let w):
            if let r = ExpectedResult.words[w] { return r }
            let guess = Suggest.closest(to: w, among: ExpectedResult.words.keys.sorted())
            report(TestError.unknownOutcome(w, suggestion: guess), at: o.range,
                   fixIt: guess.map { Diagnostic.FixIt(range: o.range, replacement: $0) })
            return nil
        case .sent(let actions):
            // Checked as a rule's actions are, so `send coupon 150%` is the same mistake here.
            var checker = Checker(schema: schema, file: file)
            var expected: [ExpectedAction] = []
            for a in actions {
                guard let c = checker.action(a) else { continue }
                var x = ExpectedAction(name: c.name, value: c.valueText, channel: c.channel)
                if case .coupon(let spec) = a.kind {
                    x.validDays = spec.validFor != nil ? c.coupon?.validDays : nil
                    x.minSpend = spec.minSpend != nil ? c.coupon?.minSpend : nil
                }
                expected.append(x)
            }
            diagnostics += checker.diagnostics
            return checker.diagnostics.hasErrors ? nil : .sent(expected)
        }
    }
}
