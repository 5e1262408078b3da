/// A test's customers and orders as the tables `perk run` reads: every column
/// of the schema the rules were checked against, in its order and type, the
/// ones the test leaves out missing. The rules then bind to them as to any
/// data (`Binder`), so a test runs exactly the code a real day does.
enum FixtureData {
    /// The data of `test`, and for each of its customers (in the order written)
    /// the row it has in the table, which sorts customers by id.
    static func make(_ test: CheckedTest, schema: Schema) -> (DataSet, rows: [Int]) {
        let order = test.customers.indices.sorted { test.customers[$0].id.utf8.lexicographicallyPrecedes(test.customers[$1].id.utf8) }
        var rows = [Int](repeating: 0, count: order.count)
        for (row, written) in order.enumerated() { rows[written] = row }

        let fields = schema.customerFields
        let columns = fields.indices.map { f in
            CustomerColumn(name: fields[f].name, type: fields[f].type, values: order.map { test.customers[$0].values[f] })
        }
        let customers = CustomerTable(source: test.file.path, ids: order.map { test.customers[$0].id }, columns: columns,
                                      lines: order.map { test.customers[$0].line })
        let orders = orderTable(test, rows: rows, customerCount: order.count, schema: schema)
        var report = LoadReport()
        report.customersRead = customers.count
        report.ordersRead = orders.count
        return (DataSet(customers: customers, orders: orders, isSample: false, report: report), rows)
    }

    /// Orders grouped by customer row and in time order within each, as loaders leave them.
    private static func orderTable(_ test: CheckedTest, rows: [Int], customerCount: Int, schema: Schema) -> OrderTable {
        let sorted = test.orders.sorted { a, b in
            (rows[a.customer], a.day, a.seconds, a.line) < (rows[b.customer], b.day, b.seconds, b.line)
        }
        let itemNames = Array(Set(sorted.flatMap(\.items))).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let itemID = Dictionary(uniqueKeysWithValues: itemNames.enumerated().map { ($1, Int32($0)) })
        var start = [Int32](repeating: 0, count: customerCount + 1)
        for o in sorted { start[rows[o.customer] + 1] += 1 }
        for c in 0..<customerCount { start[c + 1] += start[c] }
        var itemStart: [Int32] = [0]
        var itemIDs: [Int32] = []
        for o in sorted {
            itemIDs += o.items.compactMap { itemID[$0] }
            itemStart.append(Int32(itemIDs.count))
        }
        // Every other column the schema knows, so the rules' `where` finds it.
        let others = schema.orderFields.filter {
            switch $0.slot {
            case .column, .absent: return true
            default: return false
            }
        }
        let columns = others.map { f in
            OrderColumn(name: f.name, type: f.type, storage: .values(sorted.map { $0.others[f.name] ?? .missing }))
        }
        return OrderTable(source: test.file.path, start: start, customer: sorted.map { Int32(rows[$0.customer]) },
                          date: sorted.map(\.day), seconds: sorted.map(\.seconds), amount: sorted.map(\.amount),
                          itemStart: itemStart, itemIDs: itemIDs, itemNames: itemNames, columns: columns, lines: sorted.map(\.line))
    }
}
