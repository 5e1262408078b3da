import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The campaign journal, damaged for real: the built `perk` binary is killed
/// with SIGKILL part way through a large commit, run twice at once, run out
/// of disk space and killed holding the lock. Whatever happens, the journal
/// holds each day whole, byte for byte as an undisturbed commit writes it,
/// or not at all, and the next commit succeeds.
final class JournalDurabilityTests: XCTestCase {
    static let day = "2026-01-01"
    static let dayBefore = "2025-12-31"
    static let nextDay = "2026-01-02"
    static let threeDaysLater = "2026-01-04"

    /// Every customer gets a decision of each rule, one row per action, and
    /// most get coupons: 5,000 customers make one day of 30,000 rows
    /// (1.7 MB), large enough that a kill can land in the middle of its write.
    /// The limit makes the next day's plan depend on the day before.
    static let customers = 5000
    static let rules = """
    rule "Everyone" when true then send coupon 5 via sms, tag "t", send message "m"
    rule "Second" when true then send coupon 3, tag "u", send coupon "TOPPING" worth 6 limit once per customer every 7 days
    campaign "Winter" holdout 10% rules "Second"

    """

    /// The shop, and what an undisturbed commit of `day` into an empty journal does.
    struct Reference {
        var shop: URL
        /// The day file's bytes.
        var dayFile: Data
        /// Standard output of the commit, `--format csv`.
        var plan: String
        /// How long the commit took.
        var duration: TimeInterval
        /// The next day's file, committed after `dayFile`.
        var nextDayFile: Data
    }

    private static var reference: Swift.Result<Reference, Error>?

    override class func setUp() {
        super.setUp()
        reference = Swift.Result { try makeReference() }
    }

    override class func tearDown() {
        if case .success(let r) = reference { try? FileManager.default.removeItem(at: r.shop) }
        reference = nil
        super.tearDown()
    }

    private static func makeReference() throws -> Reference {
        let shop = try PerkProcess.folder(["rules.perk": rules])
        let data = try PerkProcess.run(["sample-data", "--customers", "\(customers)", "--orders", "1000", "--out", shop.path])
        guard data.status == 0 else { throw Failure(description: "perk sample-data failed: \(data.stderr)") }
        let journal = shop.appendingPathComponent("reference-journal")
        let start = Date()
        let r = try PerkProcess.run(commitArguments(shop: shop, journal: journal, day: day))
        let duration = Date().timeIntervalSince(start)
        guard r.status == 0 else { throw Failure(description: "the reference commit failed: \(r.stderr)") }
        let next = try PerkProcess.run(commitArguments(shop: shop, journal: journal, day: nextDay))
        guard next.status == 0 else { throw Failure(description: "the reference commit of the next day failed: \(next.stderr)") }
        return Reference(shop: shop, dayFile: try Data(contentsOf: journal.appendingPathComponent("\(day).csv")), plan: r.stdout,
                         duration: duration, nextDayFile: try Data(contentsOf: journal.appendingPathComponent("\(nextDay).csv")))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A folder for this test's journals, removed after it.
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = try PerkProcess.folder([:])
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    // MARK: Preview and re-commit

    func testPreviewWritesNothing() throws {
        let ref = try reference()
        let journal = scratch.appendingPathComponent("journal")
        let absent = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.day, commit: false))
        XCTAssertEqual(absent.status, 0, absent.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: journal.path), "a preview created the journal folder")
        XCTAssertTrue(absent.stderr.contains("Preview: nothing was written to"), absent.stderr)
        XCTAssertEqual(absent.stdout.prefix(while: { $0 != "\n" }), "customer_id,rule,action,value,channel,coupon_code")
        // The preview shows exactly what a commit would record, coupon codes included.
        XCTAssertEqual(absent.stdout, ref.plan)

        try seed(journal, with: ref)
        let before = try snapshot(journal)
        let existing = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.nextDay, commit: false))
        XCTAssertEqual(existing.status, 0, existing.stderr)
        XCTAssertTrue(existing.stderr.contains("Preview: nothing was written"), existing.stderr)
        XCTAssertEqual(try snapshot(journal), before, "a preview changed the journal")
    }

    func testCommittingADayAgainWritesNothingAndReprintsItsPlan() throws {
        let ref = try reference()
        let journal = scratch.appendingPathComponent("journal")
        let first = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.day))
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("Committed \(Self.day) to "), first.stderr)
        let before = try snapshot(journal, ignoringLock: true)

        let again = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.day))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("\(Self.day) is already committed to"), again.stderr)
        XCTAssertFalse(again.stderr.contains("Committed"), again.stderr)
        XCTAssertEqual(try snapshot(journal, ignoringLock: true), before, "committing the day again changed the journal")
        XCTAssertEqual(again.stdout, first.stdout, "the plan as committed reads differently from the plan committed")
        XCTAssertEqual(try dayFile(journal, Self.day), ref.dayFile)
    }

    func testAnEarlierDayIsRefusedAndLaterDaysMaySkipSome() throws {
        let ref = try reference()
        let journal = scratch.appendingPathComponent("journal")
        try seed(journal, with: ref)
        let before = try snapshot(journal, ignoringLock: true)
        let earlier = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.dayBefore))
        XCTAssertEqual(earlier.status, 1)
        XCTAssertTrue(earlier.stderr.contains("already holds \(Self.day), after \(Self.dayBefore)"), earlier.stderr)
        XCTAssertTrue(earlier.stderr.contains("nothing was written"), earlier.stderr)
        XCTAssertEqual(earlier.stdout, "")
        XCTAssertEqual(try snapshot(journal, ignoringLock: true), before)

        let later = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.threeDaysLater))
        XCTAssertEqual(later.status, 0, later.stderr)
        XCTAssertEqual(try dayFiles(journal), ["\(Self.day).csv", "\(Self.threeDaysLater).csv"])
        XCTAssertEqual(try dayFile(journal, Self.day), ref.dayFile)
    }

    // MARK: Killed commits

    /// When the test kills a commit.
    enum KillPoint: CustomStringConvertible {
        /// This long after it started.
        case after(TimeInterval)
        /// As soon as the day's partial file holds at least this many bytes.
        case partialFileHolds(Int)
        /// As soon as the day's file is in place.
        case dayFileAppears

        var description: String {
            switch self {
            case .after(let t): return String(format: "%.3f s after the start", t)
            case .partialFileHolds(let n): return "when the partial file holds \(n) bytes"
            case .dayFileAppears: return "when the day file appears"
            }
        }
    }

    /// Where a kill landed, as the folder shows it afterwards.
    enum Landing {
        /// Neither the day's file nor its partial file.
        case beforeWriting
        /// The partial file only.
        case midWrite
        /// The day's file.
        case afterRename
    }

    func testAKilledCommitLeavesTheWholeDayOrNoneOfIt() throws {
        let ref = try reference()
        let size = ref.dayFile.count
        let delays = (1...7).map { KillPoint.after(ref.duration * Double($0) / 8) }
        let sizes = [0, 1, (1 << 16) + 1, size / 4, size / 2, size * 3 / 4, size].map(KillPoint.partialFileHolds)
        let points = delays + sizes + [.dayFileAppears]
        // Two lanes, one per core: each kill and its retry use their own journal.
        var outcomes = [Swift.Result<(Landing, [String]), Error>?](repeating: nil, count: points.count)
        let scratch = self.scratch!
        outcomes.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: 2) { lane in
                for k in stride(from: lane, to: points.count, by: 2) {
                    slots[k] = Swift.Result { try killAndRetry(ref, at: points[k], journal: scratch.appendingPathComponent("journal-\(k)")) }
                }
            }
        }
        var landings: [Landing: Int] = [:]
        for (point, outcome) in zip(points, outcomes) {
            let (landing, problems) = try XCTUnwrap(outcome).get()
            landings[landing, default: 0] += 1
            for problem in problems { XCTFail("killed \(point): \(problem)") }
        }
        // Both sides of the write were really reached.
        XCTAssertGreaterThan(landings[.beforeWriting, default: 0], 0, "no kill landed before the day's file was started")
        XCTAssertGreaterThan(landings[.midWrite, default: 0], 0, "no kill landed while the day's file was being written")
    }

    /// Starts a commit of the reference day, kills it at `point`, checks what
    /// it left, then commits again undisturbed and checks that. Returns where
    /// the kill landed and every way the journal was wrong.
    private func killAndRetry(_ ref: Reference, at point: KillPoint, journal: URL) throws -> (Landing, [String]) {
        var problems: [String] = []
        func check(_ ok: Bool, _ problem: @autoclosure () -> String) {
            if !ok { problems.append(problem()) }
        }
        let running = try PerkProcess.start(perkRun(ref, journal: journal, day: Self.day))
        try kill(running, at: point, journal: journal)
        let killed = try running.wait()

        let left = try entries(journal)
        check(left.isSubset(of: [".lock", partialName(Self.day), "\(Self.day).csv"]), "the folder holds \(left.sorted())")
        let landing: Landing
        if left.contains("\(Self.day).csv") {
            landing = .afterRename
            check((try? dayFile(journal, Self.day)) == ref.dayFile, "the day file differs from an undisturbed commit's")
        } else if left.contains(partialName(Self.day)) {
            landing = .midWrite
            check(killed.wasKilled, "the commit ended with status \(killed.status) and left its partial file: \(killed.stderr)")
            // A partial file is not a committed day.
            let shown = try PerkProcess.run(["journal", journal.path])
            check(shown.status == 0 && shown.stdout.contains("No days committed yet"), "perk journal shows\n\(shown.stdout)\(shown.stderr)")
        } else {
            landing = .beforeWriting
        }

        let retry = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.day))
        let expected = landing == .afterRename ? "\(Self.day) is already committed to" : "Committed \(Self.day)"
        check(retry.status == 0 && retry.stderr.contains(expected), "the retry said, with status \(retry.status):\n\(retry.stderr)")
        // The killed commit's lock died with it.
        check(!retry.stderr.contains("waiting for"), "the retry waited for the killed commit:\n\(retry.stderr)")
        check((try? dayFile(journal, Self.day)) == ref.dayFile, "the retried commit's day file differs from an undisturbed commit's")
        let after = try entries(journal)
        check(after == [".lock", "\(Self.day).csv"], "after the retry the folder holds \(after.sorted())")
        check(retry.stdout == ref.plan, "the retry printed a different plan")
        try FileManager.default.removeItem(at: journal)
        return (landing, problems)
    }

    /// A commit killed holding the lock leaves the lock file behind, with its
    /// process id in it; the system has dropped the lock, so nobody waits.
    func testALockLeftByAKilledCommitDoesNotBlock() throws {
        let ref = try reference()
        let journal = scratch.appendingPathComponent("journal")
        let running = try PerkProcess.start(perkRun(ref, journal: journal, day: Self.day))
        try kill(running, at: .partialFileHolds(0), journal: journal)
        let killed = try running.wait()
        XCTAssertTrue(killed.wasKilled, "the commit ended before it could be killed: \(killed.stderr)")
        let holder = try String(contentsOf: journal.appendingPathComponent(".lock"), encoding: .utf8)
        XCTAssertEqual(holder, "\(running.pid)\n", "the lock file should name the killed commit")

        let next = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.day))
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertFalse(next.stderr.contains("waiting"), next.stderr)
        XCTAssertTrue(next.stderr.contains("Committed \(Self.day)"), next.stderr)
        XCTAssertEqual(try dayFile(journal, Self.day), ref.dayFile)
    }

    // MARK: Commits at once

    /// Another process holds the lock: the commit says whom it waits for,
    /// writes nothing meanwhile, and commits once the lock is free.
    func testACommitWaitsForTheLockHolder() throws {
        let ref = try reference()
        let journal = scratch.appendingPathComponent("journal")
        try FileManager.default.createDirectory(at: journal, withIntermediateDirectories: true)
        let fd = open(journal.appendingPathComponent(".lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot open the lock file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        XCTAssertEqual(flock(fd, LOCK_EX), 0)
        let pid = Array("\(getpid())\n".utf8)
        XCTAssertEqual(pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }, pid.count)

        let running = try PerkProcess.start(perkRun(ref, journal: journal, day: Self.day))
        let deadline = Date().addingTimeInterval(30)
        while running.isRunning, !running.stderrSoFar.contains("waiting for"), Date() < deadline { usleep(5_000) }
        XCTAssertTrue(running.stderrSoFar.contains("perk: waiting for process \(getpid()) to finish with "), running.stderrSoFar)
        XCTAssertEqual(try entries(journal), [".lock"], "the commit wrote while another held the lock")
        XCTAssertEqual(flock(fd, LOCK_UN), 0)

        let r = try running.wait()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try dayFile(journal, Self.day), ref.dayFile)
        XCTAssertEqual(r.stdout, ref.plan)
    }

    func testTwoCommitsOfOneDayAtOnceCommitItOnce() throws {
        let ref = try reference()
        let journal = scratch.appendingPathComponent("journal")
        let a = try PerkProcess.start(perkRun(ref, journal: journal, day: Self.day))
        let b = try PerkProcess.start(perkRun(ref, journal: journal, day: Self.day))
        let results = [try a.wait(), try b.wait()]
        for r in results { XCTAssertEqual(r.status, 0, r.stderr) }
        XCTAssertEqual(try entries(journal), [".lock", "\(Self.day).csv"])
        XCTAssertEqual(try dayFile(journal, Self.day), ref.dayFile)
        // One committed; the other waited for it, or came after it, and printed the plan as committed.
        let committed = results.filter { $0.stderr.contains("Committed \(Self.day)") }
        let reprinted = results.filter { $0.stderr.contains("\(Self.day) is already committed to") }
        XCTAssertEqual(committed.count, 1, results.map(\.stderr).joined(separator: "\n---\n"))
        XCTAssertEqual(reprinted.count, 1, results.map(\.stderr).joined(separator: "\n---\n"))
        XCTAssertEqual(results[0].stdout, results[1].stdout)
        XCTAssertEqual(results[0].stdout, ref.plan)
    }

    func testTwoCommitsOfConsecutiveDaysAtOnceNeverMix() throws {
        let ref = try reference()
        let journal = scratch.appendingPathComponent("journal")
        let first = try PerkProcess.start(perkRun(ref, journal: journal, day: Self.day))
        let second = try PerkProcess.start(perkRun(ref, journal: journal, day: Self.nextDay))
        let (a, b) = (try first.wait(), try second.wait())
        XCTAssertEqual(b.status, 0, b.stderr)
        let days = try dayFiles(journal)
        if a.status == 0 {
            // The next day's plan counted the first day's decisions.
            XCTAssertEqual(days, ["\(Self.day).csv", "\(Self.nextDay).csv"])
            XCTAssertEqual(try dayFile(journal, Self.day), ref.dayFile)
            XCTAssertEqual(try dayFile(journal, Self.nextDay), ref.nextDayFile)
        } else {
            // The later day got the lock first, so the earlier one came too late.
            XCTAssertEqual(a.status, 1)
            XCTAssertTrue(a.stderr.contains("already holds \(Self.nextDay), after \(Self.day)"), a.stderr)
            XCTAssertEqual(days, ["\(Self.nextDay).csv"])
        }
        XCTAssertTrue(try entries(journal).isSubset(of: [".lock", "\(Self.day).csv", "\(Self.nextDay).csv"]))
        let shown = try PerkProcess.run(["journal", journal.path])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("\(days.count) day\(days.count == 1 ? "" : "s") committed"), shown.stdout)
    }

    // MARK: Write failure

    /// `ulimit -f` makes the write fail part way, as a full disk does.
    func testAFailedWriteCommitsNothingAndLeavesNoPartialFile() throws {
        let ref = try reference()
        let journal = scratch.appendingPathComponent("journal")
        let full = try PerkProcess.start(perkRun(ref, journal: journal, day: Self.day), fileSizeLimit: 64).wait()
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertFalse(full.wasKilled, "perk should ignore SIGXFSZ and report the failed write")
        XCTAssertTrue(full.stderr.contains("perk: cannot write \(journal.path)/\(partialName(Self.day)): File too large; nothing was committed."),
                      full.stderr)
        XCTAssertEqual(full.stdout, "")
        XCTAssertEqual(try entries(journal), [".lock"])

        let retry = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.day))
        XCTAssertEqual(retry.status, 0, retry.stderr)
        XCTAssertEqual(try dayFile(journal, Self.day), ref.dayFile)
        XCTAssertEqual(retry.stdout, ref.plan)
    }

    // MARK: Undo

    func testUndoLastRemovesOnlyTheLatestDayAndItCommitsAgainAlike() throws {
        let ref = try reference()
        let journal = scratch.appendingPathComponent("journal")
        try seed(journal, with: ref)
        let next = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.nextDay))
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(try dayFile(journal, Self.nextDay), ref.nextDayFile)

        let undo = try PerkProcess.run(["journal", journal.path, "--undo-last"])
        XCTAssertEqual(undo.status, 0, undo.stderr)
        XCTAssertTrue(undo.stdout.hasPrefix("Removed \(Self.nextDay) from \(journal.path): "), undo.stdout)
        XCTAssertTrue(undo.stdout.contains("the latest day is now \(Self.day)"), undo.stdout)
        XCTAssertEqual(try dayFiles(journal), ["\(Self.day).csv"])
        XCTAssertEqual(try dayFile(journal, Self.day), ref.dayFile)

        let again = try PerkProcess.run(perkRun(ref, journal: journal, day: Self.nextDay))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try dayFile(journal, Self.nextDay), ref.nextDayFile, "the day committed again differs, coupon codes included")
        XCTAssertEqual(again.stdout, next.stdout)

        for day in [Self.nextDay, Self.day] {
            let r = try PerkProcess.run(["journal", journal.path, "--undo-last"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.hasPrefix("Removed \(day) "), r.stdout)
        }
        XCTAssertEqual(try dayFiles(journal), [])
        let empty = try PerkProcess.run(["journal", journal.path, "--undo-last"])
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("holds no committed days; there is nothing to undo"), empty.stderr)
    }

    // MARK: Helpers

    private func reference() throws -> Reference {
        try XCTUnwrap(Self.reference, "the class set-up did not run").get()
    }

    private static func commitArguments(shop: URL, journal: URL, day: String, commit: Bool = true) -> [String] {
        ["run", shop.appendingPathComponent("rules.perk").path,
         "--customers", shop.appendingPathComponent("customers.csv").path,
         "--orders", shop.appendingPathComponent("orders.csv").path,
         "--as-of", day, "--format", "csv", "--journal", journal.path] + (commit ? ["--commit"] : [])
    }

    /// `perk run` of the reference rules and shop for `day`, committing unless told.
    private func perkRun(_ ref: Reference, journal: URL, day: String, commit: Bool = true) -> [String] {
        Self.commitArguments(shop: ref.shop, journal: journal, day: day, commit: commit)
    }

    /// A journal holding the reference day, and the lock file, as its commit left them.
    private func seed(_ journal: URL, with ref: Reference) throws {
        try FileManager.default.createDirectory(at: journal, withIntermediateDirectories: true)
        try ref.dayFile.write(to: journal.appendingPathComponent("\(Self.day).csv"))
        try Data("1\n".utf8).write(to: journal.appendingPathComponent(".lock"))
    }

    private func partialName(_ day: String) -> String { ".\(day).csv.partial" }

    private func dayFile(_ journal: URL, _ day: String) throws -> Data {
        try Data(contentsOf: journal.appendingPathComponent("\(day).csv"))
    }

    /// The names in the journal folder; none when it does not exist.
    private func entries(_ journal: URL) throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: journal.path) else { return [] }
        return Set(try FileManager.default.contentsOfDirectory(atPath: journal.path))
    }

    private func dayFiles(_ journal: URL) throws -> [String] {
        try entries(journal).filter { !$0.hasPrefix(".") }.sorted()
    }

    struct FileState: Equatable {
        var modified: Date?
        var bytes: Data
    }

    /// Every file of the folder with its bytes and modification time, and the folder's own time (as ".").
    private func snapshot(_ journal: URL, ignoringLock: Bool = false) throws -> [String: FileState] {
        var out = [".": FileState(modified: try modified(journal.path), bytes: Data())]
        for name in try entries(journal) where !(ignoringLock && name == ".lock") {
            let url = journal.appendingPathComponent(name)
            out[name] = FileState(modified: try modified(url.path), bytes: try Data(contentsOf: url))
        }
        return out
    }

    private func modified(_ path: String) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }

    /// Kills `running` with SIGKILL at `point`, or lets it be when it ends first.
    private func kill(_ running: PerkProcess.Running, at point: KillPoint, journal: URL) throws {
        let start = Date()
        let partial = journal.appendingPathComponent(partialName(Self.day)).path
        let final = journal.appendingPathComponent("\(Self.day).csv").path
        var info = stat()
        while running.isRunning {
            let now = Date().timeIntervalSince(start)
            guard now < 60 else {
                running.kill()
                throw Failure(description: "the commit is still running after a minute")
            }
            switch point {
            case .after(let delay):
                if now >= delay { return running.kill() }
                usleep(UInt32(min(1_000, max(0, (delay - now) * 1e6))))
                continue
            case .partialFileHolds(let bytes):
                if stat(partial, &info) == 0, info.st_size >= bytes { return running.kill() }
            case .dayFileAppears:
                if stat(final, &info) == 0 { return running.kill() }
            }
            // Polling the folder: the day's file is written in a few milliseconds.
            usleep(20)
        }
    }
}
