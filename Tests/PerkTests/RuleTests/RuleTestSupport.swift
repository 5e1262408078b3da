@testable import Perk

/// Rules and tests compiled, checked and run as `perk test` does, in process.
enum RuleTestRun {
    struct Outcome {
        var compilation: Compilation
        var suite: RuleTestSuite?
        var program: CheckedProgram? { compilation.program }

        /// Every diagnostic, the parser's and checker's and then the test checker's.
        var diagnostics: [Diagnostic] { compilation.diagnostics + (suite?.diagnostics ?? []) }

        /// What `perk test` would exit with 0 for: the rules and tests check,
        /// there are tests, and they all pass.
        var passes: Bool {
            guard let suite, !compilation.diagnostics.hasErrors, !suite.diagnostics.hasErrors else { return false }
            return !suite.results.isEmpty && suite.failedCount == 0
        }
    }

    static func run(_ sources: [SourceFile], schema: Schema = Repository.sampleSchema, coverage: Bool = false) -> Outcome {
        let compilation = Compiler.compile(sources, schema: schema)
        guard let program = compilation.program else { return Outcome(compilation: compilation, suite: nil) }
        var suite = RuleTestSuite.check(compilation.files, program: program)
        if !suite.diagnostics.hasErrors { suite.run(program, coverage: coverage) }
        return Outcome(compilation: compilation, suite: suite)
    }

    /// One file of rules and tests.
    static func run(_ text: String, path: String = "t.perk", coverage: Bool = false) -> Outcome {
        run([SourceFile(path: path, text: text)], coverage: coverage)
    }
}
