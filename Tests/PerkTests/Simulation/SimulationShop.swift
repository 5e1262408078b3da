import XCTest
@testable import Perk

/// Small shops written as CSV and loaded with the real loaders, for simulations
/// whose every decision is worked out by hand in the tests.
enum SimulationShop {
    /// Four customers. C001 and C004 take sms; C003's points are empty; C003 was
    /// born on Feb 29.
    static let customers = """
    customer_id,name,tier,points,sms_opt_in,wechat_opt_in,birthday
    C001,王芳,SILVER,50,true,true,1990-03-03
    C002,Li Na,GOLD,0,false,true,
    C003,Emily Zhang,VIP,,false,false,2000-02-29
    C004,张伟,MEMBER,10,true,true,1985-06-15

    """

    static let noOrders = "order_id,customer_id,ordered_at,amount,items\n"

    /// A simulation's decisions and result, with helpers to read them.
    struct Run {
        let program: CheckedProgram
        let data: DataSet
        let result: SimulationResult
        let decisions: [SimulatedDecision]

        /// `2025-03-01 C001 rule status`, in ledger order.
        var rows: [String] {
            decisions.map { "\($0.day) \(data.customers.ids[$0.customer]) \(program.rules[$0.rule].name) \($0.status.rawValue)" }
        }

        /// The statuses one customer's decisions got, in order.
        func statuses(of id: String, rule name: String? = nil) -> [String] {
            decisions.filter { data.customers.ids[$0.customer] == id && (name == nil || program.rules[$0.rule].name == name) }
                .map(\.status.rawValue)
        }

        var ledger: String {
            var ledger = SimulationLedger(program: program, customers: data.customers)
            return SimulationLedger.headerLine + decisions.map { ledger.lines(for: $0) }.joined()
        }

        func rule(_ name: String) -> RuleOutcome? {
            result.rules.first { program.rules[$0.rule].name == name }
        }
    }

    static func data(customers: String = customers, orders: String = noOrders,
                     file: StaticString = #filePath, line: UInt = #line) throws -> DataSet {
        let (c, customerReport) = DataLoader.loadCustomers(bytes: Array(customers.utf8), path: "customers.csv")
        let table = try XCTUnwrap(c, "\(customerReport.diagnostics)", file: file, line: line)
        let (o, orderReport) = DataLoader.loadOrders(bytes: Array(orders.utf8), path: "orders.csv", customers: table)
        let orderTable = try XCTUnwrap(o, "\(orderReport.diagnostics)", file: file, line: line)
        return DataSet(customers: table, orders: orderTable, isSample: false, report: orderReport)
    }

    static func program(_ rules: String, data: DataSet, file: StaticString = #filePath, line: UInt = #line) throws -> CheckedProgram {
        let c = Compiler.compile([SourceFile(path: "t.perk", text: rules)], schema: Schema(customers: data.customers, orders: data.orders))
        return try XCTUnwrap(c.program, DiagnosticRenderer().render(c.diagnostics), file: file, line: line)
    }

    static func simulate(_ rules: String, customers: String = customers, orders: String = noOrders, from: String, to: String,
                         workers: Int = 1, file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let data = try data(customers: customers, orders: orders, file: file, line: line)
        return try simulate(program(rules, data: data, file: file, line: line), data: data, from: from, to: to, workers: workers)
    }

    static func simulate(_ program: CheckedProgram, data: DataSet, from: String, to: String, workers: Int = 1) throws -> Run {
        let period = try XCTUnwrap(SimulationPeriod(from: try day(from), to: try day(to)))
        var decisions: [SimulatedDecision] = []
        let simulator = Simulator(program: program, customers: data.customers, orders: data.orders, period: period, workers: workers)
        let result = try simulator.run(decision: { decisions.append($0) })
        return Run(program: program, data: data, result: result, decisions: decisions)
    }

    static func day(_ text: String) throws -> LocalDate { try XCTUnwrap(LocalDate(parsing: text), text) }
}
