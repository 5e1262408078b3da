import Foundation
import XCTest
@testable import Perk

/// Coupon codes: what they look like, that they read back, that different
/// decisions get different codes, and that a decision's code never changes:
/// codes already in customers' hands must keep their meaning, so a change to
/// the derivation has to fail here.
final class CouponCodeTests: XCTestCase {
    static let alphabet = Set("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")

    // MARK: Stable

    /// Codes issued by earlier versions, pinned: rule, customer, day, ordinal, attempt.
    func testCodesOfGivenDecisionsNeverChange() throws {
        let pinned: [(rule: String, customer: String, day: String, ordinal: Int, attempt: Int, code: String)] = [
            ("Win-back", "C001", "2025-06-29", 0, 0, "5QE6S-MAH6A"),
            ("Win-back", "C003", "2025-06-29", 0, 0, "9TXK7-5X2TE"),
            ("Complaint", "C004", "2025-06-29", 0, 0, "SP9L9-M5GED"),
            ("Complaint", "C004", "2025-06-29", 1, 0, "B2LHQ-SYDQQ"),
            ("Sugar", "C001", "2025-06-30", 0, 0, "ANC7V-4H6D7"),
            ("Sugar", "C004", "2025-06-30", 0, 0, "MVD4H-TFE2T"),
            ("winback.perk:3", "C01548", "2025-12-30", 0, 0, "GQNYY-T6GUF"),
            ("Complaint recovery", "C00016", "2025-12-30", 0, 0, "D9HJT-YL48H"),
        ]
        for p in pinned {
            let day = try XCTUnwrap(LocalDate(parsing: p.day))
            let code = CouponCode(rule: p.rule, customerID: p.customer, day: day, ordinal: p.ordinal, attempt: p.attempt)
            XCTAssertEqual(code.description, p.code, "\(p)")
        }
        // The next attempts too, which the issuer hands out when a code is taken.
        let day = try XCTUnwrap(LocalDate(parsing: "2025-06-29"))
        XCTAssertEqual((0...3).map { CouponCode(rule: "Win-back", customerID: "C001", day: day, ordinal: 0, attempt: $0).description },
                       ["5QE6S-MAH6A", "SDHVD-MJSSQ", "6KNZK-6UGX9", "6QZD2-3RDWK"])
        XCTAssertEqual(CouponCode(rule: "生日快乐", customerID: "会员-007", day: day, ordinal: 2).description, "SQV27-D6YPQ")
    }

    // MARK: Format and parsing

    func testCodesAreTenCharactersOfTheAlphabetWithADashAfterFive() throws {
        for code in Self.sample.prefix(20_000) {
            let text = Array(code.description)
            XCTAssertEqual(text.count, 11, String(text))
            XCTAssertEqual(text[5], "-", String(text))
            for (i, ch) in text.enumerated() where i != 5 {
                XCTAssertTrue(Self.alphabet.contains(ch), String(text))
            }
        }
        // Every character of the alphabet is used, in every position.
        for position in [0, 4, 6, 10] {
            XCTAssertEqual(Set(Self.sample.prefix(5_000).map { Array($0.description)[position] }), Self.alphabet, "position \(position)")
        }
    }

    func testCodesReadBackAsThemselves() throws {
        for code in Self.sample.prefix(20_000) {
            XCTAssertEqual(CouponCode(parsing: code.description), code)
            XCTAssertEqual(Array(code.description.utf8).withUnsafeBufferPointer { CouponCode(parsing: $0) }, code)
        }
        for text in ["22222-22222", "ZZZZZ-ZZZZZ", "7KQ3M-X9PTH", "ABCDE-FGHJK"] {
            XCTAssertEqual(CouponCode(parsing: text)?.description, text)
        }
        XCTAssertEqual(CouponCode(parsing: "22222-22222")?.value, 0)
        XCTAssertEqual(CouponCode(parsing: "ZZZZZ-ZZZZZ")?.value, (1 << 50) - 1)
    }

    func testParsingRefusesAnythingButACode() {
        let refused: [(String, String)] = [
            ("7kq3m-x9pth", "lower case"),
            ("7KQ3M-x9PTH", "one group in lower case"),
            ("7KQ3M-X9PT0", "zero"),
            ("7KQ3M-X9PTO", "letter O"),
            ("7KQ3M-X9PT1", "one"),
            ("7KQ3M-X9PTI", "letter I"),
            ("7KQ3M-X9PT", "too short"),
            ("7KQ3M-X9PTHH", "too long"),
            ("7KQ3MX9PTHH", "no dash, right length"),
            ("7KQ3MX9PTH", "no dash"),
            ("7KQ3-MX9PTH", "dash in the wrong place"),
            ("7KQ3M_X9PTH", "another separator"),
            (" 7KQ3M-X9PT", "a space"),
            ("7KQ3M-X9PT\n", "a line break"),
            ("", "empty"),
            ("7KQ3M-X9PTÉ", "not ASCII"),
        ]
        for (text, why) in refused {
            XCTAssertNil(CouponCode(parsing: text), why)
        }
    }

    // MARK: Different decisions, different codes

    /// 200,000 decisions: 10 rules, 500 customers, 20 days, two coupons each.
    static let sample: [CouponCode] = {
        let rules = ["Win-back", "Birthday drink", "Complaint recovery", "winback.perk:3", "生日快乐", "Recall drifted regulars",
                     "Recall drifted gold members", "Second-visit coupon", "Less-sugar fans", "Spring, again"]
        let start = LocalDate(year: 2025, month: 12, day: 20)!
        var codes: [CouponCode] = []
        codes.reserveCapacity(200_000)
        for d in 0..<20 {
            let day = start.advanced(by: d)
            for c in 1...500 {
                let id = "C" + String(repeating: "0", count: 5 - String(c).count) + String(c)
                for rule in rules {
                    for ordinal in 0..<2 { codes.append(CouponCode(rule: rule, customerID: id, day: day, ordinal: ordinal)) }
                }
            }
        }
        return codes
    }()

    func testDifferentDecisionsGetDifferentCodes() {
        XCTAssertEqual(Self.sample.count, 200_000)
        XCTAssertEqual(Set(Self.sample.map(\.value)).count, Self.sample.count, "two decisions share a code")
        // Parts that run together differ too: the parts are kept apart.
        let day = LocalDate(year: 2025, month: 6, day: 1)!
        XCTAssertNotEqual(CouponCode(rule: "ab", customerID: "c", day: day, ordinal: 0),
                          CouponCode(rule: "a", customerID: "bc", day: day, ordinal: 0))
        XCTAssertNotEqual(CouponCode(rule: "r", customerID: "C1", day: day, ordinal: 1),
                          CouponCode(rule: "r", customerID: "C11", day: day, ordinal: 0))
    }

    // MARK: The issuer

    func testTheIssuerMovesOnWhenACodeIsTakenAndIsDeterministic() throws {
        let day = LocalDate(year: 2025, month: 6, day: 29)!
        func code(_ attempt: Int, customer: String = "C001") -> CouponCode {
            CouponCode(rule: "Win-back", customerID: customer, day: day, ordinal: 0, attempt: attempt)
        }
        var fresh = CouponCodeIssuer(taken: [])
        XCTAssertEqual(fresh.issue(rule: "Win-back", customerID: "C001", day: day, ordinal: 0), code(0))
        // The same decision again (as a plan never asks): its code is taken now, so the next attempt.
        XCTAssertEqual(fresh.issue(rule: "Win-back", customerID: "C001", day: day, ordinal: 0), code(1))

        var taken: CouponCodes = [code(0), code(1), code(0, customer: "C002")]
        XCTAssertEqual(taken.count, 3)
        var issuer = CouponCodeIssuer(taken: taken)
        XCTAssertEqual(issuer.issue(rule: "Win-back", customerID: "C001", day: day, ordinal: 0), code(2))
        XCTAssertEqual(issuer.issue(rule: "Win-back", customerID: "C002", day: day, ordinal: 0), code(1, customer: "C002"))
        XCTAssertEqual(issuer.issue(rule: "Win-back", customerID: "C003", day: day, ordinal: 0), code(0, customer: "C003"))
        // The caller's set is a value: the issuer's codes are not added to it.
        XCTAssertFalse(taken.contains(code(2)))
        XCTAssertTrue(taken.insert(code(2)))
        XCTAssertFalse(taken.insert(code(2)))

        // The same taken set and requests give the same codes, every time.
        let requests = (0..<300).map { ("Rule \($0 % 7)", "C\($0 % 40)", day.advanced(by: $0 % 3), $0 % 2) }
        func issueAll() -> [CouponCode] {
            var issuer = CouponCodeIssuer(taken: CouponCodes(minimumCapacity: 10))
            return requests.map { issuer.issue(rule: $0.0, customerID: $0.1, day: $0.2, ordinal: $0.3) }
        }
        let first = issueAll()
        XCTAssertEqual(first, issueAll())
        XCTAssertEqual(Set(first).count, first.count)
    }

    // MARK: A journal

    /// Three days of the example rules committed through the library: every
    /// code in every file differs, and a day taken back and committed again
    /// is the same file, codes included.
    func testCodesAreUniqueAcrossAJournalAndACommitAgainGivesTheSameCodes() throws {
        let data = Repository.sampleShop
        let (sources, problems) = RuleSources.load([Repository.path("rules")])
        XCTAssertTrue(problems.isEmpty, "\(problems)")
        let program = try XCTUnwrap(Compiler.compile(sources, schema: Repository.sampleSchema).program)
        let scratch = try PerkProcess.folder([:])
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = JournalFolder(path: scratch.appendingPathComponent("journal").path)
        let interpreter = Interpreter(customers: data.customers, orders: data.orders)
        let days = ["2025-12-30", "2025-12-31", "2026-01-01"].compactMap { LocalDate(parsing: $0) }
        func commit(_ day: LocalDate) throws {
            let (history, problems) = JournalHistory.read(folder, customers: data.customers)
            let journal = try XCTUnwrap(history, "\(problems)")
            try folder.commit(ActionPlan.make(program: program, interpreter: interpreter, day: day, journal: journal, workers: 2),
                              program: program, customers: data.customers)
        }
        for day in days { try commit(day) }

        var codes: [String: String] = [:]
        for day in days {
            let file = try String(contentsOfFile: folder.file(of: day), encoding: .utf8)
            for (n, line) in file.split(separator: "\n").enumerated().dropFirst() {
                let code = String(line.split(separator: ",", omittingEmptySubsequences: false).last ?? "")
                guard !code.isEmpty else { continue }
                XCTAssertNotNil(CouponCode(parsing: code), code)
                if let first = codes.updateValue("\(day):\(n + 1)", forKey: code) { XCTFail("\(code) at \(day):\(n + 1) and \(first)") }
            }
        }
        XCTAssertGreaterThan(codes.count, 150)
        let (read, _) = JournalHistory.read(folder, customers: data.customers)
        XCTAssertEqual(read?.codes.count, codes.count)

        let last = try XCTUnwrap(days.last)
        let committed = try Data(contentsOf: URL(fileURLWithPath: folder.file(of: last)))
        let undone = try PerkProcess.run(["journal", folder.path, "--undo-last"])
        XCTAssertEqual(undone.status, 0, undone.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.file(of: last)))
        try commit(last)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder.file(of: last))), committed)
    }
}
