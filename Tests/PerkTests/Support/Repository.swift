import Foundation
@testable import Perk

/// Paths in the repository and the built `perk` binary, found from this file's location.
enum Repository {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// The sample shop, built once for all tests that need it.
    static let sampleShop = DataSet.sampleShop()
    static var sampleSchema: Schema { Schema(customers: sampleShop.customers, orders: sampleShop.orders) }
}
