import Foundation
import XCTest
@testable import Perk

final class HistoryFileTests: XCTestCase {
    private func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("perk-history-\(UUID().uuidString)").path
    }

    func testLinesAreAppendedAndReadBack() {
        let file = HistoryFile(path: temporaryPath())
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        XCTAssertEqual(file.load().entries, [])
        file.append("count customers where member.tier == VIP")
        file.append("customer \"C00042\"")
        XCTAssertEqual(file.load().entries, ["count customers where member.tier == VIP", "customer \"C00042\""])
    }

    func testAFileOverTheLimitIsTrimmedToTheNewestLines() throws {
        let file = HistoryFile(path: temporaryPath())
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        for i in 1...12 { file.append("line \(i)") }
        XCTAssertEqual(file.load(limit: 5).entries, ["line 8", "line 9", "line 10", "line 11", "line 12"])
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        XCTAssertEqual(text, "line 8\nline 9\nline 10\nline 11\nline 12\n")
    }

    func testLocationComesFromTheEnvironment() {
        XCTAssertEqual(HistoryFile.location(environment: ["PERK_HISTORY": "/tmp/h", "HOME": "/home/a"])?.path, "/tmp/h")
        XCTAssertEqual(HistoryFile.location(environment: ["HOME": "/home/a"])?.path, "/home/a/.perk_history")
        XCTAssertNil(HistoryFile.location(environment: ["PERK_HISTORY": "", "HOME": "/home/a"]), "an empty PERK_HISTORY turns it off")
        XCTAssertNil(HistoryFile.location(environment: [:]))
    }
}
