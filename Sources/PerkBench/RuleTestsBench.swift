import Foundation
import Perk

/// `perk-bench --only tests`: 1,000 tests, the tests of `rules/tests/` copied
/// under new names until there are enough, parsed, checked and run against
/// `rules/` as `perk test` does them (issue 18: 1,000 tests in under a second).
enum RuleTestsBench {
    static let count = 1_000

    /// Writes the rules and the copied tests to `folder`; returns the number of tests written.
    static func writeCorpus(rules: String, to folder: String) -> Int {
        let fm = FileManager.default
        try? fm.removeItem(atPath: folder)
        guard (try? fm.createDirectory(atPath: folder + "/tests", withIntermediateDirectories: true)) != nil else { fail("cannot create \(folder)") }
        let (sources, problems) = RuleSources.load([rules])
        guard problems.isEmpty else { fail("\(rules) cannot be read") }
        var tests: [String] = []
        for s in sources {
            let name = (s.path as NSString).lastPathComponent
            if s.path.contains("/tests/") { tests.append(s.text) } else { fm.createFile(atPath: folder + "/" + name, contents: Data(s.text.utf8)) }
        }
        let perCopy = tests.joined().components(separatedBy: "\ntest \"").count - 1
        guard perCopy > 0 else { fail("\(rules)/tests holds no test") }
        var written = 0, copy = 0
        var corpus = ""
        while written < count {
            copy += 1
            for t in tests {
                let n = t.components(separatedBy: "\ntest \"").count - 1
                guard written + n <= count else { continue }
                corpus += t.replacingOccurrences(of: "\ntest \"", with: "\ntest \"#\(copy) ") + "\n"
                written += n
            }
            if copy > count { break }
        }
        fm.createFile(atPath: folder + "/tests/corpus.test.perk", contents: Data(corpus.utf8))
        return written
    }

    static func run(options: Options) -> [(String, String, Double)] {
        let folder = ".build/perk-bench-data/rule-tests"
        let written = writeCorpus(rules: options.rules, to: folder)
        let data = DataSet.sampleShop()
        let schema = Schema(customers: data.customers, orders: data.orders)
        let (sources, _) = RuleSources.load([folder])
        var checked = 0, passed = 0
        let check = median(options.runs) { () -> RuleTestSuite in
            let compilation = Compiler.compile(sources, schema: schema)
            guard let program = compilation.program else { fail("the rules or tests have errors; run perk lint \(folder)") }
            return RuleTestSuite.check(compilation.files, program: program)
        }
        guard let program = Compiler.compile(sources, schema: schema).program else { fail("the rules have errors") }
        checked = check.result.tests.count
        let run = median(options.runs) { () -> Int in
            var suite = check.result
            suite.run(program, coverage: false)
            return suite.results.filter(\.passed).count
        }
        passed = run.result
        guard checked == written, passed == written else { fail("\(written) tests written, \(checked) checked, \(passed) passed") }
        return [("tests parsed and checked", "\(written) tests of \(folder)", check.seconds),
                ("tests run", "\(written) tests, each on its own data", run.seconds),
                ("tests in all", "what perk test does once the schema is known", check.seconds + run.seconds)]
    }
}
