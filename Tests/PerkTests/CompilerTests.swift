import XCTest
@testable import Perk

final class CompilerTests: XCTestCase {
    func testRulesFolderGivenAsASymbolicLinkIsRead() throws {
        let folder = try PerkProcess.folder(["b.perk": "when visit_count > 1 then tag \"b\"\n",
                                             "a.perk": "when visit_count > 2 then tag \"a\"\n",
                                             "notes.txt": "not rules"])
        let link = folder.deletingLastPathComponent().appendingPathComponent("perk-link-\(UUID().uuidString)")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: folder)
        defer {
            try? FileManager.default.removeItem(at: link)
            try? FileManager.default.removeItem(at: folder)
        }
        for given in [link.path, link.path + "/"] {
            let (files, diagnostics) = RuleSources.load([given])
            XCTAssertEqual(diagnostics.map(\.code), [], given)
            let base = given.hasSuffix("/") ? given : given + "/"
            XCTAssertEqual(files.map(\.path), [base + "a.perk", base + "b.perk"], "named from the link as given")
        }
    }
}
