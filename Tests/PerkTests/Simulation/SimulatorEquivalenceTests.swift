import XCTest
@testable import Perk

/// The simulator takes shortcuts for speed (conditions evaluated on several
/// threads, parts of conditions skipped while they cannot change, an order cursor
/// instead of searches). These tests hold it to the plain day loop the README
/// describes, on the sample shop and the example rules.
final class SimulatorEquivalenceTests: XCTestCase {
    private func sampleProgram() throws -> CheckedProgram {
        let (sources, problems) = RuleSources.load([Repository.path("rules")])
        XCTAssertEqual(problems.count, 0)
        let c = Compiler.compile(sources, schema: Repository.sampleSchema)
        return try XCTUnwrap(c.program)
    }

    func testSameResultOnAnyNumberOfThreads() throws {
        let program = try sampleProgram()
        let data = Repository.sampleShop
        let one = try SimulationShop.simulate(program, data: data, from: "2025-11-28", to: "2026-01-02", workers: 1)
        XCTAssertGreaterThan(one.result.totals.decisions[.sent], 1000)
        for workers in [2, 3, 8] {
            let many = try SimulationShop.simulate(program, data: data, from: "2025-11-28", to: "2026-01-02", workers: workers)
            XCTAssertEqual(many.ledger, one.ledger, "\(workers) threads")
        }
    }

    func testMatchesThePlainDayLoop() throws {
        let program = try sampleProgram()
        let data = Repository.sampleShop
        let from = try SimulationShop.day("2025-11-29"), to = try SimulationShop.day("2025-12-17")
        let fast = try SimulationShop.simulate(program, data: data, from: from.description, to: to.description, workers: 2)
        let plain = try PlainDayLoop(program: program, data: data).run(from: from, to: to)
        XCTAssertGreaterThan(plain.count, 5000)
        XCTAssertEqual(fast.decisions.count, plain.count)
        for (f, p) in zip(fast.decisions, plain) {
            let a = "\(f.day) \(f.customer) \(f.rule) \(f.status) \(f.status == .sent ? f.redemptions.compactMap { $0?.day } : [])"
            let b = "\(p.day) \(p.customer) \(p.rule) \(p.status) \(p.redeemedOn)"
            guard a == b else { return XCTFail("first difference: simulator \(a), plain loop \(b)") }
        }
    }
}

/// The day loop as the README states it, with nothing made fast: every customer,
/// every active rule, each day, through `DecisionEngine.decide`; effects of sent
/// decisions kept as interpreter overrides from the next day on.
private struct PlainDayLoop {
    struct Row {
        var day: LocalDate
        var customer: Int
        var rule: Int
        var status: DecisionStatus
        var redeemedOn: [LocalDate]
    }

    let program: CheckedProgram
    let data: DataSet

    func run(from: LocalDate, to: LocalDate) throws -> [Row] {
        var interpreter = Interpreter(customers: data.customers, orders: data.orders)
        var engine = DecisionEngine(program: program, customers: data.customers.count)
        let tierSlot = data.customers.columnIndex(named: "tier"), pointsSlot = data.customers.columnIndex(named: "points")
        var tiers: [LocalDate: [(Int, Int32)]] = [:], points: [LocalDate: [(Int, Number)]] = [:]
        var rows: [Row] = []
        for day in from...to {
            for (c, o) in tiers[day] ?? [] { interpreter.overrides[tierSlot!, default: [:]][c] = .symbol(o) }
            for (c, n) in points[day] ?? [] {
                let now: Number
                if case .number(let v) = interpreter.column(pointsSlot!, customer: c) { now = v } else { now = .zero }
                interpreter.overrides[pointsSlot!, default: [:]][c] = .number(now.adding(n)!)
            }
            let rules = engine.activeRules(on: day)
            for c in 0..<data.customers.count {
                for d in try engine.decide(customer: c, day: day, rules: rules, interpreter: interpreter) {
                    let rule = program.rules[d.rule]
                    var redeemed: [LocalDate] = []
                    if d.status == .sent {
                        for a in rule.actions {
                            switch a.kind {
                            case .coupon(let coupon):
                                if let r = firstOrder(c, from: day, days: coupon.validDays, minSpend: coupon.minSpend) {
                                    redeemed.append(LocalDate(day: data.orders.date[r]))
                                }
                            case .setTier(let o, _): tiers[day.advanced(by: 1), default: []].append((c, o))
                            case .awardPoints(let n): points[day.advanced(by: 1), default: []].append((c, n))
                            case .multiplyPoints(let factor, let days):
                                for r in data.orders.rows(of: c, from: day.day, to: day.day + Int32(days)) {
                                    let extra = Number(factor.subtracting(.one)!.multiplying(Number(data.orders.amount[r].floor))!.floor)
                                    points[LocalDate(day: data.orders.date[r] + 1), default: []].append((c, extra))
                                }
                            default: break
                            }
                        }
                    }
                    rows.append(Row(day: day, customer: c, rule: d.rule, status: d.status, redeemedOn: redeemed))
                }
            }
        }
        return rows
    }

    private func firstOrder(_ c: Int, from day: LocalDate, days: Int, minSpend: Number?) -> Int? {
        data.orders.rows(of: c, from: day.day, to: day.day + Int32(days)).first { minSpend == nil || !(data.orders.amount[$0] < minSpend!) }
    }
}
