import Foundation
import XCTest

/// Golden-file comparisons: text as a user reads it, checked against a file in
/// `Fixtures/`. Set PERK_UPDATE_GOLDEN=1 to rewrite the files instead, then
/// review the diff before committing.
enum GoldenFile {
    static var updating: Bool { ProcessInfo.processInfo.environment["PERK_UPDATE_GOLDEN"] == "1" }

    /// Names of the files in a repository folder with this ending, sorted.
    static func names(in folder: String, ending: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Repository.path(folder)).filter { $0.hasSuffix(ending) }.sorted()
    }

    /// Compares `actual` with the file at `path` (absolute), or rewrites it.
    static func check(_ actual: String, against path: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        if updating {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(actual, try String(contentsOfFile: path, encoding: .utf8), message, file: file, line: line)
    }
}
