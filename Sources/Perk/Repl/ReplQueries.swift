/// The REPL's queries over customers: who matches, how many, the top N by a
/// value, groups with their spend, and expressions on their own.
extension ReplSession {
    mutating func run(_ input: ReplInput, in file: SourceFile) -> Reply {
        let result: Result<String, Problems>
        // A value that cannot be computed for some customer fails the entry with
        // its place and the customer; the session goes on.
        switch input {
        case .customers(let range):
            result = condition(range, in: file).flatMap { c in Result { () throws(Problems) in try list(c, file: file) } }
        case .count(let range):
            result = condition(range, in: file).flatMap { c in
                Result { () throws(Problems) in ReplText.countOf(try selected(c, in: file).count, data.customers.count) + "\n" }
            }
        case .customer(let id):
            result = profile(id, in: file)
        case .top(let n, let by, let range):
            result = expression(by, in: file).flatMap { key in
                guard Self.isSortable(key.type) else { return .failure(Problems([ReplError.cannotSort(key.type, at: key.range, in: file)])) }
                return condition(range, in: file).flatMap { c in Result { () throws(Problems) in try top(n, by: key, where: c, file: file) } }
            }
        case .group(let by, let range):
            result = expression(by, in: file).flatMap { key in
                condition(range, in: file).flatMap { c in Result { () throws(Problems) in try group(by: key, where: c, file: file) } }
            }
        case .expression(let range):
            result = expression(range, in: file).flatMap { e in Result { () throws(Problems) in try evaluate(e, in: file) } }
        case .command(let command, let arguments, let at):
            return self.command(command, arguments, at: at, in: file)
        case .blank, .declarations, .clause:
            result = .success("")
        }
        switch result {
        case .success(let output): return Reply(output: output, diagnostics: warnings(input, in: file))
        case .failure(let problems): return Reply(diagnostics: problems.diagnostics)
        }
    }

    // MARK: - Selections

    /// Customers for whom the condition is definitely true, in id order.
    /// `file` holds the condition: the entry's, or a rule's (named `rule`).
    func selected(_ condition: CheckedExpr?, in file: SourceFile, rule: String? = nil) throws(Problems) -> [Int] {
        let all = 0..<data.customers.count
        guard let condition else { return Array(all) }
        var rows: [Int] = []
        for c in all {
            if isCancelled { break }
            if try value(of: condition, customer: c, in: file, rule: rule) == .bool(true) { rows.append(c) }
        }
        return rows
    }

    /// An expression's value for one customer; one that cannot be computed is
    /// the entry's error, with its place and the customer.
    func value(of e: CheckedExpr, customer c: Int, in file: SourceFile, rule: String? = nil) throws(Problems) -> Value {
        do throws(EvaluationError) {
            return try interpreter.evaluate(e, customer: c, today: day)
        } catch {
            throw Problems(error.failure(in: file, program: program, rule: rule, customerID: data.customers.ids[c], day: day).diagnostic)
        }
    }

    /// A total of the entry's (`what`) past the range of exact numbers.
    private func tooLarge(_ what: String, in file: SourceFile) -> Problems {
        Problems(RuntimeFailure(problem: .numberTooLarge, subject: what, file: file, range: SourceRange(0, file.bytes.count), rule: nil,
                                define: nil, customerID: nil, day: day).diagnostic)
    }

    /// `customers where ...`: the count, then the first rows with the fields the
    /// condition used.
    private func list(_ condition: CheckedExpr?, file: SourceFile) throws(Problems) -> String {
        let rows = try selected(condition, in: file)
        var out = ReplText.countOf(rows.count, data.customers.count) + "\n"
        guard !rows.isEmpty else { return out }
        let fields = condition.map { shownFields($0, in: file) } ?? []
        out += "\n" + customerTable(Array(rows.prefix(Self.rowsShown)), extra: fields).rendered()
        if rows.count > Self.rowsShown { out += "… and \(Figures.count(rows.count - Self.rowsShown)) more\n" }
        return out
    }

    /// `top N customers by EXPR`: highest first; customers with no value are
    /// left out; equal values in id order, so the answer never varies.
    private func top(_ n: Int, by key: CheckedExpr, where condition: CheckedExpr?, file: SourceFile) throws(Problems) -> String {
        let candidates = try selected(condition, in: file)
        var scored: [(customer: Int, value: Value)] = []
        for c in candidates {
            if isCancelled { break }
            let v = try value(of: key, customer: c, in: file)
            if !v.isMissing { scored.append((c, v)) }
        }
        scored.sort { a, b in
            let order = Interpreter.compare(a.value, b.value) ?? 0
            return order != 0 ? order > 0 : a.customer < b.customer
        }
        let keyField = ShownField(header: Self.header(key, in: file), expr: key)
        let extra = [keyField] + (condition.map { shownFields($0, in: file) } ?? []).filter { $0.header != keyField.header }
        let shown = Array(scored.prefix(n))
        var out = "top \(Figures.count(shown.count)) of \(Self.plural(scored.count, "customer")) by \(keyField.header)"
        let without = candidates.count - scored.count
        out += without > 0 ? " (\(Figures.count(without)) with no value left out)\n" : "\n"
        guard !shown.isEmpty else { return out }
        var table = customerTable(shown.map(\.customer), extra: extra)
        table.headers.insert("rank", at: 0)
        table.rightAligned = Set(table.rightAligned.map { $0 + 1 }).union([0])
        for i in table.rows.indices { table.rows[i].insert(String(i + 1), at: 0) }
        return out + "\n" + table.rendered()
    }

    /// `group customers by EXPR`: per value, how many customers, their share,
    /// and their total and average spend (exact sums, shown to the cent).
    private func group(by key: CheckedExpr, where condition: CheckedExpr?, file: SourceFile) throws(Problems) -> String {
        let members = try selected(condition, in: file)
        var groups: [Value: (count: Int, spend: Number)] = [:]
        var all = Number.zero
        for c in members {
            if isCancelled { break }
            let k = try value(of: key, customer: c, in: file)
            let spend: Value
            do throws(EvaluationError) { spend = try interpreter.derived(.totalSpend, customer: c, today: day) } catch {
                throw tooLarge("`total_spend` of customer \(data.customers.ids[c])", in: file)
            }
            let amount: Number
            if case .number(let n) = spend { amount = n } else { amount = .zero }
            let g = groups[k] ?? (0, .zero)
            guard let groupSpend = g.spend.adding(amount), let allSpend = all.adding(amount) else {
                throw tooLarge("the total spend of the group \(ValueText.shown(k, as: key.type, quotingText: true))", in: file)
            }
            groups[k] = (g.count + 1, groupSpend)
            all = allSpend
        }
        let keys = Self.groupOrder(groups.mapValues(\.count))
        var table = TextTable(headers: [Self.header(key, in: file), "customers", "share", "total spend", "avg spend"], rightAligned: [1, 2, 3, 4])
        if ValueText.isNumeric(key.type) { table.rightAligned.insert(0) }
        for k in keys.prefix(Self.maxGroups) {
            guard let g = groups[k] else { continue }
            table.add([ValueText.shown(k, as: key.type), Figures.count(g.count), ReplText.share(g.count, of: members.count),
                       Self.money(g.spend), Self.money(g.spend.dividing(by: Number(g.count)))])
        }
        table.add(["all", Figures.count(members.count), members.isEmpty ? "0.0%" : "100.0%", Self.money(all),
                   Self.money(members.isEmpty ? nil : all.dividing(by: Number(members.count)))])
        let who = condition == nil ? "all \(Figures.count(members.count)) customers" : ReplText.countOf(members.count, data.customers.count)
        var out = "\(Self.plural(keys.count, "group")) of \(who), spend as of \(day)\n\n" + table.rendered()
        if keys.count > Self.maxGroups {
            out += "… and \(Figures.count(keys.count - Self.maxGroups)) more groups (the table shows the first \(Self.maxGroups))\n"
        }
        return out
    }

    static let maxGroups = 50

    /// The order groups are listed in: weekdays in week order, Monday first (a
    /// marketer reads a week as a week, not by size or alphabetically); anything
    /// else by how many customers it holds, largest first, so the table cut at
    /// `maxGroups` keeps the groups that matter, and equal counts in value order.
    /// Weekdays are told by their values, so `weekday(...)` behind a define counts too;
    /// a missing value comes after Sunday.
    static func groupOrder(_ counts: [Value: Int]) -> [Value] {
        func weekday(_ v: Value) -> Int? {
            if v.isMissing { return LocalDate.weekdayNames.count }
            if case .text(let name) = v { return LocalDate.weekdayNames.firstIndex(of: name) }
            return nil
        }
        if counts.keys.contains(where: { !$0.isMissing }), counts.keys.allSatisfy({ weekday($0) != nil }) {
            return counts.keys.sorted { (weekday($0) ?? 0) < (weekday($1) ?? 0) }
        }
        return counts.keys.sorted { a, b in
            let (x, y) = (counts[a] ?? 0, counts[b] ?? 0)
            return x != y ? x > y : valueOrder(a, b)
        }
    }

    static func money(_ n: Number?) -> String {
        n.map { $0.formatted(places: 2) } ?? ""
    }

    /// Value order: enums in their declared order, missing last.
    static func valueOrder(_ a: Value, _ b: Value) -> Bool {
        if a.isMissing != b.isMissing { return b.isMissing }
        if let c = Interpreter.compare(a, b) { return c < 0 }
        return a.description < b.description
    }

    static func isSortable(_ type: PerkType) -> Bool {
        switch type {
        case .number, .percent, .text, .bool, .date, .datetime, .enumeration: return true
        case .duration, .list, .unknown: return false
        }
    }

    // MARK: - Expressions

    /// An expression on its own: its value, or, when it depends on the
    /// customer, what it comes to across all customers.
    private func evaluate(_ e: CheckedExpr, in file: SourceFile) throws(Problems) -> String {
        let total = data.customers.count
        guard e.dependsOnCustomer else {
            do throws(EvaluationError) {
                return ValueText.shown(try interpreter.evaluate(e, customer: 0, today: day), as: e.type) + "\n"
            } catch {
                // No customer in it: the failure is the expression's own.
                throw Problems(error.failure(in: file, program: program, rule: nil, customerID: nil, day: day).diagnostic)
            }
        }
        var values: [Value] = []
        values.reserveCapacity(total)
        for c in 0..<total {
            if isCancelled { break }
            values.append(try value(of: e, customer: c, in: file))
        }
        let missing = values.filter(\.isMissing).count
        if e.type == .bool {
            let yes = values.filter { $0 == .bool(true) }.count
            let no = values.filter { $0 == .bool(false) }.count
            return "true for \(ReplText.countOf(yes, total)), false for \(Figures.count(no)), unknown for \(Figures.count(missing))\n"
        }
        let present = values.filter { !$0.isMissing }
        let missingNote = missing > 0 ? "; missing for \(Figures.count(missing))" : ""
        switch e.type {
        case .number, .percent, .date, .datetime:
            guard let low = present.min(by: Self.valueOrder), let high = present.max(by: Self.valueOrder) else {
                return "missing for all \(Figures.count(total)) customers\n"
            }
            var parts = ["min \(ValueText.shown(low, as: e.type))"]
            if e.type == .number {
                var sum = Number.zero
                for case .number(let n) in present {
                    guard let s = sum.adding(n) else { throw tooLarge("the sum of `\(file.slice(e.range))` over the customers", in: file) }
                    sum = s
                }
                parts.append("average " + Self.money(sum.dividing(by: Number(present.count))))
            }
            parts.append("max \(ValueText.shown(high, as: e.type))")
            return "over \(Figures.count(total)) customers: " + parts.joined(separator: ", ") + missingNote + "\n"
        default:
            // Text, enums and lists: how often each value comes up.
            var counts: [Value: Int] = [:]
            for v in present { counts[v, default: 0] += 1 }
            let common = counts.sorted { $0.value != $1.value ? $0.value > $1.value : Self.valueOrder($0.key, $1.key) }.prefix(3)
            let shown = common.map { "\(ValueText.shown($0.key, as: e.type, quotingText: true)) (\(Figures.count($0.value)))" }.joined(separator: ", ")
            return "over \(Figures.count(total)) customers: \(Self.plural(counts.count, "distinct value")), most common \(shown)\(missingNote)\n"
        }
    }
}

// MARK: - Customer tables

/// A column a customer table shows besides id, name and tier.
struct ShownField {
    var header: String
    var expr: CheckedExpr
}

extension ReplSession {
    /// The fields a condition reads, in the order written, defines looked into:
    /// columns, derived fields and order aggregates.
    func shownFields(_ e: CheckedExpr, in file: SourceFile) -> [ShownField] {
        let defineFiles = Dictionary(program.defines.map { ($0.name, $0.file) }, uniquingKeysWith: { a, _ in a })
        var fields: [ShownField] = []
        func add(_ header: String, _ e: CheckedExpr) {
            if !fields.contains(where: { $0.header == header }) { fields.append(ShownField(header: header, expr: e)) }
        }
        func walk(_ e: CheckedExpr, _ file: SourceFile) {
            switch e.node {
            case .column(_, let name) where name == "name" || name == "tier": break
            case .column, .derived, .aggregate: add(Self.header(e, in: file), e)
            case .define(let name, let body): walk(body, defineFiles[name] ?? file)
            default: e.children.forEach { walk($0, file) }
            }
        }
        walk(e, file)
        return fields
    }

    /// A column's title: a field's name (`points`, `days_since_visit`), or the
    /// expression as written.
    static func header(_ e: CheckedExpr, in file: SourceFile) -> String {
        switch e.node {
        case .column(_, let name): return name
        case .derived(let field): return field.rawValue
        default: return ExplanationText.oneLine(file.slice(e.range))
        }
    }

    /// Id, name and tier (when the data has them), then `extra` fields.
    func customerTable(_ rows: [Int], extra: [ShownField]) -> TextTable {
        let customers = data.customers
        let base = ["name", "tier"].compactMap { customers.columnIndex(named: $0) }
        var table = TextTable(headers: ["customer_id"] + base.map { customers.columns[$0].name } + extra.map(\.header))
        for (i, f) in extra.enumerated() where ValueText.isNumeric(f.expr.type) { table.rightAligned.insert(1 + base.count + i) }
        // A field of a row can fail where the row's condition did not (`false and`
        // a failed part is false): the cell says so, rather than show a value.
        let values = extra.map { f in rows.map { try? interpreter.evaluate(f.expr, customer: $0, today: day) } }
        let columns = zip(extra, values).map { field, column in
            zip(ValueText.column(column.map { $0 ?? .missing }, as: field.expr.type), column).map { $1 == nil ? "error" : $0 }
        }
        for (k, c) in rows.enumerated() {
            var row = [customers.ids[c]]
            row += base.map { ValueText.cell(interpreter.column($0, customer: c), as: customers.columns[$0].type) }
            row += columns.map { $0[k] }
            table.add(row)
        }
        return table
    }
}
