import Foundation
import XCTest
@testable import Perk

/// `perk sql`'s queries against Perk's own evaluation: for every rule of
/// `rules/`, every perk block of the README and the grammar, and a few
/// thousand generated conditions (every node kind, missing values), DuckDB's
/// rows equal the customers the interpreter finds, on the sample shop and on
/// a small data set of edge cases (Feb 29 and year-end birthdays, orders on
/// the day itself and at a window's first day, no orders, empty items, Chinese
/// text, fractions).
///
/// DuckDB is a test tool from PyPI, installed into `.build/test-tools/python`
/// (by `.ci/run`, or here when it is missing). Without python3 and pip the
/// test says loudly that it was skipped. PostgreSQL and Spark run the same
/// corpus from `Tests/Warehouse/` scripts: `PERK_SQL_CORPUS=DIR
/// PERK_SQL_DIALECT=postgres` writes the corpus for them instead of running it.
final class SQLDifferentialTests: XCTestCase {
    func testDuckDBMatchesEqualPerksOwnEvaluation() throws {
        let env = ProcessInfo.processInfo.environment
        let dialect = env["PERK_SQL_DIALECT"].flatMap(SQLDialect.init(rawValue:)) ?? .duckdb
        let files = env["PERK_SQL_GENERATED_FILES"].flatMap { Int($0) } ?? 500
        let corpus = try Self.corpus(dialect: dialect, generatedFiles: files)
        print("sql corpus (\(dialect.rawValue)): \(corpus.cases.count) queries, \(corpus.rulesCompared) rule-days compared; "
              + "left out: \(corpus.perkFailures) that Perk itself cannot evaluate (E001/E002), "
              + "\(corpus.inexpressible.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")) the dialect cannot express")
        if !corpus.inexpressibleSamples.isEmpty { print("for example: " + corpus.inexpressibleSamples.joined(separator: "; ")) }
        XCTAssertGreaterThan(corpus.rulesCompared, files >= 500 ? 1_500 : 100, "enough conditions compared to mean something")
        if dialect == .duckdb {
            // DuckDB writes every node kind; only a constant part Perk cannot compute either is left out.
            XCTAssertTrue(corpus.inexpressibleSamples.allSatisfy { $0.contains("cannot be computed exactly") }, "\(corpus.inexpressibleSamples)")
        }
        if let folder = env["PERK_SQL_CORPUS"] {
            try corpus.write(to: folder)
            print("sql corpus written to \(folder)")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("perk-sql-corpus-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try corpus.write(to: folder)
        let pythonPath = try Self.duckDBPath()
        let (status, output) = Self.run(["python3", Repository.path("Tests/Warehouse/run_corpus.py"), "duckdb", folder], pythonPath: pythonPath)
        print(output.split(separator: "\n").last.map(String.init) ?? "")
        XCTAssertEqual(status, 0, "DuckDB disagrees with Perk:\n\(output.prefix(20_000))")
    }

    // MARK: The corpus

    static func corpus(dialect: SQLDialect, generatedFiles: Int = 500) throws -> WarehouseCorpus {
        var corpus = WarehouseCorpus(dialect: dialect)
        let shop = Repository.sampleShop
        corpus.add(dataSet: "sample", shop)
        let edge = try EdgeCaseShop.data()
        corpus.add(dataSet: "edge", edge)
        let small = DataSet.sampleShop(SampleShopConfig(customers: 60, orders: 1_500, seed: 11))
        corpus.add(dataSet: "small", small)

        // The rules and the docs, on the sample shop, on days around the data's end.
        let sources = try Examples.rulesAndDocs()
        let last = try XCTUnwrap(shop.dayAfterLatestOrder)
        let edgeDays = EdgeCaseShop.days
        for (i, source) in sources.enumerated() {
            let file = SourceFile(path: "doc\(i).perk", text: source)
            if let program = Compiler.compile([file], schema: Schema(customers: shop.customers, orders: shop.orders)).program {
                for day in [last.advanced(by: -40), last] {
                    corpus.add(program, dataSet: "sample", day: day, context: "docs block \(i) on \(day):\n\(source)")
                }
            }
            if let program = Compiler.compile([file], schema: Schema(customers: edge.customers, orders: edge.orders)).program {
                for day in edgeDays.prefix(3) { corpus.add(program, dataSet: "edge", day: day, context: "docs block \(i) on edge data, \(day):\n\(source)") }
            }
        }

        // Generated conditions of every kind, on a small shop and on the edge
        // cases. Compiled once against a schema without item ids (items are
        // then compared by name), so one program runs on both data sets.
        let smallLast = try XCTUnwrap(small.dayAfterLatestOrder)
        var schema = Schema(customers: small.customers, orders: small.orders)
        schema.itemNames = nil
        let edgeSchema = Schema(customers: edge.customers, orders: edge.orders)
        XCTAssertEqual(schema.customerFields.map { "\($0.name) \($0.type) \($0.slot)" }, edgeSchema.customerFields.map { "\($0.name) \($0.type) \($0.slot)" })
        XCTAssertEqual(schema.orderFields.map { "\($0.name) \($0.type) \($0.slot)" }, edgeSchema.orderFields.map { "\($0.name) \($0.type) \($0.slot)" })
        for index in 0..<generatedFiles {
            var rng = SplitMix64(seed: 91 ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
            var generator = RulesGenerator()
            generator.alwaysClean = true
            let text = generator.file(&rng)
            // Chains of thousands of terms are the fuzz test's business; here they only cost time.
            guard text.utf8.count < 3_000 else { continue }
            guard let program = Compiler.compile([SourceFile(path: "gen\(index).perk", text: text)], schema: schema).program else { continue }
            for day in [smallLast, smallLast.advanced(by: -30 - index % 200)] {
                corpus.add(program, dataSet: "small", day: day, context: "generated file \(index) on \(day):\n\(text)")
            }
            for k in 0..<2 {
                let day = edgeDays[(index * 2 + k) % edgeDays.count]
                corpus.add(program, dataSet: "edge", day: day, context: "generated file \(index) on edge data, \(day):\n\(text)")
            }
        }

        // Birthdays and anniversaries at the calendar's awkward places.
        let windows = [0, 1, 3, 30, 364, 365, 400]
        let text = windows.map { "rule \"next \($0)\" when member.birthday in next \($0) days then tag \"b\"" }.joined(separator: "\n")
            + "\n" + [0, 3, 40, 200].map { "rule \"within \($0)\" when member.birthday within \($0) days then tag \"w\"" }.joined(separator: "\n")
            + "\nrule \"joined last\" when member.joined in last 1 year then tag \"j\""
        let birthdays = try XCTUnwrap(Compiler.compile([SourceFile(path: "birthdays.perk", text: text)],
                                                       schema: Schema(customers: edge.customers, orders: edge.orders)).program)
        for day in edgeDays { corpus.add(birthdays, dataSet: "edge", day: day, context: "birthday windows on \(day)") }
        return corpus
    }

    // MARK: DuckDB

    /// A folder for PYTHONPATH where `duckdb` can be imported: empty when the
    /// machine has it, else `.build/test-tools/python`, installed there once with pip.
    static func duckDBPath() throws -> String {
        let canImport = ["python3", "-c", "import duckdb"]
        if run(canImport, pythonPath: "").status == 0 { return "" }
        let folder = Repository.path(".build/test-tools/python")
        if run(canImport, pythonPath: folder).status == 0 { return folder }
        let install = run(["python3", "-m", "pip", "install", "--quiet", "--target", folder, "duckdb"], pythonPath: "")
        guard install.status == 0, run(canImport, pythonPath: folder).status == 0 else {
            let why = "SKIPPED: the SQL differential test needs DuckDB from PyPI (python3 -m pip install --target \(folder) duckdb) "
                + "and could not get it: \(install.output.suffix(400))"
            print(String(repeating: "!", count: 72) + "\n" + why + "\n" + String(repeating: "!", count: 72))
            throw XCTSkip(why)
        }
        return folder
    }

    static func run(_ arguments: [String], pythonPath: String) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(["PYTHONPATH": pythonPath]) { _, new in new }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        guard (try? p.run()) != nil else { return (-1, "could not start \(arguments[0])") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A small shop made of edge cases, as CSV files read by Perk's own loader.
enum EdgeCaseShop {
    /// Evaluation days at the awkward places: around Feb 29 in leap and other
    /// years, and the turn of the year.
    static let days: [LocalDate] = ["2025-03-01", "2024-02-28", "2024-02-29", "2024-03-01", "2025-02-28", "2025-12-31",
                                    "2026-01-01", "2025-12-30", "2023-01-01", "2028-02-29"].map { LocalDate(parsing: $0)! }

    static let customers = #"""
    customer_id,name,tier,birthday,joined,points,sms_opt_in,wechat_opt_in,email_opt_in,sugar_pref,city,open_complaints
    E01,王芳,VIP,1992-02-29,2024-02-29,120,true,true,false,less,北京,0
    E02,Li Na,GOLD,,2025-02-20,18,false,,true,normal,上海,1
    E03,"Zhang, ""Em""",MEMBER,1990-12-31,2025-02-28,,,true,,,杭州,
    E04,陈,SILVER,2000-01-01,2023-01-01,0.5,true,false,false,half,Shenzhen,2
    E05,,MEMBER,1988-03-01,,-3,false,false,false,less,,0
    E06,Øyvind,GOLD,2004-02-28,2024-03-01,999999.99,true,true,true,normal,北京,0
    E07,李四,VIP,1999-12-30,2025-12-31,7,,,,,,
    E08,Ann,SILVER,2024-02-29,2024-02-29,33.333,false,true,false,less,上海,0

    """#

    /// Orders on the evaluation days themselves, at a window's first day, on
    /// Feb 29, with items spaced and repeated, and empty.
    static let orders = #"""
    order_id,customer_id,ordered_at,amount,items,store,channel,discount,coupon_code
    O01,E01,2025-02-28T23:59:59,20.00,Jasmine Green Tea,BJ-1,store,,
    O02,E01,2025-01-30T08:00:00,35.50,Jasmine Green Tea; Brown Sugar Boba Milk ,BJ-1,app,5,WELCOME
    O03,E01,2024-02-29T12:00:00,16.00,Oolong Milk Tea;Oolong Milk Tea,BJ-2,delivery,,
    O04,E02,2025-03-01T09:00:00,99.00,Taro Milk Tea,SH-1,store,,
    O05,E02,2024-12-31T18:00:00,0.10,,SH-1,store,0,
    O06,E02,2024-03-01T10:00:00,18.00,Oolong Milk Tea;Coconut Jelly,SH-1,app,,
    O07,E04,2023-12-31T23:00:00,12.34,奶茶;Jasmine Green Tea,SZ-1,store,1.5,
    O08,E04,2025-12-30T10:00:00,7.77,奶茶,SZ-1,app,,
    O09,E04,2025-12-31T00:00:00,0.01,Coconut Jelly,SZ-1,app,,
    O10,E06,2024-02-28T10:00:00,1000.00,Brown Sugar Boba Milk;Taro Milk Tea;Taro Milk Tea,BJ-1,delivery,100,VIP
    O11,E06,2026-01-01T10:00:00,3.33,Taro Milk Tea,BJ-1,store,,
    O12,E07,2025-12-01T10:00:00,25.00,Oolong Milk Tea;Jasmine Green Tea,,app,,
    O13,E07,2025-12-29T10:00:00,25.00,Jasmine Green Tea;Oolong Milk Tea,,store,,
    O14,E08,2028-02-28T10:00:00,50.00,Coconut Jelly,SH-1,store,,
    O15,E08,2025-02-01T10:00:00,0.00,Coconut Jelly,SH-1,store,,

    """#

    static func data() throws -> DataSet {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("perk-edge-shop-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try customers.write(toFile: folder + "/customers.csv", atomically: true, encoding: .utf8)
        try orders.write(toFile: folder + "/orders.csv", atomically: true, encoding: .utf8)
        let (data, problems) = DataSet.load(customers: folder + "/customers.csv", orders: folder + "/orders.csv", options: LoadOptions())
        guard let data else { throw XCTSkip("edge shop did not load: \(problems.map(\.message))") }
        return data
    }
}
