import Foundation
import XCTest
@testable import Perk
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seeded byte-level fuzzing of the data readers, through the real loaders.
///
/// Valid customers and orders files, CSV and JSON Lines, are mutated (bytes
/// flipped, inserted and deleted; quotes, line ends, NUL bytes, invalid UTF-8,
/// byte order marks, huge numbers, long lines, unbalanced brackets, cells
/// swapped for awkward values) and loaded as a user's file would be. For each
/// input:
///
/// - nothing crashes, and each load finishes within `timeLimit`;
/// - every diagnostic names this file and a line and column inside it, with
///   that line's text;
/// - nothing is silently lost. With `--skip-bad-rows`, a load that succeeds
///   accounts for every record: loaded + skipped (+ guest orders + orders of
///   unknown customers) == the records in the file, as an independent
///   reference reader counts them (RFC 4180 records after the header; non-blank
///   lines of JSON Lines), and `customersRead`/`ordersRead` say the same. A
///   load that fails says why with at least one error, and an unclosed quote
///   always fails (D006). Without skipping, a load succeeds only with no bad
///   row, and then gives the same table as with skipping;
/// - every loader gives the same answer: `DataLoader` (which tries the parallel
///   loader first), the general loader alone, and the parallel loaders cut
///   into several pieces (when they take the file on at all).
///
/// A second fuzzer goes the other way: random tables of awkward values,
/// written as CSV and JSON Lines, must read back exactly.
///
/// The suite runs a fixed number of inputs from a fixed seed, in under ten
/// seconds. `PERK_FUZZ_SECONDS=1800` runs each fuzzer for that long (see README,
/// Development notes); `PERK_FUZZ_SEED` picks the seed and `PERK_FUZZ_CASE`
/// runs one case of it again. A failure prints the seed, the case and the
/// input's bytes; a crash or a hang prints them from a signal handler.
final class DataReaderFuzzTests: XCTestCase {
    /// In the suite: inputs per target (four targets), and a wall-clock cap
    /// that only a much slower machine would reach.
    private static let suiteCasesPerTarget = 250
    /// In the suite: random shops written and read back, in each format.
    private static let suiteGeneratedCases = 1_000
    private static let suiteSecondsCap = 12.0
    /// No input may take longer than this, all its loads together (a debug build).
    private static let timeLimit = 5.0
    /// An input still loading after this is a hang: the run stops with its bytes.
    private static let hangLimit = 120.0

    func testMutatedDataFilesNeverCrashHangOrLoseRows() throws {
        let settings = FuzzSettings(environment: ProcessInfo.processInfo.environment)
        print(settings.banner)
        let targets = FuzzTargets.make()
        FuzzCrashNote.shared.install(hangLimit: Self.hangLimit)
        defer { FuzzCrashNote.shared.finished() }

        var stats = FuzzStats()
        let started = Date()
        var failures = 0
        let cases: AnySequence<UInt64> = settings.onlyCase.map { AnySequence([$0]) } ?? AnySequence(0...)
        for index in cases {
            let elapsed = Date().timeIntervalSince(started)
            if let seconds = settings.seconds {
                if elapsed >= seconds { break }
            } else if settings.onlyCase == nil {
                if index >= UInt64(Self.suiteCasesPerTarget * targets.count) { break }
                if elapsed >= Self.suiteSecondsCap {
                    print("perk fuzz: stopped at the \(Self.suiteSecondsCap) s cap after \(index) inputs")
                    break
                }
            }
            let target = targets[Int(index % UInt64(targets.count))]
            var random = SplitMix64(seed: settings.seed ^ (index &* 0x9E37_79B9_7F4A_7C15))
            let seeds = random.next() % 5 == 0 ? target.tiny : target.seeds
            let input = Mutator.mutate(seeds[Int(random.next() % UInt64(seeds.count))], format: target.format, using: &random)
            FuzzCrashNote.shared.trying(seed: settings.seed, index: index, path: target.path, input: input)
            var check = FuzzCheck(target: target, input: input, timeLimit: Self.timeLimit)
            let problems = check.run(stats: &stats)
            if !problems.isEmpty {
                failures += 1
                XCTFail(FuzzReport.failure(seed: settings.seed, index: index, path: target.path, input: input, problems: problems))
                if failures >= 5 { break }
            }
        }
        print(stats.summary(seconds: Date().timeIntervalSince(started), seed: settings.seed))
    }

    /// The other way round: random tables of awkward values (quotes, commas,
    /// line breaks of every kind, spaces at either end, Chinese, emoji, ids
    /// that need quoting) written as CSV by `CSVWriter`, with any line ends,
    /// and as JSON Lines, must load back exactly: every id, text, number,
    /// tier and order, through `DataLoader`, the general loaders and the
    /// parallel loaders in three pieces. Not a wrong character, not a row lost.
    func testGeneratedTablesReadBackExactly() throws {
        let settings = FuzzSettings(environment: ProcessInfo.processInfo.environment)
        print(settings.banner)
        FuzzCrashNote.shared.install(hangLimit: Self.hangLimit)
        defer { FuzzCrashNote.shared.finished() }
        let started = Date()
        var tried = 0, failures = 0
        let cases: AnySequence<UInt64> = settings.onlyCase.map { AnySequence([$0]) } ?? AnySequence(0...)
        for index in cases {
            let elapsed = Date().timeIntervalSince(started)
            if let seconds = settings.seconds {
                if elapsed >= seconds { break }
            } else if settings.onlyCase == nil, index >= UInt64(Self.suiteGeneratedCases) || elapsed >= Self.suiteSecondsCap / 2 {
                break
            }
            var random = SplitMix64(seed: settings.seed ^ (index &* 0xD1B5_4A32_D192_ED03))
            let shop = GeneratedShop(using: &random)
            tried += 1
            for format in [DataFormat.csv, .jsonLines] {
                let files = shop.files(format, using: &random)
                FuzzCrashNote.shared.trying(seed: settings.seed, index: index, path: files.customersPath, input: files.customers + files.orders)
                let problems = shop.check(files)
                if !problems.isEmpty {
                    failures += 1
                    XCTFail(FuzzReport.failure(seed: settings.seed, index: index, path: files.customersPath + " and " + files.ordersPath,
                                               input: files.customers + Array("\n--- orders:\n".utf8) + files.orders, problems: problems))
                }
            }
            if failures >= 5 { break }
        }
        print("perk fuzz: \(tried) generated shops, each read back from CSV and from JSON Lines, in "
              + "\(String(format: "%.1f", Date().timeIntervalSince(started))) s from seed \(settings.seed)")
    }
}

// MARK: - Settings

private struct FuzzSettings {
    var seed: UInt64 = 0x5EED_DA7A_F022
    /// Long mode: run for this long instead of the suite's fixed count.
    var seconds: Double?
    var onlyCase: UInt64?

    init(environment: [String: String]) {
        if let text = environment["PERK_FUZZ_SEED"] {
            seed = UInt64(text) ?? UInt64(text.dropFirst(2), radix: 16) ?? seed
        } else if environment["PERK_FUZZ_SECONDS"] != nil {
            // A long run explores new inputs each time; the seed is printed to repeat it.
            seed = UInt64(Date().timeIntervalSince1970 * 1000)
        }
        seconds = environment["PERK_FUZZ_SECONDS"].flatMap(Double.init)
        onlyCase = environment["PERK_FUZZ_CASE"].flatMap { UInt64($0) }
    }

    var banner: String {
        var mode = seconds.map { "for \($0) s" } ?? "a fixed number of inputs"
        if let onlyCase { mode = "case \(onlyCase) only" }
        return "perk fuzz: seed \(seed) (PERK_FUZZ_SEED=\(seed) repeats it), \(mode)"
    }
}

// MARK: - Targets

/// A file the loaders read, as a user would name it, and valid files to mutate.
private struct FuzzTarget {
    enum Kind { case customers, orders }
    var kind: Kind
    var format: DataFormat
    var path: String
    var seeds: [[UInt8]]
    /// Tiny files, mutated for one input in five.
    var tiny: [[UInt8]]
    /// The customers orders are checked against.
    var customers: CustomerTable
}

private enum FuzzTargets {
    static func make() -> [FuzzTarget] {
        let (sampleCustomers, sampleOrders) = SampleShop.generate(SampleShopConfig(customers: 14, orders: 24))
        let customersCSV = [sampleCustomers, handmadeCustomers]
        let ordersCSV = [sampleOrders, handmadeOrders]
        // Orders are checked against every customer of both customers files.
        let sample = DataLoader.loadCustomers(bytes: Array(sampleCustomers.utf8), path: "customers.csv").0
        let ids = (sample?.ids ?? []) + ["X1", "X2", "X3", "X4"]
        let table = DataLoader.loadCustomers(bytes: Array(("customer_id\n" + ids.joined(separator: "\n")).utf8), path: "customers.csv").0
            ?? CustomerTable(source: "customers.csv", ids: [], columns: [], lines: [])
        precondition(table.count == 18, "the fuzz targets' customers must load")
        return [
            FuzzTarget(kind: .customers, format: .csv, path: "customers.csv", seeds: customersCSV.map { Array($0.utf8) },
                       tiny: tinyOnes(customersCSV), customers: table),
            FuzzTarget(kind: .customers, format: .jsonLines, path: "customers.jsonl",
                       seeds: customersCSV.map { Array(jsonLines(fromCSV: $0).utf8) },
                       tiny: tinyOnes(customersCSV.map(jsonLines(fromCSV:))), customers: table),
            FuzzTarget(kind: .orders, format: .csv, path: "orders.csv", seeds: ordersCSV.map { Array($0.utf8) },
                       tiny: tinyOnes(ordersCSV), customers: table),
            FuzzTarget(kind: .orders, format: .jsonLines, path: "orders.jsonl",
                       seeds: ordersCSV.map { Array(jsonLines(fromCSV: $0).utf8) },
                       tiny: tinyOnes(ordersCSV.map(jsonLines(fromCSV:))), customers: table),
        ]
    }

    /// The smallest files there are, where edge cases live: empty, a byte
    /// order mark alone, a first line alone, two lines.
    private static func tinyOnes(_ files: [String]) -> [[UInt8]] {
        let first = Mutator.splitLines(Array(files[0].utf8))
        return [[], [0xEF, 0xBB, 0xBF], first[0], Array(first.prefix(2).joined())]
    }

    /// Quoted fields with commas, `""`, line breaks and spaces; Chinese and
    /// emoji; CRLF line ends; a byte order mark; every column type.
    static let handmadeCustomers = "\u{FEFF}customer_id,name,tier,birthday,joined_at,points,vip,sms_opt_in,city\r\n"
        + "X1,\"Li, \"\"Momo\"\"\",GOLD,1990-02-28,2024-01-01 10:00,12.5,yes,true,上海\r\n"
        + "X2,\"Two\nLines \",MEMBER,,2024-01-02T09:30:00,3,no,false, 杭州 \r\n"
        + "\r\n"
        + "X3,王小明 👩‍👩‍👧,Vip,2000-02-29,2024-01-03 11:00, 40 ,,,\"  \"\r\n"
        + "X4,\" lead\",silver,1985-07-01,2024-01-04 12:00,0,NO,FALSE,成都\r\n"

    static let handmadeOrders = "order_id,customer_id,ordered_at,amount,items,store,channel,discount,note\n"
        + "H1,X1,2025-03-05,10.00,\"Oolong; Jasmine Tea\",\" Xihu\",app,1.50,\"say \"\"hi\"\"\"\n"
        + "H2,X2,2025-03-02 12:00,20,杨枝甘露,Binjiang,store,,\"two\r\nlines\"\n"
        + "H3,,2025-03-01T09:30:00,5.25,,Xihu,,,guest\n"
        + "H4,C00001,2025-03-02,7,Jasmine Tea;;Oolong ;,,delivery,0,\n"
        + "H5,NOBODY,2025-03-04,1,Oolong,Xihu,app,,unknown customer\n"

    /// The same rows as JSON Lines: text as strings, empty cells as null,
    /// amounts and points as numbers, items sometimes as a list.
    static func jsonLines(fromCSV csv: String) -> String {
        var reader = CSVReader(bytes: Array(csv.utf8))
        let header = reader.header
        var record = CSVRecord()
        var lines: [String] = []
        while reader.readRecord(into: &record) {
            var members: [String] = []
            for (k, field) in record.fields.enumerated() where k < header.count {
                let text = reader.text(of: field)
                let value: String
                if text.isEmpty {
                    value = "null"
                } else if ["amount", "points"].contains(header[k]), text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                          !text.hasPrefix("0") || text.hasPrefix("0.") || text == "0" {
                    value = text
                } else if header[k] == "items", lines.count % 2 == 1 {
                    value = "[" + text.split(separator: ";").map { JSON.quote(String($0)) }.joined(separator: ", ") + "]"
                } else {
                    value = JSON.quote(text)
                }
                members.append("\(JSON.quote(header[k])): \(value)")
            }
            lines.append("{" + members.joined(separator: ", ") + "}")
        }
        return lines.joined(separator: lines.count % 3 == 0 ? "\r\n" : "\n") + "\n"
    }
}

// MARK: - Mutations

private enum Mutator {
    /// One to four mutations of `seed`.
    static func mutate(_ seed: [UInt8], format: DataFormat, using random: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        for _ in 0..<(1 + Int(random.next() % 4)) {
            mutateOnce(&bytes, format: format, using: &random)
        }
        return bytes
    }

    private static let lineEnds: [[UInt8]] = [[0x0A], [0x0D], [0x0D, 0x0A]]
    private static let invalidUTF8: [[UInt8]] = [[0xFF], [0xC3], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98], [0x80],
                                                 [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80]]
    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    private static let hugeNumbers = ["99999999999999999999999999999", "-9223372036854775808", "9223372036854775807",
                                      "0.000000000000000000000000001", "1e400", "123456789012345678.9", "-0", "00012",
                                      "1" + String(repeating: "0", count: 400), "1.5e3", "NaN", "Infinity", "+7", ".5", "5."]
    /// Values a cell may be swapped for: each breaks one rule or nearly does.
    private static let cells = ["", " ", "\"\"", "\"  \"", "\" x \"", "2025-02-30", "2025-02-29", "2024-02-29", "2025-13-01",
                                "2025-03-01T25:00", "2025-03-01 23:59:60", "-5", "-0.01", "yes", "maybe", "VIP", "PLATINUM",
                                " vip ", "C00001", "X1", "O0000001", "H1", "NOBODY", "王", "👩‍👩‍👧", "a;b;;c", "null", "true",
                                "[]", "[\"a\"", "{}", "\"a\"\"b\"", "\\u0041", "\\ud800", "\"\\u00e9\""]
    private static let jsonFragments = ["{", "}", "[", "]", "[[[[[[[[", "]]]]", "{\"a\":", "\"", "\\", "\\u12", "\\ud83d\\ude00",
                                        ":", ",", ",,", "null", "true", "-", "01", "1.", "{\"a\": {\"b\": 1}}", "\t", "\u{0B}"]

    /// A position in `bytes`; mostly after the first line, so that most
    /// inputs get past the header to the rows.
    private static func index(_ bytes: [UInt8], _ random: inout SplitMix64, allowingEnd: Bool = true) -> Int {
        let count = bytes.count + (allowingEnd ? 1 : 0)
        guard count > 0 else { return 0 }
        let firstLineEnd = (bytes.firstIndex { $0 == 0x0A || $0 == 0x0D } ?? bytes.count) + 1
        if random.next() % 8 != 0, firstLineEnd < count {
            return firstLineEnd + Int(random.next() % UInt64(count - firstLineEnd))
        }
        return Int(random.next() % UInt64(count))
    }

    private static func pick<T>(_ items: [T], _ random: inout SplitMix64) -> T {
        items[Int(random.next() % UInt64(items.count))]
    }

    private static func mutateOnce(_ bytes: inout [UInt8], format: DataFormat, using random: inout SplitMix64) {
        switch random.next() % 20 {
        case 0 where !bytes.isEmpty:
            bytes[index(bytes, &random, allowingEnd: false)] ^= UInt8(1 << (random.next() % 8))
        case 1:
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index(bytes, &random))
        case 2 where !bytes.isEmpty:
            let at = index(bytes, &random, allowingEnd: false)
            bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(random.next() % 8)))
        case 3:
            bytes.insert(UInt8(ascii: "\""), at: index(bytes, &random))
        case 4:
            bytes.insert(contentsOf: pick(lineEnds, &random), at: index(bytes, &random))
        case 5:
            bytes.insert(0, at: index(bytes, &random))
        case 6:
            bytes.insert(contentsOf: pick(invalidUTF8, &random), at: index(bytes, &random))
        case 7:
            bytes.insert(contentsOf: bom, at: random.next() % 2 == 0 ? 0 : index(bytes, &random))
        case 8:
            replaceCell(&bytes, with: Array(pick(hugeNumbers, &random).utf8), using: &random)
        case 9:
            // A long line or field: plain letters, Chinese, or spaces.
            let unit = pick([[UInt8(ascii: "a")], Array("王".utf8), [UInt8(ascii: " ")], Array("\"\"".utf8)], &random)
            let length = 1_000 + Int(random.next() % 40_000)
            bytes.insert(contentsOf: Array(repeating: unit, count: length / unit.count).joined(), at: index(bytes, &random))
        case 10, 11:
            replaceCell(&bytes, with: Array(pick(cells, &random).utf8), using: &random)
        case 12:
            bytes.insert(contentsOf: Array(pick(jsonFragments, &random).utf8), at: index(bytes, &random))
        case 13:
            // Whole lines: repeated, dropped or swapped, as an export gone wrong would.
            var lines = splitLines(bytes)
            guard lines.count > 1 else { return }
            let a = Int(random.next() % UInt64(lines.count)), b = Int(random.next() % UInt64(lines.count))
            switch random.next() % 3 {
            case 0: lines.insert(lines[a], at: b)
            case 1: lines.remove(at: a)
            default: lines.swapAt(a, b)
            }
            bytes = Array(lines.joined())
        case 14:
            // Every line end in one style.
            let style = pick(lineEnds, &random)
            bytes = Array(splitLines(bytes).map { line in
                var content = line
                while let last = content.last, last == 0x0A || last == 0x0D { content.removeLast() }
                return content + style
            }.joined())
        case 15:
            bytes.insert(contentsOf: pick([[0x2C], [0x2C, 0x2C], [0x20], [0x09], [0x20, 0x20, 0x22]], &random), at: index(bytes, &random))
        case 16 where !bytes.isEmpty:
            bytes.removeSubrange(index(bytes, &random, allowingEnd: false)...)
        case 17 where bytes.count > 2:
            // A piece of the file copied elsewhere in it.
            let from = index(bytes, &random, allowingEnd: false)
            let piece = Array(bytes[from..<min(bytes.count, from + 1 + Int(random.next() % 64))])
            bytes.insert(contentsOf: piece, at: index(bytes, &random))
        case 18 where format == .jsonLines:
            // A value made a different kind: a string unquoted, a number quoted, a list opened.
            replaceCell(&bytes, with: Array(pick(["[\"a\", 1]", "{\"x\": 1}", "\"1\"", "abc", "[\"王\"]", "1e3", "-", "tru"], &random).utf8),
                        using: &random)
        default:
            bytes.insert(contentsOf: Array(pick(cells, &random).utf8), at: index(bytes, &random))
        }
    }

    /// The file's lines, each with its line end.
    static func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0, i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x0D {
                i += (bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) ? 2 : 1
                lines.append(Array(bytes[start..<i]))
                start = i
            } else {
                i += 1
            }
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
        return lines
    }

    /// Swaps the cell around a random byte (what lies between the nearest
    /// delimiters of either format) for `value`.
    private static func replaceCell(_ bytes: inout [UInt8], with value: [UInt8], using random: inout SplitMix64) {
        guard !bytes.isEmpty else {
            bytes = value
            return
        }
        let delimiters: Set<UInt8> = [0x2C, 0x0A, 0x0D, 0x3A, 0x7B, 0x7D]
        let at = index(bytes, &random, allowingEnd: false)
        var start = at, end = at
        while start > 0, !delimiters.contains(bytes[start - 1]) { start -= 1 }
        while end < bytes.count, !delimiters.contains(bytes[end]) { end += 1 }
        bytes.replaceSubrange(start..<end, with: value)
    }
}

// MARK: - Checks

/// What one load gave, reduced to what the checks compare.
private struct LoadOutcome {
    var rows: [String]?
    var lines: [Int32] = []
    var report: LoadReport
    var rendered: String

    var hasError: Bool { report.diagnostics.contains { $0.isError } }
}

private struct FuzzCheck {
    let target: FuzzTarget
    let input: [UInt8]
    let timeLimit: Double
    private var problems: [String] = []

    init(target: FuzzTarget, input: [UInt8], timeLimit: Double) {
        self.target = target
        self.input = input
        self.timeLimit = timeLimit
    }

    mutating func run(stats: inout FuzzStats) -> [String] {
        let clock = Date()
        let strict = viaDataLoader(skipBadRows: false)
        let skipping = viaDataLoader(skipBadRows: true)
        checkPositions(strict)
        checkPositions(skipping)
        checkAccounting(strict: strict, skipping: skipping)
        if target.format == .csv { checkLoadersAgree(strict, skipping) }
        let seconds = Date().timeIntervalSince(clock)
        if seconds > timeLimit { problems.append("loading took \(seconds) s, over the limit of \(timeLimit) s") }
        stats.record(target: target.path, input: input, seconds: seconds, strict: strict, skipping: skipping)
        return problems
    }

    // MARK: Loading

    private func outcome(_ customers: (CustomerTable?, LoadReport)) -> LoadOutcome {
        LoadOutcome(rows: customers.0.map(TableRows.of), lines: customers.0?.lines ?? [], report: customers.1,
                    rendered: DiagnosticRenderer().render(customers.1.diagnostics))
    }

    private func outcome(_ orders: (OrderTable?, LoadReport)) -> LoadOutcome {
        LoadOutcome(rows: orders.0.map { TableRows.of($0, customers: target.customers) }, lines: orders.0?.lines ?? [],
                    report: orders.1, rendered: DiagnosticRenderer().render(orders.1.diagnostics))
    }

    private func viaDataLoader(skipBadRows: Bool) -> LoadOutcome {
        let options = LoadOptions(skipBadRows: skipBadRows)
        switch target.kind {
        case .customers:
            return outcome(DataLoader.loadCustomers(bytes: input, path: target.path, options: options))
        case .orders:
            return outcome(DataLoader.loadOrders(bytes: input, path: target.path, customers: target.customers, options: options))
        }
    }

    private func viaGeneralLoader(skipBadRows: Bool) -> LoadOutcome {
        let options = LoadOptions(skipBadRows: skipBadRows)
        switch target.kind {
        case .customers:
            var loader = CustomerLoader(source: CSVSource(bytes: input), path: target.path, options: options)
            return outcome(loader.load())
        case .orders:
            var loader = OrderLoader(source: CSVSource(bytes: input), path: target.path, customers: target.customers, options: options)
            return outcome(loader.load())
        }
    }

    private func viaParallelLoader(pieces: Int) -> LoadOutcome? {
        input.withUnsafeBufferPointer { file -> LoadOutcome? in
            switch target.kind {
            case .customers:
                var loader = ParallelCustomerLoader(file: file, path: target.path, options: LoadOptions())
                loader.pieces = pieces
                loader.minimumPieceBytes = 1
                return loader.load().map(outcome)
            case .orders:
                var loader = ParallelOrderLoader(file: file, path: target.path, customers: target.customers, options: LoadOptions())
                loader.pieces = pieces
                loader.minimumPieceBytes = 1
                return loader.load().map(outcome)
            }
        }
    }

    // MARK: Positions

    /// Every diagnostic names this file, a line of it and a column of that
    /// line, and shows that line's text.
    private mutating func checkPositions(_ outcome: LoadOutcome) {
        let lines = ReferenceLines(input)
        for d in outcome.report.diagnostics {
            guard case .point(let path, let line, let column, let lineText)? = d.location else {
                problems.append("no line and column: \(d.description)")
                continue
            }
            guard path == target.path else {
                problems.append("names another file: \(d.description)")
                continue
            }
            guard line >= 1, line <= lines.count else {
                problems.append("line \(line) is outside the file's \(lines.count) lines: \(d.description)")
                continue
            }
            let text = lines.text(of: line)
            if column < 1 || column > text.count + 1 {
                problems.append("column \(column) is outside line \(line) (\(text.count) characters): \(d.description)")
            }
            if let lineText, lineText != DataPosition.truncated(text) {
                problems.append("shows \(lineText.debugDescription) as line \(line), which is \(text.debugDescription): \(d.description)")
            }
        }
    }

    // MARK: Nothing lost

    private mutating func checkAccounting(strict: LoadOutcome, skipping: LoadOutcome) {
        let reference = target.format == .csv ? ReferenceRecords.csv(input) : ReferenceRecords.jsonLines(input)
        if reference.unterminatedQuote {
            // The rest of the file is one field: nothing after it can be trusted,
            // so the load fails (with D006, or an earlier refusal of the header).
            for (name, outcome) in [("strict", strict), ("skipping", skipping)] where outcome.rows != nil || !outcome.hasError {
                problems.append("\(name): the file has an unclosed quote, but the load did not fail with an error")
            }
            return
        }
        for (name, outcome) in [("strict", strict), ("skipping", skipping)] {
            guard let rows = outcome.rows else {
                if !outcome.hasError { problems.append("\(name): no table, and no error saying why:\n\(outcome.rendered)") }
                continue
            }
            let report = outcome.report
            let read = target.kind == .customers ? report.customersRead : report.ordersRead
            let accounted = rows.count + report.skippedRows + report.guestOrders + report.unknownCustomerOrders
            if read != reference.records || accounted != reference.records {
                problems.append("\(name): the file holds \(reference.records) records; the load read \(read) and accounted for "
                                + "\(accounted) (\(rows.count) loaded, \(report.skippedRows) skipped, \(report.guestOrders) guest, "
                                + "\(report.unknownCustomerOrders) of unknown customers)")
            }
            if Set(outcome.lines).count != outcome.lines.count {
                problems.append("\(name): two loaded rows start on the same line: \(outcome.lines)")
            }
            if outcome.hasError { problems.append("\(name): a table, and errors too:\n\(outcome.rendered)") }
            if name == "strict", report.skippedRows != 0 { problems.append("strict: \(report.skippedRows) rows skipped without asking") }
        }
        if strict.rows != nil, strict.rows != skipping.rows || strict.rendered != skipping.rendered {
            problems.append("a file with no bad rows loads differently when skipping bad rows:\n\(strict.rendered)\n---\n\(skipping.rendered)")
        }
    }

    // MARK: Loaders agree

    private static func isRefusedAsExportedWrong(_ outcome: LoadOutcome) -> Bool {
        outcome.rows == nil && outcome.report.diagnostics.count == 1
            && [DataCode.semicolonSeparated.rawValue, DataCode.notUTF8.rawValue].contains(outcome.report.diagnostics[0].code)
    }

    private mutating func checkLoadersAgree(_ strict: LoadOutcome, _ skipping: LoadOutcome) {
        for (name, viaData, skip) in [("strict", strict, false), ("skipping", skipping, true)] {
            let general = viaGeneralLoader(skipBadRows: skip)
            if Self.isRefusedAsExportedWrong(viaData) {
                // DataLoader refuses a file exported wrong (D025, D026) before
                // any loader reads it; read row by row, it must fail as well,
                // unless rows are being skipped.
                if !skip, general.rows != nil {
                    problems.append("\(name): DataLoader refused a file the general loader loads:\n" + describe(viaData))
                }
                continue
            }
            if general.rows != viaData.rows || general.rendered != viaData.rendered {
                problems.append("\(name): DataLoader and the general loader disagree:\n"
                                + describe(viaData) + "\n--- general loader:\n" + describe(general))
            }
        }
        for pieces in [1, 2, 3] where !Self.isRefusedAsExportedWrong(strict) {
            guard let parallel = viaParallelLoader(pieces: pieces) else { continue }
            if parallel.rows != strict.rows || parallel.rendered != strict.rendered {
                problems.append("the parallel loader in \(pieces) pieces and the general loader disagree:\n"
                                + describe(parallel) + "\n--- general loader:\n" + describe(strict))
            }
        }
    }

    private func describe(_ outcome: LoadOutcome) -> String {
        (outcome.rows.map { $0.joined(separator: "\n") } ?? "no table") + "\n" + outcome.rendered
    }
}

// MARK: - Reference readers

/// The file's lines as an editor shows them: each ends at LF, CRLF or a lone
/// CR, and the first starts after a byte order mark. Written apart from
/// `DataPosition`, so the two check each other.
private struct ReferenceLines {
    private var ranges: [Range<Int>] = []
    private let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x0D {
                ranges.append(start..<i)
                i += (bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) ? 2 : 1
                start = i
            } else {
                i += 1
            }
        }
        ranges.append(start..<bytes.count)
    }

    var count: Int { ranges.count }

    func text(of line: Int) -> String {
        String(decoding: bytes[ranges[line - 1]], as: UTF8.self)
    }
}

/// How many records a file holds, counted by a reader written apart from Perk's.
private enum ReferenceRecords {
    /// RFC 4180 records after the header, blank lines skipped; or, with an
    /// unclosed quote, only that.
    static func csv(_ bytes: [UInt8]) -> (records: Int, unterminatedQuote: Bool) {
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var records = 0
        func isLineEnd(_ b: UInt8) -> Bool { b == 0x0A || b == 0x0D }
        while true {
            while i < bytes.count, isLineEnd(bytes[i]) { i += 1 }
            if i >= bytes.count { break }
            records += 1
            // One record: fields until a line end outside quotes.
            record: while true {
                if i < bytes.count, bytes[i] == 0x22 {
                    i += 1
                    while true {
                        guard i < bytes.count else { return (max(0, records - 1), true) }
                        if bytes[i] == 0x22 {
                            if i + 1 < bytes.count, bytes[i + 1] == 0x22 {
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        i += 1
                    }
                }
                // The rest of the field, quote or not, up to a comma or a line end.
                while i < bytes.count, bytes[i] != 0x2C, !isLineEnd(bytes[i]) { i += 1 }
                guard i < bytes.count else { break record }
                if bytes[i] == 0x2C {
                    i += 1
                    continue
                }
                i += (bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) ? 2 : 1
                break record
            }
        }
        return (max(0, records - 1), false)
    }

    /// Lines with anything but spaces and tabs on them.
    static func jsonLines(_ bytes: [UInt8]) -> (records: Int, unterminatedQuote: Bool) {
        let lines = ReferenceLines(bytes)
        let records = (1...lines.count).filter { line in
            lines.text(of: line).unicodeScalars.contains { $0 != " " && $0 != "\t" }
        }.count
        return (records, false)
    }
}

// MARK: - Generated shops

/// A random shop of awkward values, the files that hold it, and what loading
/// them must give back.
private struct GeneratedShop {
    struct Customer {
        var id: String
        var name: String
        var note: String
        /// As written, and its exact value; nil for an empty cell.
        var points: (text: String, value: Number)?
        var tier: (text: String, ordinal: Int32)?
        var vip: Bool?
    }

    struct Order {
        var id: String
        /// A customer's index, or nil for a guest order.
        var customer: Int?
        var unknownCustomer: String?
        var day: Int32
        var seconds: Int32
        var amount: (text: String, value: Number)
        var items: [String]
        var store: String
    }

    struct Files {
        var customersPath: String
        var customers: [UInt8]
        var ordersPath: String
        var orders: [UInt8]
    }

    var customers: [Customer] = []
    var orders: [Order] = []

    /// Pieces text is made of: every character that has tripped a CSV or
    /// JSON writer or reader somewhere.
    private static let pieces = ["a", "Z", "0", "7", " ", "  ", "\t", ",", "\"", "\"\"", "\r", "\n", "\r\n", "\n\r", "王", "茉莉",
                                 "👩‍👩‍👧‍👦", "e\u{301}", "\u{301}", "\"\u{301}", ",\u{301}", "\\", "\\n", "\\u0041", "{", "}", "[",
                                 "]", ":", ";", "\u{FEFF}", "\u{3000}", "'", "#", "-", ".", "\u{1}", "\u{7F}", "\u{2028}"]
    private static let itemNames = ["Oolong", "茉莉 绿茶", "Taro, large", "say \"hi\"", "Lemon\r\nTea", "👩‍👩‍👧 Boba", "x\\y"]
    private static let tiers = [("MEMBER", 0), ("silver", 1), (" Gold ", 2), ("VIP", 3), ("vip", 3)]

    static func text(_ random: inout SplitMix64, maxPieces: Int = 6) -> String {
        (0..<Int(random.next() % UInt64(maxPieces + 1))).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }

    private static func isBlank(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// A decimal with up to two places, as text and as its exact value.
    private static func decimal(_ random: inout SplitMix64, negative: Bool) -> (text: String, value: Number) {
        let scale = Int(random.next() % 3)
        var units = Int64(random.next() % 100_000)
        if negative, random.next() % 2 == 0 { units = -units }
        let digits = String(units.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let whole = padded.dropLast(scale), fraction = padded.suffix(scale)
        let text = (units < 0 ? "-" : "") + whole + (scale > 0 ? "." + fraction : "")
        return (text, Number(units: units, scale: scale) ?? .zero)
    }

    init(using random: inout SplitMix64) {
        var ids = Set<String>()
        for _ in 0..<(1 + Int(random.next() % 12)) {
            var id = Self.text(&random, maxPieces: 4)
            while Self.isBlank(id) || ids.contains(id) { id += Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }
            ids.insert(id)
            let tier = random.next() % 4 == 0 ? nil : Self.tiers[Int(random.next() % UInt64(Self.tiers.count))]
            customers.append(Customer(id: id, name: Self.text(&random), note: Self.text(&random),
                                      points: random.next() % 4 == 0 ? nil : Self.decimal(&random, negative: true),
                                      tier: tier.map { ($0.0, Int32($0.1)) },
                                      vip: [true, false, nil][Int(random.next() % 3)]))
        }
        let firstDay = LocalDate(year: 2025, month: 1, day: 1)!.day
        for k in 0..<Int(random.next() % 16) {
            var order = Order(id: "O\(k)-" + Self.text(&random, maxPieces: 2), customer: nil, unknownCustomer: nil,
                              day: firstDay + Int32(random.next() % 400), seconds: -1,
                              amount: Self.decimal(&random, negative: false),
                              items: (0..<Int(random.next() % 4)).map { _ in Self.itemNames[Int(random.next() % UInt64(Self.itemNames.count))] },
                              store: Self.text(&random))
            switch random.next() % 10 {
            case 0: break
            case 1: order.unknownCustomer = "nobody " + Self.text(&random, maxPieces: 2)
            default: order.customer = Int(random.next() % UInt64(customers.count))
            }
            if random.next() % 2 == 0 { order.seconds = Int32(random.next() % 86_400) }
            orders.append(order)
        }
    }

    static let schema = SchemaDeclarations(customerColumns: ["name": .text, "note": .text, "points": .number, "vip": .bool],
                                           orderColumns: ["store": .text], source: "generated.schema")

    // MARK: Writing

    func files(_ format: DataFormat, using random: inout SplitMix64) -> Files {
        let ext = format == .csv ? "csv" : "jsonl"
        let customerRows = customers.map { c in
            [c.id, c.name, c.note, c.points?.text ?? "", c.tier?.text ?? "", c.vip.map { $0 ? "true" : "false" } ?? ""]
        }
        let orderRows = orders.map { o in
            [o.id, o.unknownCustomer ?? o.customer.map { customers[$0].id } ?? "", dateText(o), o.amount.text,
             o.items.joined(separator: [";", "; ", " ; "][o.items.count % 3]), o.store]
        }
        let customerHeader = ["customer_id", "name", "note", "points", "tier", "vip"]
        let orderHeader = ["order_id", "customer_id", "ordered_at", "amount", "items", "store"]
        if format == .csv {
            return Files(customersPath: "customers.csv", customers: Self.csv([customerHeader] + customerRows, using: &random),
                         ordersPath: "orders.csv", orders: Self.csv([orderHeader] + orderRows, using: &random))
        }
        return Files(customersPath: "customers.\(ext)", customers: Self.jsonLines(customerHeader, customerRows, lists: [], using: &random),
                     ordersPath: "orders.\(ext)", orders: Self.jsonLines(orderHeader, orderRows, lists: orders.map(\.items), using: &random))
    }

    private func dateText(_ order: Order) -> String {
        let date = LocalDate(day: order.day).description
        guard order.seconds >= 0 else { return date }
        let s = Int(order.seconds)
        return date + String(format: "T%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }

    /// Rows as `CSVWriter` writes them, each line ended in one of the styles
    /// at random, sometimes after a byte order mark or with blank lines between.
    private static func csv(_ rows: [[String]], using random: inout SplitMix64) -> [UInt8] {
        var out: [UInt8] = random.next() % 4 == 0 ? [0xEF, 0xBB, 0xBF] : []
        let ends = ["\n", "\r\n", "\r"]
        let style = Int(random.next() % 4)
        for row in rows {
            var line = CSVWriter.line(row)
            line.removeLast()
            out += Array(line.utf8)
            let end = ends[style < 3 ? style : Int(random.next() % 3)]
            out += Array(end.utf8)
            if random.next() % 8 == 0 { out += Array(end.utf8) }
        }
        if random.next() % 3 == 0, let last = out.last, last == 0x0A || last == 0x0D {
            // No line end after the last row.
            while let last = out.last, last == 0x0A || last == 0x0D { out.removeLast() }
        }
        return out
    }

    /// One object a line; empty cells as null or left out, items as a list or
    /// as `;` text, numbers bare or in quotes; keys in any order.
    private static func jsonLines(_ header: [String], _ rows: [[String]], lists: [[String]],
                                  using random: inout SplitMix64) -> [UInt8] {
        var out: [UInt8] = random.next() % 4 == 0 ? [0xEF, 0xBB, 0xBF] : []
        let ends = ["\n", "\r\n", "\r"]
        let end = ends[Int(random.next() % 3)]
        for (r, row) in rows.enumerated() {
            var members: [String] = []
            for (k, cell) in row.enumerated() {
                let key = JSON.quote(header[k])
                if cell.isEmpty, header[k] != "customer_id" {
                    if random.next() % 2 == 0 { members.append("\(key): null") }
                } else if header[k] == "items", r < lists.count, random.next() % 2 == 0 {
                    members.append("\(key): [" + lists[r].map(JSON.quote).joined(separator: ", ") + "]")
                } else if ["amount", "points"].contains(header[k]), random.next() % 2 == 0 {
                    members.append("\(key): \(cell)")
                } else {
                    members.append("\(key): \(JSON.quote(cell))")
                }
            }
            if random.next() % 2 == 0 { members.shuffle(using: &random) }
            out += Array(("{" + members.joined(separator: random.next() % 2 == 0 ? ", " : ",") + "}" + end).utf8)
        }
        return out
    }

    // MARK: Reading back

    /// What loading `files` must give, row by row, as `TableRows` shows it,
    /// lines left out.
    private var expectedCustomers: [String] {
        customers.sorted { Array($0.id.utf8).lexicographicallyPrecedes(Array($1.id.utf8)) }.map { c in
            func text(_ s: String) -> String { Self.isBlank(s) ? "missing" : s.debugDescription }
            let tier = c.tier.map { EnumType.defaultTier.cases[Int($0.ordinal)] } ?? "missing"
            return "\(c.id.debugDescription) name=\(text(c.name)) note=\(text(c.note)) points=\(c.points.map { "\($0.value)" } ?? "missing")"
                + " tier=\(tier) vip=\(c.vip.map { $0 ? "true" : "false" } ?? "missing")"
        }
    }

    /// Orders of known customers, each as `TableRows` shows it without its line, sorted.
    private var expectedOrders: [String] {
        orders.compactMap { o -> String? in
            guard let c = o.customer else { return nil }
            let items = o.items.map(\.debugDescription)
            let store = Self.isBlank(o.store) ? "missing" : o.store.debugDescription
            return "\(customers[c].id.debugDescription) day=\(o.day) seconds=\(o.seconds) amount=\(o.amount.value)"
                + " items=[\(items.joined(separator: ", "))] store=\(store)"
        }.sorted()
    }

    /// A loaded table in the form of `expectedCustomers`. Columns are looked up
    /// by name, as JSON Lines orders them by first appearance, and a column no
    /// line names is not in the table at all.
    private static func rows(of table: CustomerTable) -> [String] {
        table.ids.indices.map { r in
            table.ids[r].debugDescription + ["name", "note", "points", "tier", "vip"].map { name in
                let shown = table.columnIndex(named: name).map { TableRows.shown(table.columns[$0].values[r], as: table.columns[$0].type) }
                return " \(name)=\(shown ?? "missing")"
            }.joined()
        }
    }

    /// Orders in the form of `expectedOrders`.
    private static func rows(of table: OrderTable, customers: CustomerTable) -> [String] {
        let store = table.columnIndex(named: "store")
        return (0..<table.count).map { r in
            let items = table.itemIDs[Int(table.itemStart[r])..<Int(table.itemStart[r + 1])].map { table.itemNames[Int($0)].debugDescription }
            let shown = store.map { TableRows.shown(table.columns[$0].value(at: r), as: table.columns[$0].type) } ?? "missing"
            return "\(customers.ids[Int(table.customer[r])].debugDescription) day=\(table.date[r]) seconds=\(table.seconds[r])"
                + " amount=\(table.amount[r]) items=[\(items.joined(separator: ", "))] store=\(shown)"
        }.sorted()
    }

    func check(_ files: Files) -> [String] {
        var problems: [String] = []
        let options = LoadOptions(schema: Self.schema)
        let isCSV = files.customersPath.hasSuffix(".csv")
        // Through DataLoader, the general loader and (CSV) the parallel loader in three pieces.
        var loads: [(String, (CustomerTable?, LoadReport))] = [
            ("DataLoader", DataLoader.loadCustomers(bytes: files.customers, path: files.customersPath, options: options)),
        ]
        if isCSV {
            var general = CustomerLoader(source: CSVSource(bytes: files.customers), path: files.customersPath, options: options)
            loads.append(("general loader", general.load()))
            let parallel = files.customers.withUnsafeBufferPointer { file -> (CustomerTable?, LoadReport)? in
                var loader = ParallelCustomerLoader(file: file, path: files.customersPath, options: options)
                loader.pieces = 3
                loader.minimumPieceBytes = 1
                return loader.load()
            }
            if let parallel { loads.append(("parallel loader", parallel)) }
        }
        var customerTable: CustomerTable?
        for (name, (table, report)) in loads {
            guard let table else {
                problems.append("\(name): customers did not load:\n" + DiagnosticRenderer().render(report.diagnostics))
                continue
            }
            customerTable = customerTable ?? table
            // D022: a column left out of every JSON line, which the schema declares.
            let unexpected = report.diagnostics.filter { $0.code != DataCode.schemaColumnAbsent.rawValue }
            if !unexpected.isEmpty { problems.append("\(name): " + DiagnosticRenderer().render(unexpected)) }
            let rows = Self.rows(of: table)
            if rows != expectedCustomers {
                problems.append("\(name): customers read back as\n\(rows.joined(separator: "\n"))\nnot\n\(expectedCustomers.joined(separator: "\n"))")
            }
        }
        guard let customers = customerTable else { return problems }

        var orderLoads: [(String, (OrderTable?, LoadReport))] = [
            ("DataLoader", DataLoader.loadOrders(bytes: files.orders, path: files.ordersPath, customers: customers, options: options)),
        ]
        if isCSV {
            var general = OrderLoader(source: CSVSource(bytes: files.orders), path: files.ordersPath, customers: customers, options: options)
            orderLoads.append(("general loader", general.load()))
            let parallel = files.orders.withUnsafeBufferPointer { file -> (OrderTable?, LoadReport)? in
                var loader = ParallelOrderLoader(file: file, path: files.ordersPath, customers: customers, options: options)
                loader.pieces = 3
                loader.minimumPieceBytes = 1
                return loader.load()
            }
            if let parallel { orderLoads.append(("parallel loader", parallel)) }
        }
        let guests = orders.filter { $0.customer == nil && $0.unknownCustomer == nil }.count
        let unknown = orders.filter { $0.unknownCustomer != nil }.count
        for (name, (table, report)) in orderLoads {
            guard let table else {
                problems.append("\(name): orders did not load:\n" + DiagnosticRenderer().render(report.diagnostics))
                continue
            }
            let rows = Self.rows(of: table, customers: customers)
            if rows != expectedOrders {
                problems.append("\(name): orders read back as\n\(rows.joined(separator: "\n"))\nnot\n\(expectedOrders.joined(separator: "\n"))")
            }
            if report.ordersRead != orders.count || report.guestOrders != guests || report.unknownCustomerOrders != unknown {
                problems.append("\(name): \(report.ordersRead) orders read, \(report.guestOrders) guest, \(report.unknownCustomerOrders) "
                                + "of unknown customers; the file has \(orders.count), \(guests) and \(unknown)")
            }
            let expectedCodes = (guests > 0 ? ["D019"] : []) + (unknown > 0 ? ["D020"] : []) + (orders.isEmpty ? ["D023"] : [])
            if report.diagnostics.map(\.code).filter({ $0 != DataCode.schemaColumnAbsent.rawValue }) != expectedCodes {
                problems.append("\(name): " + DiagnosticRenderer().render(report.diagnostics))
            }
        }
        return problems
    }
}

// MARK: - Reports

private enum FuzzReport {
    static func failure(seed: UInt64, index: UInt64, path: String, input: [UInt8], problems: [String]) -> String {
        """
        perk fuzz: \(path), seed \(seed), case \(index) (repeat it with PERK_FUZZ_SEED=\(seed) PERK_FUZZ_CASE=\(index)):
        \(problems.prefix(5).map { "- " + $0 }.joined(separator: "\n"))
        input, \(input.count) bytes, as a Swift literal: \(String(decoding: input, as: UTF8.self).debugDescription)
        input in hex: \(input.map { String(format: "%02x", $0) }.joined())
        """
    }
}

/// Counts of what the fuzzers tried and what the loaders said.
private struct FuzzStats {
    private var inputs: [String: Int] = [:]
    private var loaded = 0, failed = 0
    private var codes: [String: Int] = [:]
    private var slowest = 0.0
    private var slowestInput = ""
    private var bytes = 0

    mutating func record(target: String, input: [UInt8], seconds: Double, strict: LoadOutcome, skipping: LoadOutcome) {
        inputs[target, default: 0] += 1
        bytes += input.count
        if strict.rows != nil { loaded += 1 } else { failed += 1 }
        for d in strict.report.diagnostics + skipping.report.diagnostics { codes[d.code, default: 0] += 1 }
        if seconds > slowest {
            slowest = seconds
            slowestInput = "\(target), \(input.count) bytes"
        }
    }

    func summary(seconds: Double, seed: UInt64) -> String {
        let total = inputs.values.reduce(0, +)
        let perTarget = inputs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let seen = codes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return """
        perk fuzz: \(total) inputs in \(String(format: "%.1f", seconds)) s from seed \(seed) (\(perTarget)), \(bytes / 1024) KB in all; \
        \(loaded) loaded without skipping, \(failed) refused with errors; slowest \(String(format: "%.3f", slowest)) s \
        (\(slowestInput)); diagnostics seen: \(seen)
        """
    }
}

// MARK: - Crashes and hangs

/// The input being tried, kept where a signal handler can write it out: a
/// crash ends the process before any test can report, and a hang never ends.
/// The one piece of global state in the suite, and only for this.
private final class FuzzCrashNote: @unchecked Sendable {
    static let shared = FuzzCrashNote()

    private let lock = NSLock()
    private var header: [UInt8] = []
    private var input: [UInt8] = []
    private var started = Date()
    private var running = false
    private var watchdog: Thread?

    /// What a handler writes: raw pointers, so it neither allocates nor locks.
    private static var headerBytes: UnsafeMutableBufferPointer<UInt8>?
    private static var inputBytes: UnsafeMutableBufferPointer<UInt8>?
    private static var inputCount = 0
    /// The handlers before ours (the Swift runtime's backtracer), by signal number.
    private static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    private static let signals = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE]

    func install(hangLimit: Double) {
        for sig in Self.signals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = FuzzCrashNote.handle
            #else
            action.__sigaction_u.__sa_handler = FuzzCrashNote.handle
            #endif
            sigaction(sig, &action, Self.previous + Int(sig))
        }
        running = true
        let thread = Thread { [weak self] in
            while let note = self, note.isRunning {
                Thread.sleep(forTimeInterval: 1)
                if note.secondsOnCurrentInput > hangLimit {
                    let message = "perk fuzz: an input has been loading for over \(Int(hangLimit)) s: a hang\n"
                    _ = message.withCString { write(2, $0, strlen($0)) }
                    abort()
                }
            }
        }
        thread.start()
        watchdog = thread
    }

    func finished() {
        lock.lock()
        running = false
        lock.unlock()
        for sig in Self.signals { sigaction(sig, Self.previous + Int(sig), nil) }
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    private var secondsOnCurrentInput: Double {
        lock.lock()
        defer { lock.unlock() }
        return Date().timeIntervalSince(started)
    }

    func trying(seed: UInt64, index: UInt64, path: String, input: [UInt8]) {
        let header = Array("""

            perk fuzz: the process died on \(path), seed \(seed), case \(index) \
            (repeat it with PERK_FUZZ_SEED=\(seed) PERK_FUZZ_CASE=\(index)); the input in hex:

            """.utf8)
        lock.lock()
        defer { lock.unlock() }
        started = Date()
        Self.store(header, in: &Self.headerBytes)
        Self.store(input, in: &Self.inputBytes)
        Self.inputCount = input.count
    }

    /// Copies `bytes` into the handler's buffer, growing it only when needed.
    private static func store(_ bytes: [UInt8], in buffer: inout UnsafeMutableBufferPointer<UInt8>?) {
        if buffer == nil || buffer!.count < bytes.count + 1 {
            buffer?.deallocate()
            buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1 << 16, bytes.count * 2))
        }
        guard let buffer else { return }
        _ = buffer.initialize(from: bytes)
        if buffer.count > bytes.count { buffer[bytes.count] = 0 }
    }

    private static let handle: @convention(c) (Int32) -> Void = { sig in
        if let header = FuzzCrashNote.headerBytes, let base = header.baseAddress {
            write(2, base, strlen(UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)))
        }
        if let input = FuzzCrashNote.inputBytes, let base = input.baseAddress {
            let digits: StaticString = "0123456789abcdef"
            var chunk = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &chunk) { out in
                var filled = 0
                for k in 0..<min(FuzzCrashNote.inputCount, input.count) {
                    let b = base[k]
                    out[filled] = digits.utf8Start[Int(b >> 4)]
                    out[filled + 1] = digits.utf8Start[Int(b & 15)]
                    filled += 2
                    if filled == out.count {
                        write(2, out.baseAddress, filled)
                        filled = 0
                    }
                }
                out[filled] = 0x0A
                write(2, out.baseAddress, filled + 1)
            }
        }
        // The handler before ours takes over: returning faults again, and it
        // prints its backtrace and ends the process.
        sigaction(sig, FuzzCrashNote.previous + Int(sig), nil)
    }
}
