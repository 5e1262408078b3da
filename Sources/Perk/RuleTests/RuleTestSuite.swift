/// The front door of `perk test`: the tests of a compilation's files checked
/// against its rules, run, and what coverage they give. Like `Compiler`, it
/// never throws for a user's mistake: those are diagnostics.
public struct RuleTestSuite: Sendable {
    public var tests: [CheckedTest]
    /// The test checker's findings (the parser's are the compilation's).
    public var diagnostics: [Diagnostic]
    public var results: [TestResult] = []
    /// Rules no expectation names, by index into the program's rules.
    public var untestedRules: [Int] = []
    /// Per tested rule, the parts of its condition not seen both ways.
    public var conditionGaps: [(rule: Int, node: CheckedExpr, never: String)] = []

    /// Checks the tests of `files` against `program` (the checked rules of the
    /// same files, bound to the data whose schema the tests' tables take).
    public static func check(_ files: [RulesFile], program: CheckedProgram) -> RuleTestSuite {
        let (tests, diagnostics) = TestChecker.check(files, program: program, schema: program.schema)
        return RuleTestSuite(tests: tests, diagnostics: diagnostics)
    }

    /// Runs every test; with `coverage`, also works out what they leave untested.
    public mutating func run(_ program: CheckedProgram, coverage: Bool) {
        var runner = RuleTestRunner(program: program, recordsCoverage: coverage)
        results = runner.run(tests)
        guard coverage, let seen = runner.coverage else { return }
        // A rule is tested when an expectation names it; a journal entry only sets the scene.
        let named = Set(tests.flatMap { $0.expectations.compactMap(\.rule) })
        untestedRules = program.rules.indices.filter { !named.contains($0) }
        conditionGaps = program.rules.indices.filter(named.contains).flatMap { r in
            seen.gaps(in: program.rules[r]).map { (r, $0.node, $0.never) }
        }
    }

    public var failedCount: Int { results.filter { !$0.passed }.count }
}
