import XCTest
@testable import Perk

/// The planner against the interpreter, its reference: on every rule of
/// `rules/`, every perk block of the README and the grammar, and generated
/// files of random conditions, both give the same value for every customer
/// on several days, missing values and failures included.
final class PlannerTests: XCTestCase {
    func testPlannedConditionsAgreeWithTheInterpreterOnTheDocsAndRules() throws {
        let shop = Repository.sampleShop
        let sources = try Examples.rulesAndDocs()
        var compared = 0
        for (i, source) in sources.enumerated() {
            let compilation = Compiler.compile([SourceFile(path: "doc\(i).perk", text: source)], schema: Repository.sampleSchema)
            guard let program = compilation.program else { continue }
            compared += try Self.assertAgree(program, data: shop, every: 7, context: "block \(i)")
        }
        XCTAssertGreaterThan(compared, 50_000, "most blocks compile against the sample shop")
    }

    func testPlannedConditionsAgreeWithTheInterpreterOnGeneratedConditions() throws {
        let shop = DataSet.sampleShop(SampleShopConfig(customers: 60, orders: 1_500, seed: 11))
        let schema = Schema(customers: shop.customers, orders: shop.orders)
        var programs = 0
        for index in 0..<400 {
            var rng = SplitMix64(seed: 77 ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
            var generator = RulesGenerator()
            let text = generator.file(&rng)
            guard let program = Compiler.compile([SourceFile(path: "gen\(index).perk", text: text)], schema: schema).program else { continue }
            programs += 1
            _ = try Self.assertAgree(program, data: shop, every: 1, context: "generated file \(index):\n\(text)")
        }
        XCTAssertGreaterThan(programs, 40, "enough generated files compile to test something")
    }

    /// Anniversaries at the calendar's awkward places: a Feb 29 birthday in
    /// leap and other years, the turn of the year, windows of 0 to 400 days.
    func testBirthdayWindowsAgreeAroundFebruaryAndTheYearEnd() throws {
        let windows = [0, 1, 3, 30, 364, 365, 400]
        let text = windows.map { "rule \"next \($0)\" when member.birthday in next \($0) days then tag \"b\"" }
            .joined(separator: "\n") + "\nrule \"within\" when member.birthday within 3 days then tag \"w\""
        let program = try XCTUnwrap(TestShop.compile(text).program)
        let interpreter = TestShop.interpreter
        let plans = Planner.plan(program.rules.map(\.condition), on: interpreter)
        var frame = PlanFrame()
        var days: [LocalDate] = []
        for year in [2023, 2024, 2025, 9998, 9999] {
            for (m, d) in [(1, 1), (2, 27), (2, 28), (2, 29), (3, 1), (3, 2), (12, 30), (12, 31)] {
                if let day = LocalDate(year: year, month: m, day: d) { days.append(day) }
            }
        }
        for day in days {
            for c in 0..<interpreter.customers.count {
                for (r, rule) in program.rules.enumerated() {
                    XCTAssertEqual(try plans[r].evaluate(&frame, customer: c, today: day),
                                   try interpreter.evaluate(rule.condition, customer: c, today: day), "\(rule.name), customer \(c), \(day)")
                }
            }
        }
    }

    /// Both engines on every rule, every `every`-th customer, on four days
    /// around the data's end (one frame kept across them, as `perk simulate`
    /// keeps one); returns how many values were compared.
    @discardableResult
    static func assertAgree(_ program: CheckedProgram, data: DataSet, every: Int, context: String,
                            file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let interpreter = Interpreter(customers: data.customers, orders: data.orders)
        guard let last = data.dayAfterLatestOrder else { return 0 }
        let days = [last.advanced(by: -40), last.advanced(by: -1), last, last.advanced(by: 29)]
        let plans = Planner.plan(program.rules.map(\.condition), on: interpreter)
        var frame = PlanFrame()
        var compared = 0
        for day in days {
            for c in stride(from: 0, to: data.customers.count, by: every) {
                for (r, rule) in program.rules.enumerated() {
                    let expected: Result<Value, EvaluationError> = Result { () throws(EvaluationError) in
                        try interpreter.evaluate(rule.condition, customer: c, today: day)
                    }
                    let got: Result<Value, EvaluationError> = Result { () throws(EvaluationError) in
                        try plans[r].evaluate(&frame, customer: c, today: day)
                    }
                    switch (expected, got) {
                    case (.success(let a), .success(let b)) where a == b: break
                    case (.failure(let a), .failure(let b)) where a.problem == b.problem && a.range == b.range: break
                    default:
                        XCTFail("rule \(rule.name), customer \(data.customers.ids[c]), \(day): interpreter \(expected), plan \(got); \(context)",
                                file: file, line: line)
                        return compared
                    }
                    compared += 1
                }
            }
        }
        return compared
    }
}
