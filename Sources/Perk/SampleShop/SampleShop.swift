import Foundation

/// What sample shop to make. The same configuration always gives byte-identical
/// files, on every machine.
public struct SampleShopConfig: Sendable, Equatable {
    /// Customers in customers.csv; some of them never order.
    public var customers: Int
    /// Rows in orders.csv, guest orders (about 1%) included.
    public var orders: Int
    public var seed: UInt64
    /// Orders fall on `firstDay ... lastDay`, both included.
    public var firstDay: LocalDate
    public var lastDay: LocalDate
    /// Written as a real export writes it (see `ExportLikeShape`): the same
    /// shop, with columns Perk does not know, in another order.
    public var exportLike: Bool

    public init(customers: Int = 3000, orders: Int = 60000, seed: UInt64 = 42,
                firstDay: LocalDate = SampleShopConfig.defaultFirstDay,
                lastDay: LocalDate = SampleShopConfig.defaultLastDay, exportLike: Bool = false) {
        self.customers = customers
        self.orders = orders
        self.seed = seed
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.exportLike = exportLike
    }

    /// The rows of orders.csv with no customer_id: about 1% of them, and
    /// every one when there are no customers. Loading leaves them out of
    /// profiles, so commands count `orders - guestOrders`.
    public var guestOrders: Int { customers <= 0 ? max(0, orders) : max(0, orders) / 100 }

    /// 2025-01-01 and 2025-12-31: a calendar year, so campaigns can be tried "as of" 2026-01-01.
    public static let defaultFirstDay = LocalDate(day: Int32(LocalDate.daysFromCivil(2025, 1, 1)))
    public static let defaultLastDay = LocalDate(day: Int32(LocalDate.daysFromCivil(2025, 12, 31)))
}

/// A made-up milk-tea chain to try rules on: customers.csv and orders.csv with the
/// shapes real data has (a few regulars and many one-off visitors, summer peak,
/// Chinese New Year dip, churn, new members, guest orders, missing values).
///
/// Negative counts are taken as zero and a reversed date range as the same days.
/// With no customers, every order is a guest order.
public enum SampleShop {
    // MARK: Generating

    /// Writes customers.csv and orders.csv content (RFC 4180, LF line endings,
    /// header row) into the given sinks, in chunks that each end at a row boundary.
    public static func generate(_ config: SampleShopConfig, customers: inout some TextOutputStream,
                                orders: inout some TextOutputStream) {
        write(config, customers: { customers.write(String(decoding: $0, as: UTF8.self)) },
              orders: { orders.write(String(decoding: $0, as: UTF8.self)) })
    }

    /// Hands each file's bytes over in chunks that end at a row's end, in
    /// the shape `config` asks for. Orders first: the customers' points come
    /// from what they spent.
    private static func write(_ config: SampleShopConfig, customers: ([UInt8]) -> Void, orders: ([UInt8]) -> Void) {
        let plan = SampleShopPlan(config)
        guard config.exportLike else {
            let spend = SampleOrderWriter.write(plan, flush: orders)
            SampleCustomerWriter.write(plan, spendCents: spend, flush: customers)
            return
        }
        var orderRows = ExportLikeRewriter(extras: ExportLikeShape.orderExtras, seed: config.seed, stream: .exportOrders)
        var customerRows = ExportLikeRewriter(extras: ExportLikeShape.customerExtras, seed: config.seed, stream: .exportCustomers)
        let spend = SampleOrderWriter.write(plan) { orders(orderRows.rewrite($0)) }
        SampleCustomerWriter.write(plan, spendCents: spend) { customers(customerRows.rewrite($0)) }
    }

    public static func generate(_ config: SampleShopConfig) -> (customersCSV: String, ordersCSV: String) {
        var customers = ""
        var orders = ""
        generate(config, customers: &customers, orders: &orders)
        return (customers, orders)
    }

    /// Writes `customers.csv` and `orders.csv` into `directory` (created if missing,
    /// existing files replaced) and returns their paths, customers first.
    public static func write(_ config: SampleShopConfig, to directory: String) -> Result<[String], SampleShopWriteError> {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            // The system's reason, not Foundation's "The operation could not be completed".
            let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code
            return .failure(SampleShopWriteError(path: directory, reason: "cannot create the folder" + (code.map { " (\(String(cString: strerror(Int32($0)))))" } ?? "")))
        }
        let customersPath = join(directory, "customers.csv")
        let ordersPath = join(directory, "orders.csv")
        // Open both before generating, so a read-only directory fails at once.
        let customersFile: SampleFileWriter
        let ordersFile: SampleFileWriter
        switch (SampleFileWriter.open(customersPath), SampleFileWriter.open(ordersPath)) {
        case (.success(let c), .success(let o)):
            customersFile = c
            ordersFile = o
        case (.failure(let error), let other), (let other, .failure(let error)):
            if case .success(let opened) = other { _ = opened.close() }
            return .failure(error)
        }

        write(config, customers: customersFile.write, orders: ordersFile.write)

        let ordersResult = ordersFile.close()
        let customersResult = customersFile.close()
        if let error = customersResult ?? ordersResult { return .failure(error) }
        return .success([customersPath, ordersPath])
    }

    // MARK: Tables for tests and documentation

    static let customerHeader = SampleCustomerWriter.header
    static let orderHeader = SampleOrderWriter.header
    /// The drinks and toppings orders are made of, with exact prices in cents.
    static let menu = SampleCatalog.menu
    static let couponCodes = [SampleCatalog.welcome, SampleCatalog.comeBack, SampleCatalog.birthday,
                              SampleCatalog.loyalty, SampleCatalog.app, SampleCatalog.summer]

    private static func join(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}

/// A file of the sample shop could not be written.
public struct SampleShopWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot write \(path): \(reason)" }
}

// MARK: - Buffered file output

/// One output file written with stdio (buffered by the C library; our chunks are
/// already 64 KB). Remembers the first failure instead of stopping generation,
/// which has no way to stop; `close` reports it.
final class SampleFileWriter {
    private let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private var failure: SampleShopWriteError?

    private init(path: String, file: UnsafeMutablePointer<FILE>) {
        self.path = path
        self.file = file
    }

    static func open(_ path: String) -> Result<SampleFileWriter, SampleShopWriteError> {
        guard let file = fopen(path, "wb") else {
            return .failure(SampleShopWriteError(path: path, reason: String(cString: strerror(errno))))
        }
        return .success(SampleFileWriter(path: path, file: file))
    }

    func write(_ bytes: [UInt8]) {
        guard failure == nil, let file, !bytes.isEmpty else { return }
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        if written != bytes.count {
            failure = SampleShopWriteError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Closes the file; returns the first error of writing or closing it.
    func close() -> SampleShopWriteError? {
        guard let file else { return failure }
        self.file = nil
        if fclose(file) != 0, failure == nil {
            failure = SampleShopWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        return failure
    }

    deinit {
        if let file { fclose(file) }
    }
}
