import Foundation
@testable import Perk

/// A sample shop with 100 orders a customer, on which `condition` takes about
/// half a minute in a debug build (for each order, the average of all the
/// customer's orders): long enough that a test sees Ctrl-C stop it. Written
/// once per test run, removed at exit.
enum SlowQueryShop {
    static let condition = "count(orders where amount > avg(orders.amount)) > 3"

    static let path = FileManager.default.temporaryDirectory.appendingPathComponent("perk-test-slow-shop-\(getpid())").path

    private static let written: Bool = {
        guard case .success = SampleShop.write(SampleShopConfig(customers: 1_000, orders: 100_000), to: path) else { return false }
        atexit { try? FileManager.default.removeItem(atPath: SlowQueryShop.path) }
        return true
    }()

    /// `--customers FILE --orders FILE`, writing the files the first time.
    static var arguments: [String] {
        get throws {
            guard written else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
            return ["--customers", path + "/customers.csv", "--orders", path + "/orders.csv"]
        }
    }
}
