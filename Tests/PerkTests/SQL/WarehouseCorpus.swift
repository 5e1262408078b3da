import Foundation
@testable import Perk

/// A differential corpus for a SQL engine: data sets written as the README's
/// table contract says, and for each rules file and day the query `perk sql`
/// writes with the matches Perk's own interpreter finds. `Tests/Warehouse/run_corpus.py`
/// loads the tables into an engine, runs every query and compares.
struct WarehouseCorpus {
    struct Case {
        var id: String
        var dataSet: String
        var sql: String
        var expected: [[String]]
        var context: String
    }

    let dialect: SQLDialect
    private(set) var cases: [Case] = []
    private(set) var dataSets: [String: DataSet] = [:]
    /// Rule and day pairs left out, and why: a rule Perk itself cannot evaluate
    /// on the data (E001, E002), or one the dialect cannot express (Q001, Q002).
    private(set) var perkFailures = 0
    private(set) var inexpressible: [String: Int] = [:]
    private(set) var rulesCompared = 0
    private(set) var inexpressibleSamples: [String] = []

    init(dialect: SQLDialect) { self.dialect = dialect }

    mutating func add(dataSet name: String, _ data: DataSet) { dataSets[name] = data }

    /// Adds the program's query for `day`, with the customers each active rule
    /// matches; rules Perk fails on are left out of both.
    mutating func add(_ program: CheckedProgram, dataSet name: String, day: LocalDate, context: String) {
        guard let data = dataSets[name] else { return }
        var program = program
        let interpreter = Interpreter(customers: data.customers, orders: data.orders)
        var kept: [CheckedRule] = []
        var expected: [[String]] = []
        // The closure plan, which PlannerTests holds to the interpreter, for speed.
        let plans = Planner.plan(program.rules.map(\.condition), on: interpreter)
        var frame = PlanFrame()
        for (r, rule) in program.rules.enumerated() {
            if let c = rule.campaign, !program.campaigns[c].isActive(on: day) { continue }
            var rows: [[String]] = []
            var failed = false
            for c in 0..<data.customers.count {
                do {
                    if try plans[r].evaluate(&frame, customer: c, today: day) == .bool(true) { rows.append([data.customers.ids[c], rule.name]) }
                } catch {
                    failed = true
                    break
                }
            }
            if failed {
                perkFailures += 1
                continue
            }
            kept.append(rule)
            expected += rows
        }
        program.rules = kept
        // The rules Perk could evaluate, one query at a time, so an inexpressible rule leaves the others in.
        var expressible: [CheckedRule] = []
        for rule in kept {
            var one = program
            one.rules = [rule]
            let (_, problems) = SQLPlanner(program: one, dialect: dialect, day: day).query()
            if let p = problems.first {
                inexpressible[p.code, default: 0] += 1
                if p.code == "Q001", inexpressibleSamples.count < 5 { inexpressibleSamples.append(p.message) }
                expected.removeAll { $0[1] == rule.name }
            } else {
                expressible.append(rule)
            }
        }
        program.rules = expressible
        guard !expressible.isEmpty else { return }
        rulesCompared += expressible.count
        guard let sql = SQLPlanner(program: program, dialect: dialect, day: day).query().sql else { return }
        cases.append(Case(id: "q\(cases.count)", dataSet: name, sql: sql, expected: expected.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }, context: context))
    }

    // MARK: Writing

    /// Writes `manifest.json` and each data set's CSV files into `folder`.
    func write(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var sets: [String: Any] = [:]
        for (name, data) in dataSets {
            sets[name] = try Self.writeTables(data, to: folder + "/" + name)
        }
        let manifest: [String: Any] = [
            "dialect": dialect.rawValue,
            "data_sets": sets,
            "cases": cases.map { ["id": $0.id, "data_set": $0.dataSet, "sql": $0.sql, "expected": $0.expected, "context": $0.context] },
        ]
        let json = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
        try json.write(to: URL(fileURLWithPath: folder + "/manifest.json"))
    }

    /// The table contract: ids text, dates DATE, ordered_at a timestamp,
    /// numbers decimals, items the `;`-separated text, tiers their names,
    /// an empty cell NULL. Returns each table's file and column types.
    static func writeTables(_ data: DataSet, to folder: String) throws -> [String: Any] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let customers = data.customers
        var header = ["customer_id"] + customers.columns.map(\.name)
        let customerTypes = [["customer_id", "text"]] + customers.columns.map { [$0.name, contractType($0.type, $0.values)] }
        var writer = CSVWriter(header: header)
        for c in 0..<customers.count {
            writer.row([customers.ids[c]] + customers.columns.map { cell($0.values[c], $0.type) })
        }
        try writer.text.write(toFile: folder + "/customers.csv", atomically: true, encoding: .utf8)

        let orders = data.orders
        header = ["order_id", "customer_id", "ordered_at", "amount", "items"] + orders.columns.map(\.name)
        let extra: [[Value]] = orders.columns.map { col in (0..<orders.count).map { col.isLoaded ? col.value(at: $0) : .missing } }
        let orderTypes = [["order_id", "text"], ["customer_id", "text"], ["ordered_at", "timestamp"],
                 ["amount", contractType(.number, orders.amount.map(Value.number))], ["items", "text"]]
            + orders.columns.enumerated().map { [$0.element.name, contractType($0.element.type, extra[$0.offset])] }
        writer = CSVWriter(header: header)
        var customerOf = [Int](repeating: 0, count: orders.count)
        for c in 0..<customers.count {
            for r in Int(orders.start[c])..<Int(orders.start[c + 1]) { customerOf[r] = c }
        }
        for r in 0..<orders.count {
            let day = LocalDate(day: orders.date[r])
            let seconds = max(0, Int(orders.seconds[r]))
            let stamp = "\(day) \(LocalDate.pad(seconds / 3600, 2)):\(LocalDate.pad(seconds / 60 % 60, 2)):\(LocalDate.pad(seconds % 60, 2))"
            let lo = Int(orders.itemStart[r]), hi = Int(orders.itemStart[r + 1])
            let items = orders.itemIDs[lo..<hi].map { orders.itemNames[Int($0)] }.joined(separator: ";")
            writer.row(["O\(r)", customers.ids[customerOf[r]], stamp, orders.amount[r].description, items]
                       + orders.columns.indices.map { cell(extra[$0][r], orders.columns[$0].type) })
        }
        try writer.text.write(toFile: folder + "/orders.csv", atomically: true, encoding: .utf8)
        return ["customers": ["file": folder + "/customers.csv", "columns": customerTypes],
                "orders": ["file": folder + "/orders.csv", "columns": orderTypes]]
    }

    /// `decimal(S)` with the most decimals the column holds, so products stay within 38 digits.
    static func contractType(_ type: PerkType, _ values: [Value]) -> String {
        switch type {
        case .number:
            var scale = 0
            for case .number(let n) in values {
                let text = n.description
                if let dot = text.firstIndex(of: ".") { scale = max(scale, text.distance(from: dot, to: text.endIndex) - 1) }
            }
            return "decimal(\(scale))"
        case .date: return "date"
        case .datetime: return "timestamp"
        case .bool: return "boolean"
        default: return "text"
        }
    }

    static func cell(_ v: Value, _ type: PerkType) -> String {
        switch v {
        case .missing: return ""
        case .datetime(let d):
            let s = Int(d.seconds)
            return "\(d.date) \(LocalDate.pad(s / 3600, 2)):\(LocalDate.pad(s / 60 % 60, 2)):\(LocalDate.pad(s % 60, 2))"
        default: return v.display(as: type)
        }
    }
}
