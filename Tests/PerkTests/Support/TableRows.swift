@testable import Perk

/// Loaded tables as one line of text per row, so a test compares whole tables
/// and a failure shows the row that differs. Text values are shown quoted and
/// escaped, so a space or a line break kept in a value is seen.
enum TableRows {
    static func of(_ table: CustomerTable) -> [String] {
        table.ids.indices.map { r in
            "line \(table.lines[r]): \(table.ids[r].debugDescription)"
                + table.columns.map { " \($0.name)=\(shown($0.values[r], as: $0.type))" }.joined()
        }
    }

    /// Orders in the table's order (by customer, then time), each with its
    /// customer's id; items and amounts only when the load kept them.
    static func of(_ table: OrderTable, customers: CustomerTable) -> [String] {
        (0..<table.count).map { r in
            var row = "line \(table.lines[r]): \(customers.ids[Int(table.customer[r])].debugDescription)"
                + " day=\(table.date[r]) seconds=\(table.seconds[r])"
            if !table.amount.isEmpty { row += " amount=\(table.amount[r])" }
            if table.itemStart.count == table.count + 1 {
                let ids = table.itemIDs[Int(table.itemStart[r])..<Int(table.itemStart[r + 1])]
                row += " items=[" + ids.map { table.itemNames[Int($0)].debugDescription }.joined(separator: ", ") + "]"
            }
            for column in table.columns where column.isLoaded {
                row += " \(column.name)=\(shown(column.value(at: r), as: column.type))"
            }
            return row
        }
    }

    /// A value as a test reads it: text quoted and escaped, an enum by name.
    static func shown(_ value: Value, as type: PerkType) -> String {
        switch (value, type) {
        case (.text(let s), _): return s.debugDescription
        case (.symbol(let ordinal), .enumeration(let e)) where e.cases.indices.contains(Int(ordinal)): return e.cases[Int(ordinal)]
        default: return value.description
        }
    }
}
