/// Schemas made before any row is loaded: from the data files' headers and
/// first rows, or from a schema file alone.
extension Schema {
    /// The schema the data files will load with, from their headers and
    /// first rows (`ColumnSample`), typed as the loaders type them
    /// (`ColumnTyping`), with the slots the loaded tables will have. Nil when
    /// a file cannot be loaded as it starts (unreadable, a header with
    /// problems, a required column missing, a tier with no known rank): the
    /// load then says what is wrong.
    static func ofFiles(customers customersPath: String, orders ordersPath: String?,
                        declarations: SchemaDeclarations?) -> Schema? {
        guard let customers = ColumnSample.read(path: customersPath), customers.headerIsUsable,
              customers.names.contains("customer_id") else { return nil }
        let declaredCustomers = declarations?.customerColumns ?? [:]
        var customerFields: [Field] = []
        for name in customers.names where name != "customer_id" {
            let (type, origin) = ColumnTyping.type(of: name, declared: declaredCustomers, sample: customers)
            guard ColumnTyping.undeclaredTier(name, origin: origin, sample: customers) == nil else { return nil }
            customerFields.append(Field(name: name, type: type, slot: customerFields.count))
        }
        var orderColumns: [(name: String, type: PerkType)] = []
        if let ordersPath {
            let required = OrderLoader<CSVSource>.requiredColumns
            guard let orders = ColumnSample.read(path: ordersPath), orders.headerIsUsable,
                  required.allSatisfy(orders.names.contains) else { return nil }
            let declaredOrders = declarations?.orderColumns ?? [:]
            for name in orders.names where !required.contains(name) && name != "items" {
                let (type, origin) = ColumnTyping.type(of: name, declared: declaredOrders, known: ColumnTyping.knownOrderTypes,
                                                       sample: orders)
                guard ColumnTyping.undeclaredTier(name, origin: origin, sample: orders) == nil else { return nil }
                orderColumns.append((name, type))
            }
        }
        return Schema(customerFields: customerFields, orderFields: Self.orderFields(orderColumns), source: customersPath)
    }

    /// The columns a schema file declares, with no data: rules are checked
    /// against them, and nothing is loaded. Columns are in name order.
    public init(declarations d: SchemaDeclarations) {
        let customers = d.customerColumns.keys.sorted().filter { $0 != "customer_id" }
        let fields = customers.enumerated().compactMap { slot, name in
            d.customerColumns[name].map { Field(name: name, type: $0, slot: slot) }
        }
        let orders = d.orderColumns.keys.sorted().compactMap { name in d.orderColumns[name].map { (name: name, type: $0) } }
        self.init(customerFields: fields, orderFields: Self.orderFields(orders), source: d.source)
    }

    /// The standard order fields, with the orders table's columns (in table
    /// order, so column `i` is slot `.column(i)`) in place of or after them.
    static func orderFields(_ columns: [(name: String, type: PerkType)]) -> [OrderField] {
        var fields = OrderField.standard
        for (i, column) in columns.enumerated() {
            let field = OrderField(name: column.name, type: column.type, slot: .column(i))
            if let k = fields.firstIndex(where: { $0.name == column.name }) {
                fields[k] = field
            } else {
                fields.append(field)
            }
        }
        return fields
    }
}
