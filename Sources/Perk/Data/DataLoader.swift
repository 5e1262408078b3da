#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Diagnostic codes

/// Codes of the problems data loading and schema files report; each is stable
/// and documented by its one line here.
public enum DataCode: String, CaseIterable, Sendable {
    /// D001: the file is missing, is a folder, or cannot be read.
    case unreadableFile = "D001"
    /// D002: the file name does not end in .csv, .jsonl or .ndjson.
    case unsupportedFormat = "D002"
    /// D003: a CSV file is empty: it has no header row naming the columns.
    case emptyFile = "D003"
    /// D004: the header names a column twice, or has a column with no name.
    case badHeader = "D004"
    /// D005: a required column is missing (customer_id; or order_id, customer_id, ordered_at, amount).
    case missingColumn = "D005"
    /// D006: a quoted CSV field is never closed, so the rest of the file cannot be read.
    case unterminatedQuote = "D006"
    /// D007: a quote inside a CSV field that is not quoted, or text after a closing quote.
    case strayQuote = "D007"
    /// D008: a CSV row has more or fewer fields than the header.
    case wrongFieldCount = "D008"
    /// D009: bytes that are not UTF-8 text.
    case invalidUTF8 = "D009"
    /// D010: a NUL (zero) byte, usually a damaged or binary file.
    case nulByte = "D010"
    /// D011: a JSON Lines line is not a flat JSON object of text, numbers, booleans, null and lists of text.
    case jsonSyntax = "D011"
    /// D012: a cell does not fit its column's type (number, date, boolean, enum, ...).
    case badValue = "D012"
    /// D013: a date or time that does not exist, such as 2025-02-30 or 25:00.
    case impossibleDate = "D013"
    /// D014: a cell that must have a value is empty (customer_id, order_id, ordered_at, amount).
    case emptyRequired = "D014"
    /// D015: two rows have the same customer_id.
    case duplicateCustomer = "D015"
    /// D016: two rows have the same order_id.
    case duplicateOrder = "D016"
    /// D017: an order amount is below zero.
    case negativeAmount = "D017"
    /// D018: a `tier` column holds values outside MEMBER < SILVER < GOLD < VIP and no schema declares the order.
    case undeclaredTier = "D018"
    /// D019 (warning): orders with an empty customer_id (guest orders) were left out.
    case guestOrders = "D019"
    /// D020 (warning): orders naming customers who are not in the customers file were left out.
    case unknownCustomers = "D020"
    /// D021: how many rows were bad; an error (nothing loaded), or a warning when they were skipped.
    case badRows = "D021"
    /// D022 (warning): the schema declares a column the data file does not have.
    case schemaColumnAbsent = "D022"
    /// D023 (warning): the file has no rows: a CSV header alone, or a JSON Lines file with no objects.
    case noRows = "D023"
    /// D024 (warning): a column no rule reads holds a cell that does not fit the type its first rows show, so it is read as text.
    case columnReadAsText = "D024"
    /// D025: a CSV file separated by semicolons, not commas (a spreadsheet in a European language).
    case semicolonSeparated = "D025"
    /// D026: a file in UTF-16 or GBK (GB18030), not UTF-8, as Chinese spreadsheets export it.
    case notUTF8 = "D026"
    /// D027: a date column holding dates written 2025/03/01 or 01/03/2025 in several rows.
    case spreadsheetDates = "D027"
    /// D028: a number column holding a currency sign (¥20) or thousands separators (1,234.50) in several rows.
    case formattedNumbers = "D028"
    /// D029: every row was skipped as bad, so the file is not what Perk expects.
    case noGoodRows = "D029"
    /// D050: a schema line is not `column: type`.
    case schemaSyntax = "D050"
    /// D051: a schema line names a type Perk does not know.
    case schemaUnknownType = "D051"
    /// D052: a schema file declares the same column twice.
    case schemaDuplicateColumn = "D052"
    /// D053: an enum in a schema file has an empty or repeated value.
    case schemaBadEnum = "D053"
    /// D054: a schema column name is not a plain name like `points` or `orders.store`.
    case schemaBadName = "D054"
}

// MARK: - Options

public struct LoadOptions: Sendable {
    /// Leave bad rows out (with warnings) instead of failing the whole load.
    public var skipBadRows: Bool
    /// Declared column types; declared columns are not inferred.
    public var schema: SchemaDeclarations?
    /// The order fields the caller will read; a loader may leave the others
    /// out of the table, after checking them.
    public var orderFields: OrderFieldSelection
    /// The columns rules read: a cell that does not fit such a column's type
    /// is a bad row, as in a standard or declared column (see `ColumnTyping`).
    public var namedColumns: NamedColumns

    public init(skipBadRows: Bool = false, schema: SchemaDeclarations? = nil, orderFields: OrderFieldSelection = .all,
                namedColumns: NamedColumns = NamedColumns()) {
        self.skipBadRows = skipBadRows
        self.schema = schema
        self.orderFields = orderFields
        self.namedColumns = namedColumns
    }
}

// MARK: - Loader

/// Loads customers and orders from CSV or JSON Lines files.
///
/// User mistakes never throw or trap: a load returns a table, or nil and the
/// diagnostics that say why, naming file, line and column. Bad rows are all
/// collected before giving up, so one run shows every problem.
public enum DataLoader {
    public static func loadCustomers(bytes: [UInt8], path: String, options: LoadOptions = LoadOptions()) -> (CustomerTable?, LoadReport) {
        load(bytes: bytes, path: path, with: customerLoaders(path: path, options: options))
    }

    public static func loadCustomers(path: String, options: LoadOptions = LoadOptions()) -> (CustomerTable?, LoadReport) {
        load(path: path, with: customerLoaders(path: path, options: options))
    }

    public static func loadOrders(bytes: [UInt8], path: String, customers: CustomerTable,
                                  options: LoadOptions = LoadOptions()) -> (OrderTable?, LoadReport) {
        load(bytes: bytes, path: path, with: orderLoaders(path: path, customers: customers, options: options))
    }

    public static func loadOrders(path: String, customers: CustomerTable,
                                  options: LoadOptions = LoadOptions()) -> (OrderTable?, LoadReport) {
        load(path: path, with: orderLoaders(path: path, customers: customers, options: options))
    }

    /// The loaders of one kind of table, given the file's `ColumnSample`: the
    /// parallel one (saying why when it steps aside), and the general one
    /// for each format.
    private struct Loaders<Table> {
        var parallel: (_ file: UnsafeBufferPointer<UInt8>, _ format: DataFormat, _ sample: ColumnSample,
                       _ release: @escaping (Range<Int>) -> Void) -> Result<(Table?, LoadReport), StepAside>
        var csv: (CSVSource, ColumnSample) -> (Table?, LoadReport)
        var jsonLines: (JSONLinesSource, ColumnSample) -> (Table?, LoadReport)
    }

    private static func customerLoaders(path: String, options: LoadOptions) -> Loaders<CustomerTable> {
        Loaders(
            parallel: { ParallelCustomerLoader(file: $0, path: path, options: options, sample: $2, release: $3, format: $1)
                            .loadOrStepAside() },
            csv: { var loader = CustomerLoader(source: $0, path: path, options: options, sample: $1); return loader.load() },
            jsonLines: { var loader = CustomerLoader(source: $0, path: path, options: options, sample: $1); return loader.load() })
    }

    private static func orderLoaders(path: String, customers: CustomerTable, options: LoadOptions) -> Loaders<OrderTable> {
        Loaders(
            parallel: { ParallelOrderLoader(file: $0, path: path, customers: customers, options: options, sample: $2,
                                            release: $3, format: $1).loadOrStepAside() },
            csv: { var loader = OrderLoader(source: $0, path: path, customers: customers, options: options, sample: $1)
                   return loader.load() },
            jsonLines: { var loader = OrderLoader(source: $0, path: path, customers: customers, options: options, sample: $1)
                         return loader.load() })
    }

    // Every load starts with the sample of the file's first rows, which types
    // the columns before any row is read (`ColumnSample`).

    private static func load<Table>(bytes: [UInt8], path: String, with loaders: Loaders<Table>) -> (Table?, LoadReport) {
        guard let format = DataFormat.of(path: path) else { return (nil, failure(DataFormat.unsupported(path: path))) }
        if let mistake = bytes.withUnsafeBufferPointer({ FileExportCheck.problem(in: $0, path: path, format: format) }) {
            return (nil, failure(mistake))
        }
        let sample = bytes.withUnsafeBufferPointer { ColumnSample.of(file: $0, format: format) }
        switch bytes.withUnsafeBufferPointer({ loaders.parallel($0, format, sample, { _ in }) }) {
        case .success(let fast):
            return noted(fast, path: path, .parallel)
        case .failure(let why):
            return noted(general(bytes, format: format, sample: sample, with: loaders), path: path, .general(why))
        }
    }

    private static func general<Table>(_ bytes: [UInt8], format: DataFormat, sample: ColumnSample,
                                       with loaders: Loaders<Table>) -> (Table?, LoadReport) {
        switch format {
        case .csv: return loaders.csv(CSVSource(bytes: bytes), sample)
        case .jsonLines: return loaders.jsonLines(JSONLinesSource(bytes: bytes), sample)
        }
    }

    private static func noted<Table>(_ load: (Table?, LoadReport), path: String, _ loader: LoaderPath) -> (Table?, LoadReport) {
        var (table, report) = load
        report.loads.append(FileLoad(path: path, loader: loader))
        return (table, report)
    }

    private static func load<Table>(path: String, with loaders: Loaders<Table>) -> (Table?, LoadReport) {
        guard let format = DataFormat.of(path: path) else { return (nil, failure(DataFormat.unsupported(path: path))) }
        // A well-formed file is read straight from the mapped file, one piece per core.
        // A file that cannot be mapped is empty (or not there): it has no header, or no rows.
        var stepAside = format == .csv ? StepAside.header : .noRows
        if let mapped = MappedFile(path: path) {
            if let mistake = FileExportCheck.problem(in: mapped.bytes, path: path, format: format) {
                return (nil, failure(mistake))
            }
            let sample = ColumnSample.of(file: mapped.bytes, format: format)
            switch loaders.parallel(mapped.bytes, format, sample, mapped.release) {
            case .success(let fast): return noted(fast, path: path, .parallel)
            case .failure(let why): stepAside = why
            }
        }
        switch DataFile.read(path: path) {
        case .success(let bytes):
            if let mistake = bytes.withUnsafeBufferPointer({ FileExportCheck.problem(in: $0, path: path, format: format) }) {
                return (nil, failure(mistake))
            }
            let sample = bytes.withUnsafeBufferPointer { ColumnSample.of(file: $0, format: format) }
            // The parallel loader has had its try; this one reports whatever stopped it.
            return noted(general(bytes, format: format, sample: sample, with: loaders), path: path, .general(stepAside))
        case .failure(let problem): return (nil, failure(problem.diagnostic))
        }
    }

    private static func failure(_ diagnostic: Diagnostic) -> LoadReport {
        var report = LoadReport()
        report.diagnostics.append(diagnostic)
        return report
    }
}

// MARK: - Formats

enum DataFormat: Equatable {
    case csv
    case jsonLines

    static func of(path: String) -> DataFormat? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "csv": return .csv
        case "jsonl", "ndjson": return .jsonLines
        default: return nil
        }
    }

    static func unsupported(path: String) -> Diagnostic {
        Diagnostic(.error, DataCode.unsupportedFormat.rawValue,
                   "Perk cannot read \(path): data files must end in .csv, .jsonl or .ndjson",
                   at: .file(path: path),
                   help: "export the sheet as CSV (in Excel: File > Save As > CSV UTF-8)")
    }
}

// MARK: - Reading files

/// Reads a whole file with plain system calls, turning each way it can fail
/// into words rather than an exception.
enum DataFile {
    struct Problem: Error {
        var diagnostic: Diagnostic
    }

    static func read(path: String) -> Result<[UInt8], Problem> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(problem(path, errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(problem(path, errno)) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(Problem(diagnostic: Diagnostic(.error, DataCode.unreadableFile.rawValue,
                                                           "\(path) is a folder, not a data file", at: .file(path: path))))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size) + 1)
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, chunk) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(problem(path, errno))
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return .success(bytes)
    }

    private static func problem(_ path: String, _ code: Int32) -> Problem {
        let message: String
        switch code {
        case ENOENT: message = "cannot find \(path)"
        case EACCES, EPERM: message = "no permission to read \(path)"
        case EISDIR: message = "\(path) is a folder, not a data file"
        default: message = "cannot read \(path): \(String(cString: strerror(code)))"
        }
        let help = code == ENOENT ? "check the file name and the folder Perk runs in" : nil
        return Problem(diagnostic: Diagnostic(.error, DataCode.unreadableFile.rawValue, message,
                                              at: .file(path: path), help: help))
    }
}

/// `read(2)`, named apart from `DataFile.read(path:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
