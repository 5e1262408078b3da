import Foundation
import XCTest

/// A real journal, committed by the built `perk`, damaged the ways a person
/// editing it or a disk losing part of it would. Every damage stops the run:
/// `perk run --journal` exits 1 and writes nothing (with `--commit` the
/// folder stays byte for byte as it was), and the diagnostics, as a user
/// reads them, are pinned in `Fixtures/journal/damaged/NAME.stderr`.
/// `perk journal` reports the same diagnostics, and `--undo-last` still takes
/// a damaged latest day back. Set PERK_UPDATE_GOLDEN=1 to rewrite the
/// goldens, then read every one before committing.
final class DamagedJournalTests: XCTestCase {
    // MARK: The shop and its journal

    /// The end-to-end tests' four hand-checked customers.
    static let customers = RunCommandTests.customers

    static let orders = """
    order_id,customer_id,ordered_at,amount,items,store,channel,discount,coupon_code
    O1,C001,2025-04-01T10:00:00,18.00,Jasmine Green Tea,SH-Jingan,store,,
    O2,C002,2025-05-20,36.50,Oolong Milk Tea;Taro Milk Tea,SH-Jingan,delivery,,
    O3,C003,2025-03-01T12:30,20.00,Jasmine Green Tea,SH-Xuhui,app,,
    O4,C004,2025-05-30T15:00:00,15.00,Jasmine Green Tea,SH-Xuhui,store,,

    """

    /// A rule named with a comma and Chinese text, so its rows are quoted and
    /// carets after it must count characters, not bytes.
    static let rules = """
    rule "Win-back" when member.tier == VIP and days_since_visit > 30 then send coupon 20 via sms limit once per customer every 30 days
    rule "Complaint" priority 5 when member.open_complaints > 0
      then send coupon 10 via sms, tag "recovery", send coupon "FREE-TOPPING" worth 6 via wechat
    rule "Hello, 朋友" when visit_count >= 1 then send message "hello" via wechat
    rule "Sugar" when member.sugar_pref == "less" then send coupon 15% max 10
    campaign "Summer" from 2025-06-01 to 2025-08-31 budget 100 rules "Complaint", "Sugar"

    """

    static let days = ["2025-06-29", "2025-06-30"]
    static let latest = "journal/2025-06-30.csv"

    /// The day committed 2025-06-30, line by line, as the tests damage it.
    static let latestDay = """
    date,customer_id,rule,action,value,channel,status,redeemed_on,cost,campaign,coupon_code
    2025-06-30,C001,Win-back,coupon,20,sms,skipped_cooldown,,,,
    2025-06-30,C001,"Hello, 朋友",message,hello,wechat,sent,,,,
    2025-06-30,C001,Sugar,coupon,15% max 10,,sent,,,Summer,ANC7V-4H6D7
    2025-06-30,C002,Complaint,coupon,10,sms,skipped_consent,,,Summer,
    2025-06-30,C002,Complaint,tag,recovery,,skipped_consent,,,Summer,
    2025-06-30,C002,Complaint,coupon,FREE-TOPPING worth 6,wechat,skipped_consent,,,Summer,
    2025-06-30,C002,"Hello, 朋友",message,hello,wechat,sent,,,,
    2025-06-30,C003,Win-back,coupon,20,sms,skipped_cooldown,,,,
    2025-06-30,C003,"Hello, 朋友",message,hello,wechat,skipped_consent,,,,
    2025-06-30,C004,Complaint,coupon,10,sms,sent,,,Summer,XQ85L-EXR2T
    2025-06-30,C004,Complaint,tag,recovery,,sent,,,Summer,
    2025-06-30,C004,Complaint,coupon,FREE-TOPPING worth 6,wechat,sent,,,Summer,35YDV-SS764
    2025-06-30,C004,"Hello, 朋友",message,hello,wechat,sent,,,,
    2025-06-30,C004,Sugar,coupon,15% max 10,,sent,,,Summer,MVD4H-TFE2T

    """

    // MARK: The damage

    struct Damage {
        var name: String
        /// The damage is in the latest day's file, so `--undo-last` removes it.
        var inLatestDay = true
        var apply: (Journal) throws -> Void
    }

    /// One per golden file.
    static let damages: [Damage] = [
        Damage(name: "row-cut-short") { try $0.editLine(5) { String($0.prefix(45)) } },
        // The disk lost the file's end, in the last row's coupon code.
        Damage(name: "code-cut-short") { j in try j.write(j.bytes(DamagedJournalTests.latest).dropLast(4), to: DamagedJournalTests.latest) },
        Damage(name: "bad-date") { try $0.editLine(3) { $0.replacingOccurrences(of: "2025-06-30", with: "2025-06-3x") } },
        Damage(name: "row-of-another-day") { try $0.editLine(9) { $0.replacingOccurrences(of: "2025-06-30", with: "2025-06-29") } },
        Damage(name: "impossible-file-name", inLatestDay: false) { j in
            try j.write(j.bytes("journal/2025-06-29.csv"), to: "journal/2025-02-30.csv")
        },
        Damage(name: "unknown-status") { try $0.editLine(11) { $0.replacingOccurrences(of: ",sent,", with: ",snet,") } },
        Damage(name: "unknown-action") { try $0.editLine(12) { $0.replacingOccurrences(of: ",tag,", with: ",tags,") } },
        Damage(name: "unknown-channel") { try $0.editLine(8) { $0.replacingOccurrences(of: ",wechat,", with: ",weechat,") } },
        Damage(name: "sent-coupon-without-code") { try $0.editLine(13) { $0.replacingOccurrences(of: "35YDV-SS764", with: "") } },
        Damage(name: "code-on-row-not-sent") { try $0.editLine(5) { $0 + "ANC7V-4H6D8" } },
        Damage(name: "malformed-codes") { j in
            try j.editLine(4) { $0.replacingOccurrences(of: "ANC7V-4H6D7", with: "ANC7V-4H6O7") }
            try j.editLine(15) { $0.replacingOccurrences(of: "MVD4H-TFE2T", with: "MVD4H-TFE21") }
        },
        // The day before copied over the latest, its dates made the latest's.
        Damage(name: "duplicated-day") { j in
            let copy = String(decoding: try j.bytes("journal/2025-06-29.csv"), as: UTF8.self)
            try j.write(Array(copy.replacingOccurrences(of: "2025-06-29,", with: "2025-06-30,").utf8), to: DamagedJournalTests.latest)
        },
        Damage(name: "decision-twice") { j in try j.editLine(16) { _ in DamagedJournalTests.lines[2] + "\n" } },
        Damage(name: "decision-statuses-differ") { try $0.editLine(12) { $0.replacingOccurrences(of: ",sent,", with: ",held_out,") } },
        Damage(name: "bad-header") { try $0.editLine(1) { $0.replacingOccurrences(of: ",status,", with: ",state,") } },
        Damage(name: "unclosed-quote") { try $0.editLine(8) { $0.replacingOccurrences(of: "朋友\"", with: "朋友") } },
        // Saved in GBK by a spreadsheet: 朋友 is C5F3 D3D1 there.
        Damage(name: "not-utf8") { j in
            var bytes = try j.bytes(DamagedJournalTests.latest)
            let friend = Array("朋友".utf8)
            let at = try XCTUnwrap(bytes.indices.first { bytes[$0...].starts(with: friend) })
            bytes.replaceSubrange(at..<(at + friend.count), with: [0xC5, 0xF3, 0xD3, 0xD1])
            try j.write(bytes, to: DamagedJournalTests.latest)
        },
        Damage(name: "empty-file") { try $0.write([], to: DamagedJournalTests.latest) },
        // More problems than are listed: 20 shown, then a note.
        Damage(name: "many-problems") { j in
            let bad = (1...24).map { "2025-06-30,C10\($0 + 10),Win-back,coupon,20,\($0 % 2 == 0 ? "sms" : "fax"),sent,,,,\n" }.joined()
            try j.editLine(16) { _ in bad }
        },
    ]

    static var lines: [String] { latestDay.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    // MARK: Tests

    func testTheJournalTheDamageStartsFrom() throws {
        let shop = try Self.shopWithJournal()
        defer { try? FileManager.default.removeItem(at: shop) }
        XCTAssertEqual(try String(contentsOf: shop.appendingPathComponent(Self.latest), encoding: .utf8), Self.latestDay)
        let clean = try PerkProcess.run(Self.run(commit: true), directory: shop)
        XCTAssertEqual(clean.status, 0, clean.stderr)
    }

    func testEveryDamageStopsTheRunAndIsReportedWhereItIs() throws {
        let shop = try Self.shopWithJournal()
        defer { try? FileManager.default.removeItem(at: shop) }
        let pristine = shop.appendingPathComponent("pristine")
        try FileManager.default.copyItem(at: shop.appendingPathComponent("journal"), to: pristine)
        let goldens = Repository.path("Tests/PerkTests/Fixtures/journal/damaged")
        if GoldenFile.updating { try FileManager.default.createDirectory(atPath: goldens, withIntermediateDirectories: true) }
        XCTAssertEqual(Set(try GoldenFile.names(in: "Tests/PerkTests/Fixtures/journal/damaged", ending: ".stderr")),
                       Set(Self.damages.map { $0.name + ".stderr" }), "one golden per damage, and no other")

        for damage in Self.damages {
            let journal = Journal(shop: shop)
            try? FileManager.default.removeItem(at: journal.folder)
            try FileManager.default.copyItem(at: pristine, to: journal.folder)
            try damage.apply(journal)
            let before = try journal.snapshot()
            XCTAssertNotEqual(before, try Journal(shop: shop, folder: "pristine").snapshot(), "\(damage.name): nothing was damaged")

            let committing = try PerkProcess.run(Self.run(commit: true), directory: shop)
            XCTAssertEqual(committing.status, 1, "\(damage.name): \(committing.stderr)")
            XCTAssertEqual(committing.stdout, "", damage.name)
            XCTAssertEqual(try journal.snapshot(), before, "\(damage.name): the journal changed")
            XCTAssertTrue(committing.stderr.hasSuffix("perk: the journal at journal is damaged; nothing was run. Fix or remove the files named above.\n"),
                          "\(damage.name): \(committing.stderr)")
            try GoldenFile.check(committing.stderr, against: goldens + "/" + damage.name + ".stderr", damage.name)

            let previewing = try PerkProcess.run(Self.run(commit: false), directory: shop)
            XCTAssertEqual(previewing.status, 1, damage.name)
            XCTAssertEqual(previewing.stdout, "", damage.name)
            XCTAssertEqual(previewing.stderr, committing.stderr, damage.name)

            let shown = try PerkProcess.run(["journal", "journal"], directory: shop)
            XCTAssertEqual(shown.status, 1, damage.name)
            XCTAssertEqual(shown.stdout, "", damage.name)
            XCTAssertEqual(shown.stderr, committing.stderr.replacingOccurrences(of: "nothing was run.", with: "nothing was shown."), damage.name)
            XCTAssertEqual(try journal.snapshot(), before, "\(damage.name): the journal changed")

            guard damage.inLatestDay else {
                // The latest day is sound: taking it back would not mend the damage, so nothing is removed.
                let refused = try PerkProcess.run(["journal", "journal", "--undo-last"], directory: shop)
                XCTAssertEqual(refused.status, 1, damage.name)
                XCTAssertEqual(refused.stdout, "", damage.name)
                XCTAssertTrue(refused.stderr.hasSuffix("perk journal: nothing was removed from journal; fix what is named above first "
                                                       + "(--undo-last takes back only the latest committed day).\n"), refused.stderr)
                XCTAssertEqual(try journal.snapshot(), before, "\(damage.name): the journal changed")
                continue
            }
            let undone = try PerkProcess.run(["journal", "journal", "--undo-last"], directory: shop)
            XCTAssertEqual(undone.status, 0, "\(damage.name): \(undone.stderr)")
            XCTAssertTrue(undone.stdout.hasPrefix("Removed 2025-06-30 from journal"), "\(damage.name): \(undone.stdout)")
            XCTAssertTrue(undone.stdout.hasSuffix("; the latest day is now 2025-06-29.\n"), "\(damage.name): \(undone.stdout)")
            let after = try PerkProcess.run(["journal", "journal"], directory: shop)
            XCTAssertEqual(after.status, 0, "\(damage.name): \(after.stderr)")
            XCTAssertEqual(try journal.bytes("journal/2025-06-29.csv"), try journal.bytes("pristine/2025-06-29.csv"), damage.name)
        }
    }

    /// What `--undo-last` says about the day it took back: the day's counts
    /// when its file reads, nothing made up when it does not.
    func testUndoLastSaysWhatADamagedDayHeldWhenItCan() throws {
        let shop = try Self.shopWithJournal()
        defer { try? FileManager.default.removeItem(at: shop) }
        let journal = Journal(shop: shop)
        try journal.write([], to: Self.latest)
        let undone = try PerkProcess.run(["journal", "journal", "--undo-last"], directory: shop)
        XCTAssertEqual(undone.status, 0, undone.stderr)
        XCTAssertEqual(undone.stdout, "Removed 2025-06-30 from journal; the latest day is now 2025-06-29.\n")
        XCTAssertEqual(undone.stderr, "The coupon codes issued on 2025-06-30 are void now; if its messages already went out, customers hold them.\n")

        let clean = try PerkProcess.run(["journal", "journal", "--undo-last"], directory: shop)
        XCTAssertEqual(clean.stdout, "Removed 2025-06-29 from journal: 10 decisions, 8 sent, 6 coupon codes; "
                       + "no days are committed now.\n")
    }

    // MARK: Helpers

    static func run(commit: Bool) -> [String] {
        ["run", "shop.perk", "--customers", "customers.csv", "--orders", "orders.csv", "--as-of", "2025-07-01", "--journal", "journal"]
            + (commit ? ["--commit"] : [])
    }

    /// The shop's files and its journal of two days, committed by `perk run`.
    static func shopWithJournal() throws -> URL {
        let shop = try PerkProcess.folder(["customers.csv": customers, "orders.csv": orders, "shop.perk": rules])
        for day in days {
            let r = try PerkProcess.run(["run", "shop.perk", "--customers", "customers.csv", "--orders", "orders.csv", "--as-of", day,
                                         "--journal", "journal", "--commit"], directory: shop)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        return shop
    }

    /// A journal folder in the shop, with ways to damage its files.
    struct Journal {
        let shop: URL
        var folder: URL

        init(shop: URL, folder: String = "journal") {
            self.shop = shop
            self.folder = shop.appendingPathComponent(folder)
        }

        func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: shop.appendingPathComponent(path))) }

        func write<C: Collection>(_ bytes: C, to path: String) throws where C.Element == UInt8 {
            try Data(bytes).write(to: shop.appendingPathComponent(path))
        }

        /// Replaces line `n` (1 first) of the latest day, its line break
        /// excluded; past the end, appends.
        func editLine(_ n: Int, _ edit: (String) -> String) throws {
            var lines = String(decoding: try bytes(DamagedJournalTests.latest), as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            while lines.count < n { lines.append("") }
            lines[n - 1] = edit(lines[n - 1])
            let text = lines.joined(separator: "\n") + (lines[lines.count - 1].hasSuffix("\n") ? "" : "\n")
            try write(Array(text.utf8), to: DamagedJournalTests.latest)
        }

        /// Every file of the folder, hidden ones too, with its bytes. The
        /// lock file is there, but not its contents: taking the lock writes
        /// the process id into it, for anyone who has to wait.
        func snapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                files[name] = name == ".lock" ? Data() : try Data(contentsOf: folder.appendingPathComponent(name))
            }
            return files
        }
    }
}
