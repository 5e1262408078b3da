import XCTest
@testable import Perk

/// The day-file reader takes a fast path for files as Perk writes them and a
/// general one for anything else; both must read a day the same way.
final class JournalDayReaderTests: XCTestCase {
    /// Rule and campaign names with commas, quotes, Chinese text and a line
    /// break, a rule without actions, two coupons in one decision.
    private let rules = """
    rule "Gift, \\"big\\" one" when member.tier == VIP then send coupon "TEA, FREE" worth 6 via sms, send coupon 3 via wechat
    rule "回头客" when visit_count >= 1 then send message "欢迎" via wechat, tag "回头"
    rule "Watch" when visit_count >= 1 limit once per customer
    campaign "Spring, \\"VIP\\"" budget 100 holdout 10% rules "Gift, \\"big\\" one"
    """

    private func committedDay() throws -> (folder: JournalFolder, day: LocalDate, data: DataSet, bytes: [UInt8]) {
        let data = Repository.sampleShop
        let program = try SimulationShop.program(rules, data: data)
        let scratch = try PerkProcess.folder([:])
        addTeardownBlock { try? FileManager.default.removeItem(at: scratch) }
        let folder = JournalFolder(path: scratch.appendingPathComponent("journal").path)
        let day = try SimulationShop.day("2025-12-01")
        let (history, _) = JournalHistory.read(folder, customers: data.customers)
        let plan = try ActionPlan.make(program: program, interpreter: Interpreter(customers: data.customers, orders: data.orders),
                                   day: day, journal: try XCTUnwrap(history))
        try folder.commit(plan, program: program, customers: data.customers)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: folder.file(of: day)))
        return (folder, day, data, [UInt8](bytes))
    }

    func testTheGeneralPathReadsADayAsTheFastPathDoes() throws {
        let (folder, day, data, bytes) = try committedDay()
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("\"Gift, \"\"big\"\" one\""), "the names need quoting, so both paths see quotes")
        XCTAssertTrue(text.contains("回头客"))
        let index = CustomerIndex(ids: data.customers.ids)
        let (fast, fastProblems) = JournalDayReader(path: folder.file(of: day), day: day, customers: index).digest()
        XCTAssertEqual(fastProblems.count, 0)
        // Line ends of CRLF send the file to the general reader.
        try Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: URL(fileURLWithPath: folder.file(of: day)))
        let (general, generalProblems) = JournalDayReader(path: folder.file(of: day), day: day, customers: index).digest()
        XCTAssertEqual(generalProblems.count, 0)
        let a = try XCTUnwrap(fast), b = try XCTUnwrap(general)
        XCTAssertGreaterThan(a.rows, 3000)
        XCTAssertEqual(a.rows, b.rows)
        XCTAssertEqual(a.ruleNames, b.ruleNames)
        XCTAssertEqual(a.ruleNames.sorted(), ["Gift, \"big\" one", "Watch", "回头客"])
        XCTAssertEqual(a.campaignNames, ["Spring, \"VIP\""])
        XCTAssertEqual(a.statusCounts, b.statusCounts)
        XCTAssertEqual(a.spent, b.spent)
        XCTAssertEqual(a.codes, b.codes)
        XCTAssertEqual(a.counted.map { "\($0.customer) \($0.rule) \($0.status) \($0.channels.rawValue)" },
                       b.counted.map { "\($0.customer) \($0.rule) \($0.status) \($0.channels.rawValue)" })
        // Two coupons per sent gift, each with its own code; the campaign spent 9 a gift.
        let gift = try XCTUnwrap(a.ruleNames.firstIndex(of: "Gift, \"big\" one"))
        XCTAssertEqual(a.couponsByRule[gift], 2 * a.statusCounts[gift][DecisionStatus.sent.index])
        XCTAssertEqual(a.spent[0], Number(9 * a.statusCounts[gift][DecisionStatus.sent.index]))
    }

    /// The eight-bytes-at-a-time test flags exactly the bytes a field cannot
    /// simply hold, wherever they stand among others.
    func testNotPlainFlagsExactlyTheBytesThatNeedCare() {
        func reference(_ b: UInt8) -> Bool { b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b < 0x20 || b >= 0x80 }
        var random = SplitMix64(seed: 7)
        for trial in 0..<20_000 {
            var bytes = (0..<8).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if trial < 256 * 8 { bytes[trial % 8] = UInt8(trial / 8) }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let flags = JournalDayReader.notPlain(word)
            for (i, b) in bytes.enumerated() {
                XCTAssertEqual(flags >> (8 * UInt64(i) + 7) & 1 == 1, reference(b), "byte \(b) at \(i) of \(bytes)")
            }
            XCTAssertEqual(flags & ~0x8080_8080_8080_8080, 0)
        }
    }

    /// Statuses are told apart by the length of their names.
    func testEveryStatusReadsBack() {
        var seen: Set<Int> = []
        for status in DecisionStatus.allCases {
            XCTAssertTrue(seen.insert(status.rawValue.utf8.count).inserted, "two statuses have names of \(status.rawValue.utf8.count) bytes")
            XCTAssertEqual(JournalCells.statusOfLength[status.rawValue.utf8.count], status)
        }
    }
}

extension JournalDayReaderTests {
    /// A decision given twice is found whether the customers come in order
    /// (only the current customer's rules are looked at) or not.
    func testADecisionGivenTwiceIsFoundInOrderAndOutOfIt() throws {
        let header = JournalFormat.columns.joined(separator: ",")
        func row(_ customer: String, _ rule: String) -> String {
            "2025-06-30,\(customer),\(rule),message,hi,wechat,sent,,,,"
        }
        let cases: [(rows: [String], twice: Int?)] = [
            ([row("C001", "A"), row("C001", "B"), row("C002", "A"), row("C003", "B")], nil),
            ([row("C001", "A"), row("C001", "B"), row("C001", "A")], 4),
            ([row("C001", "A"), row("C002", "A"), row("C003", "B"), row("C002", "B"), row("C001", "B")], nil),
            ([row("C001", "A"), row("C002", "A"), row("C003", "B"), row("C002", "A")], 5),
            ([row("C009", "A"), row("C001", "A"), row("C009", "A")], 4),
        ]
        let folder = try PerkProcess.folder([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("2025-06-30.csv").path
        let index = CustomerIndex(ids: ["C001", "C002", "C003"])
        for (rows, twice) in cases {
            try Data(([header] + rows).map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
            let (digest, problems) = JournalDayReader(path: path, day: try SimulationShop.day("2025-06-30"), customers: index).digest()
            if let twice {
                XCTAssertNil(digest, "\(rows)")
                XCTAssertEqual(problems.map(\.code), ["J007"], "\(rows)")
                XCTAssertEqual(problems.first?.position, "\(path):\(twice):12", "\(rows)")
            } else {
                XCTAssertEqual(problems.count, 0, "\(rows): \(problems)")
                XCTAssertEqual(digest?.statusCounts.joined().reduce(0, +), rows.count)
            }
        }
    }
}

extension JournalDayReaderTests {
    /// Cells are compared a word at a time: every length, and a difference
    /// in every position, agrees with comparing byte by byte.
    func testCellsCompareAsTheirBytes() {
        var random = SplitMix64(seed: 11)
        for length in 0...40 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes.withUnsafeBufferPointer { a in
                let copy = Array(a)
                copy.withUnsafeBufferPointer { XCTAssertTrue(JournalCells.same(a, $0), "length \(length)") }
                for i in 0..<length {
                    var other = copy
                    other[i] ^= UInt8(1 << (random.next() % 8))
                    other.withUnsafeBufferPointer { XCTAssertFalse(JournalCells.same(a, $0), "length \(length), byte \(i)") }
                }
                if length > 0 {
                    Array(copy.dropLast()).withUnsafeBufferPointer { XCTAssertFalse(JournalCells.same(a, $0)) }
                }
            }
        }
    }
}
