/// `:schema`: every name a condition can use, with its type and example values
/// from the data (the first distinct ones, in file order).
struct SchemaReport {
    let schema: Schema
    let data: DataSet
    let program: CheckedProgram

    static let examples = 3
    /// How far to look for distinct examples, so a huge file answers at once.
    static let rowsScanned = 1_000

    func rendered() -> String {
        var out = "Customer columns, written member.NAME (from \(data.customers.source)):\n\n"
        var customers = TextTable(headers: ["field", "type", "examples"])
        for field in schema.customerFields {
            let values = data.customers.columns[field.slot].values
            customers.add(["member.\(field.name)", field.type.shortName, examples(field.type, count: values.count) { values[$0] }])
        }
        out += customers.rendered()

        out += "\nDerived from each customer's orders before the evaluation day:\n\n"
        var derived = TextTable(headers: ["field", "type", "meaning"])
        for field in DerivedField.allCases { derived.add([field.rawValue, field.type.shortName, field.summary]) }
        out += derived.rendered()

        out += "\nOrder columns, inside `where` of an order query (or after `orders.`):\n\n"
        var orders = TextTable(headers: ["field", "type", "examples"])
        let table = data.orders
        for field in schema.orderFields {
            let shown: String
            switch field.slot {
            case .amount: shown = examples(field.type, count: table.count) { .number(table.amount[$0]) }
            case .orderedAt: shown = examples(field.type, count: table.count) { .date(LocalDate(day: table.date[$0])) }
            case .items: shown = table.itemNames.prefix(Self.examples).joined(separator: ", ")
            case .column(let i): shown = examples(field.type, count: table.count) { table.columns[i].value(at: $0) }
            case .absent: shown = "(not in this data: always missing)"
            }
            orders.add([field.name, field.type.shortName, shown])
        }
        out += orders.rendered()

        let enums = schema.enums
        if !enums.isEmpty {
            out += "\nEnums, in order (so `member.tier >= GOLD` works):\n"
            for e in enums { out += "  \(e.name): \(e.description)\n" }
        }
        if !program.defines.isEmpty {
            out += "\nDefines: " + program.defines.map(\.name).joined(separator: ", ") + "\n"
        }
        return out
    }

    /// The first distinct values present, or an enum's order.
    private func examples(_ type: PerkType, count: Int, value: (Int) -> Value) -> String {
        if case .enumeration(let e) = type { return e.description }
        var seen: [Value] = []
        for row in 0..<Swift.min(count, Self.rowsScanned) {
            let v = value(row)
            if !v.isMissing, !seen.contains(v) { seen.append(v) }
            if seen.count == Self.examples { break }
        }
        return seen.map { ValueText.shown($0, as: type) }.joined(separator: ", ")
    }
}
