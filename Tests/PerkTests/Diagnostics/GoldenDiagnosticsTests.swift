import Foundation
import XCTest
@testable import Perk

/// Each `Fixtures/diagnostics/NAME.perk` is linted against the test shop and its
/// rendered diagnostics compared with `NAME.expected`, exactly as a user reads them.
/// Set PERK_UPDATE_GOLDEN=1 to rewrite the expected files, then review the diff.
final class GoldenDiagnosticsTests: XCTestCase {
    func testDiagnosticsMatchGoldenFiles() throws {
        let folder = Repository.path("Tests/PerkTests/Fixtures/diagnostics")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".perk") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 7)
        let update = ProcessInfo.processInfo.environment["PERK_UPDATE_GOLDEN"] == "1"
        for name in names {
            // Read as `perk lint` reads a file: bytes, so ones that are not UTF-8 are reported.
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: folder + "/" + name))
            let c = Compiler.compile([SourceFile(path: name, data: [UInt8](bytes))], schema: TestShop.schema)
            let rendered = DiagnosticRenderer().render(c.diagnostics) + DiagnosticRenderer.summary(c.diagnostics, files: 1) + "\n"
            let expectedPath = folder + "/" + name.replacingOccurrences(of: ".perk", with: ".expected")
            if update {
                try rendered.write(toFile: expectedPath, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
            XCTAssertEqual(rendered, expected, name)
        }
    }
}
