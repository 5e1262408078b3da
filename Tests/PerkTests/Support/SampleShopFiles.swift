import Foundation
@testable import Perk

/// The built-in sample shop as CSV files, written once per test run. A
/// `perk` started with them loads in a fraction of the time it takes to build
/// the shop in memory (1.3 s in a debug build), which the end-to-end journal
/// tests would pay on every run. They are the bytes `perk sample-data`
/// writes, which give the built-in shop's plan (RunCommandTests).
enum SampleShopFiles {
    static let path = FileManager.default.temporaryDirectory.appendingPathComponent("perk-test-shop-\(getpid())").path

    private static let written: Bool = {
        guard case .success = SampleShop.write(SampleShopConfig(), to: path) else { return false }
        atexit { try? FileManager.default.removeItem(atPath: SampleShopFiles.path) }
        return true
    }()

    /// `--customers FILE --orders FILE`, writing the files the first time.
    static var arguments: [String] {
        get throws {
            guard written else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
            return ["--customers", path + "/customers.csv", "--orders", path + "/orders.csv"]
        }
    }

    /// A fresh folder holding `journal`, the days committed one by one with
    /// `perk run RULES --as-of DAY --journal journal --commit`.
    static func journal(rules: [String], days: [String]) throws -> URL {
        let scratch = try PerkProcess.folder([:])
        for day in days {
            let r = try PerkProcess.run(["run"] + rules + arguments + ["--as-of", day, "--journal", "journal", "--commit", "--format", "csv"],
                                        directory: scratch)
            guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        }
        return scratch
    }
}
