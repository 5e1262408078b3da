/// What `perk test` prints: a line per failing expectation with the expected
/// and actual outcome and the explain tree of the rule's condition for that
/// customer, then a summary; JUnit XML for CI servers; and the coverage.
public struct TestReport {
    public let suite: RuleTestSuite
    public let program: CheckedProgram

    public init(_ suite: RuleTestSuite, program: CheckedProgram) {
        self.suite = suite
        self.program = program
    }

    // MARK: Text

    public func text() -> String {
        var out = ""
        for result in suite.results where !result.passed {
            for f in result.failures {
                out += DisplayText.escaped(Self.line(f, test: result.name)) + "\n"
                if let tree = f.explanation { out += Self.indented(tree) }
            }
            if let error = result.error {
                let at = result.file.lineColumn(of: result.nameRange.start)
                out += DisplayText.escaped("FAIL \(result.file.path):\(at.line):\(at.column): test \"\(result.name)\": "
                                           + "a value could not be computed: \(error.diagnostic.message)") + "\n"
            }
        }
        return out + summary() + "\n"
    }

    /// `FAIL rules/tests/winback.perk:12:3: test "...": "VIP win-back" for C1 on 2025-12-15: expected ..., got ...`
    static func line(_ f: ExpectationFailure, test: String) -> String {
        let at = f.file.lineColumn(of: f.range.start)
        let who = f.rule.map { "\"\($0)\" for \(f.customerID)" } ?? "no rule for \(f.customerID)"
        return "FAIL \(f.file.path):\(at.line):\(at.column): test \"\(test)\": \(who) on \(f.day): expected \(f.expected), got \(f.actual)"
    }

    private static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n") + "\n"
    }

    public func summary() -> String {
        let n = suite.results.count, failed = suite.failedCount
        let tests = n == 1 ? "1 test" : "\(PlanReport.grouped(n)) tests"
        return failed == 0 ? "\(tests): all passed." : "\(tests): \(PlanReport.grouped(n - failed)) passed, \(PlanReport.grouped(failed)) failed."
    }

    // MARK: Coverage

    public func coverage() -> String {
        let rules = program.rules.count, tested = rules - suite.untestedRules.count
        var out = "Coverage: \(tested) of \(rules) rule\(rules == 1 ? "" : "s") tested.\n"
        if !suite.untestedRules.isEmpty {
            out += "Rules no test exercises:\n"
            for r in suite.untestedRules {
                let rule = program.rules[r]
                out += "  \(Self.place(rule.file, rule.nameRange))  \"\(rule.name)\"\n"
            }
        }
        if suite.conditionGaps.isEmpty {
            out += "Every part of the tested rules' conditions was seen both true and false.\n"
        } else {
            out += "Parts of conditions not seen both true and false:\n"
            for gap in suite.conditionGaps {
                let rule = program.rules[gap.rule]
                let text = ExplanationText.oneLine(rule.file.slice(gap.node.range))
                out += "  \(Self.place(rule.file, gap.node.range))  \"\(rule.name)\": `\(text)` \(gap.never)\n"
            }
        }
        // Rule names come from the rules files: each line is escaped on its own.
        return out.split(separator: "\n").map { DisplayText.escaped(String($0)) }.joined(separator: "\n") + "\n"
    }

    private static func place(_ file: SourceFile, _ range: SourceRange) -> String {
        let at = file.lineColumn(of: range.start)
        return "\(file.path):\(at.line):\(at.column)"
    }

    // MARK: JUnit

    /// JUnit XML, one `testsuite` per file and one `testcase` per test; no
    /// timings, so the same tests give the same bytes.
    public func junit() -> String {
        var byFile: [(path: String, results: [TestResult])] = []
        for r in suite.results {
            if let i = byFile.firstIndex(where: { $0.path == r.file.path }) { byFile[i].results.append(r) } else { byFile.append((r.file.path, [r])) }
        }
        let failures = suite.results.filter { !$0.failures.isEmpty }.count
        let errors = suite.results.filter { $0.failures.isEmpty && $0.error != nil }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"perk test\" tests=\"\(suite.results.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        for (path, results) in byFile {
            let f = results.filter { !$0.failures.isEmpty }.count
            let e = results.filter { $0.failures.isEmpty && $0.error != nil }.count
            out += "  <testsuite name=\"\(Self.xml(path))\" tests=\"\(results.count)\" failures=\"\(f)\" errors=\"\(e)\">\n"
            for r in results {
                let at = r.file.lineColumn(of: r.nameRange.start)
                out += "    <testcase name=\"\(Self.xml(r.name))\" classname=\"\(Self.xml(path))\" file=\"\(Self.xml(path))\" line=\"\(at.line)\""
                if r.passed {
                    out += "/>\n"
                    continue
                }
                out += ">\n"
                if !r.failures.isEmpty {
                    let first = r.failures[0]
                    let body = r.failures.map { Self.line($0, test: r.name) + "\n" + ($0.explanation ?? "") }.joined(separator: "\n")
                    out += "      <failure message=\"\(Self.xml("expected \(first.expected), got \(first.actual)"))\">"
                        + Self.xml(body) + "</failure>\n"
                } else if let error = r.error {
                    out += "      <error message=\"\(Self.xml(error.diagnostic.message))\"/>\n"
                }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// Text for XML: markup escaped as in the HTML report, and control
    /// characters (which XML 1.0 cannot hold) written as `\u{..}`.
    static func xml(_ s: String) -> String {
        var kept = ""
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF {
                kept += "\\u{\(String(v, radix: 16, uppercase: true))}"
            } else {
                kept.unicodeScalars.append(scalar)
            }
        }
        return SVGCharts.escape(kept)
    }
}
