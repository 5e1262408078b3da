/// `customer "C00042"`: one customer's attributes, derived fields and latest
/// orders, as of the session's day.
extension ReplSession {
    /// Orders shown, newest first.
    static let recentOrders = 10

    func profile(_ id: Located<String>, in file: SourceFile) -> Result<String, Problems> {
        customerRow(id, in: file).map(profile(of:))
    }

    /// The row of a customer id, or R003 with a did-you-mean.
    func customerRow(_ id: Located<String>, in file: SourceFile) -> Result<Int, Problems> {
        let customers = data.customers
        guard let c = customers.index(of: id.value) else {
            return .failure(Problems(ReplError.unknownCustomer(id.value, suggestion: customers.closestID(to: id.value),
                                                      source: customers.source, at: id.range, in: file)))
        }
        return .success(c)
    }

    private func profile(of c: Int) -> String {
        let customers = data.customers
        let name = customers.columnIndex(named: "name").map { interpreter.column($0, customer: c) }
        var out = "Customer \(customers.ids[c])"
        if case .text(let s)? = name { out += " (\(s))" }
        out += ", as of \(day)\n\n"

        var attributes = TextTable(headers: ["attribute", "value"])
        for (slot, column) in customers.columns.enumerated() {
            attributes.add(["member.\(column.name)", ValueText.shown(interpreter.column(slot, customer: c), as: column.type)])
        }
        out += attributes.rendered()

        var derived = TextTable(headers: ["derived field", "value"])
        for field in DerivedField.allCases {
            guard let v = try? interpreter.derived(field, customer: c, today: day) else {
                derived.add([field.rawValue, "error: beyond Perk's exact numbers (E001)"])
                continue
            }
            derived.add([field.rawValue, v.isMissing ? "missing" : ValueText.cell(v, as: field.type)])
        }
        out += "\n" + derived.rendered()
        out += "\n" + recentOrders(of: c)
        return out
    }

    /// The latest orders before the day, newest first, with every column.
    private func recentOrders(of c: Int) -> String {
        let orders = data.orders
        let before = orders.rows(of: c, before: day.day)
        let later = Int(orders.start[c + 1]) - before.upperBound
        let laterNote = later > 0 ? "; \(later) more on or after \(day), not counted" : ""
        guard !before.isEmpty else { return "No orders before \(day)\(laterNote).\n" }
        let shown = before.reversed().prefix(Self.recentOrders)
        let out = "Latest \(shown.count) of \(before.count) order\(before.count == 1 ? "" : "s") before \(day)\(laterNote)\n\n"
        var table = TextTable(headers: ["ordered_at", "amount", "items"] + orders.columns.map(\.name), rightAligned: [1])
        for row in shown {
            let date = LocalDate(day: orders.date[row])
            let seconds = orders.seconds[row]
            let when = seconds < 0 ? date.description : LocalDateTime(date: date, seconds: seconds).description.replacingOccurrences(of: "T", with: " ")
            let items = orders.itemIDs[Int(orders.itemStart[row])..<Int(orders.itemStart[row + 1])].map { orders.itemNames[Int($0)] }
            var cells = [when, orders.amount[row].formatted(places: 2), items.joined(separator: ", ")]
            cells += orders.columns.map { ValueText.cell($0.value(at: row), as: $0.type) }
            table.add(cells)
        }
        return out + table.rendered()
    }
}
