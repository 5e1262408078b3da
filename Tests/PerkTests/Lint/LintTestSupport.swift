import XCTest
@testable import Perk

/// Lints a source against the test shop and returns each warning's first line
/// and help, so one assertion pins position, code, message and fix.
func lintWarnings(_ source: String, dataGiven: Bool = false, day: LocalDate = TestShop.today,
                  file: StaticString = #filePath, line: UInt = #line) -> [String] {
    let compilation = TestShop.compile(source)
    XCTAssertFalse(compilation.diagnostics.hasErrors, DiagnosticRenderer().render(compilation.diagnostics), file: file, line: line)
    let data = DataSet(customers: TestShop.customers, orders: TestShop.orderTable, isSample: false, report: LoadReport())
    let result = Linter.lint(compilation, population: data, dataGiven: dataGiven, day: day)
    return result.diagnostics.filter { $0.severity == .warning }.map { d in
        ([d.description] + d.notes.map { "note: \($0)" } + (d.help.map { ["help: \($0)"] } ?? [])).joined(separator: " | ")
    }
}
