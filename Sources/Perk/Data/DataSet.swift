/// The customers and orders a command works on: files the user named, or the
/// built-in sample shop when none were given.
public struct DataSet: Sendable {
    public var customers: CustomerTable
    public var orders: OrderTable
    /// True for the built-in sample shop.
    public var isSample: Bool
    /// Counts and the rows that could not be used, with their diagnostics.
    public var report: LoadReport

    public init(customers: CustomerTable, orders: OrderTable, isSample: Bool, report: LoadReport) {
        self.customers = customers
        self.orders = orders
        self.isSample = isSample
        self.report = report
    }

    /// One line saying what data this is, such as `built-in sample shop: 3,000
    /// customers, 59,400 orders (2025-01-01 to 2025-12-31); 600 guest orders with
    /// no customer left out`. The orders are those in profiles; the guests are
    /// said, so the count is not taken for the file's (`perk sample-data`'s).
    public var summary: String {
        var s = isSample ? "built-in sample shop: " : "\(customers.source) and \(orders.source): "
        s += "\(PlanReport.grouped(customers.count)) customers, \(PlanReport.grouped(orders.count)) orders"
        if let first = orders.earliestDate, let last = orders.latestDate { s += " (\(first) to \(last))" }
        if report.guestOrders > 0 { s += "; " + Self.guestOrdersLeftOut(report.guestOrders) }
        return s
    }

    /// The one phrase every command uses for the orders a load leaves out for
    /// having no customer_id, so the counts of `sample-data` and the others agree.
    public static func guestOrdersLeftOut(_ count: Int) -> String {
        count == 1 ? "1 guest order with no customer left out"
            : "\(PlanReport.grouped(count)) guest orders with no customer left out"
    }

    /// The default evaluation day: the day after the latest order, guest orders included.
    public var dayAfterLatestOrder: LocalDate? { (report.latestOrderDate ?? orders.latestDate)?.advanced(by: 1) }

    /// The built-in sample shop, generated in memory from a fixed seed.
    public static func sampleShop(_ config: SampleShopConfig = SampleShopConfig()) -> DataSet {
        let (customersCSV, ordersCSV) = SampleShop.generate(config)
        let path = "<sample shop>"
        // The generator and the loader are tested together; a failure here is a bug.
        let (customers, customerReport) = DataLoader.loadCustomers(bytes: Array(customersCSV.utf8), path: path + "/customers.csv")
        guard let customers else { preconditionFailure("sample customers did not load: \(customerReport.diagnostics)") }
        let (orders, orderReport) = DataLoader.loadOrders(bytes: Array(ordersCSV.utf8), path: path + "/orders.csv", customers: customers)
        guard let orders else { preconditionFailure("sample orders did not load: \(orderReport.diagnostics)") }
        var report = orderReport
        report.customersRead = customerReport.customersRead
        // Guest orders are part of the sample's realism, not news to the user.
        report.diagnostics = []
        return DataSet(customers: customers, orders: orders, isSample: true, report: report)
    }

    /// Loads the named files. Returns nil when a file cannot be used; the
    /// diagnostics say why, with file, line and column.
    public static func load(customers customersPath: String, orders ordersPath: String?, options: LoadOptions) -> (DataSet?, [Diagnostic]) {
        let (customers, customerReport) = DataLoader.loadCustomers(path: customersPath, options: options)
        guard let customers else { return (nil, customerReport.diagnostics) }
        guard let ordersPath else {
            let none = OrderTable.empty(customers: customers.count, source: "no orders file")
            return (DataSet(customers: customers, orders: none, isSample: false, report: customerReport), customerReport.diagnostics)
        }
        let (orders, orderReport) = DataLoader.loadOrders(path: ordersPath, customers: customers, options: options)
        let diagnostics = customerReport.diagnostics + orderReport.diagnostics
        guard let orders else { return (nil, diagnostics) }
        var report = orderReport
        report.customersRead = customerReport.customersRead
        report.skippedRows += customerReport.skippedRows
        report.diagnostics = diagnostics
        report.loads = customerReport.loads + orderReport.loads
        return (DataSet(customers: customers, orders: orders, isSample: false, report: report), diagnostics)
    }

    /// No rows, only the columns a schema file declares, in the order and
    /// with the slots of `Schema(declarations:)`. Rules are checked against
    /// the schema itself; these tables are for the commands that run rules on
    /// tables even when there are none (`perk run --schema FILE`).
    public static func declared(_ d: SchemaDeclarations) -> DataSet {
        let schema = Schema(declarations: d)
        let customerColumns = schema.customerFields.map { CustomerColumn(name: $0.name, type: $0.type, values: []) }
        let customers = CustomerTable(source: d.source, ids: [], columns: customerColumns, lines: [])
        var orders = OrderTable.empty(customers: 0, source: d.source)
        orders.columns = d.orderColumns.sorted { $0.key < $1.key }.map { OrderColumn(name: $0.key, type: $0.value, storage: .values([])) }
        return DataSet(customers: customers, orders: orders, isSample: false, report: LoadReport())
    }
}

extension OrderTable {
    /// No orders at all, for customers loaded without an orders file.
    public static func empty(customers: Int, source: String) -> OrderTable {
        OrderTable(source: source, start: Array(repeating: 0, count: customers + 1), customer: [], date: [], seconds: [],
                   amount: [], itemStart: [0], itemIDs: [], itemNames: [], columns: [], lines: [])
    }
}
