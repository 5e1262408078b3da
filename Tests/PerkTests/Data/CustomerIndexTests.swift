import XCTest
@testable import Perk

final class CustomerIndexTests: XCTestCase {
    private func row(_ index: CustomerIndex, _ id: String) -> Int32? {
        var id = id
        return id.withUTF8 { index.row(of: $0) }
    }

    func testNumberedIdsAreFoundByTheirDigits() {
        let ids = ["C000003", "C000001", "C000010", "C000002"]
        let index = CustomerIndex(ids: ids)
        XCTAssertTrue(index.isNumbered)
        for (r, id) in ids.enumerated() { XCTAssertEqual(row(index, id), Int32(r), id) }
        // Not customers: another width, prefix or number, or not digits.
        for id in ["C00001", "C0000001", "D000001", "c000001", "C000004", "C00000x", "C999999", "", "C", "000001"] {
            XCTAssertNil(row(index, id), id)
        }
    }

    func testIdsWithoutLeadingZerosAreFoundByTheirDigits() {
        // As CRM exports write them: C1 ... C100000, sorted by bytes.
        let ids = ["C1", "C10", "C100", "C11", "C2", "C0"]
        let index = CustomerIndex(ids: ids)
        XCTAssertTrue(index.isNumbered)
        for (r, id) in ids.enumerated() { XCTAssertEqual(row(index, id), Int32(r), id) }
        // Not customers: a leading zero, another prefix or number, or not digits.
        for id in ["C01", "C010", "C00", "D1", "c1", "C3", "C1x", "C", "", "1", "C1000000000", "C99999999999"] {
            XCTAssertNil(row(index, id), id)
        }
    }

    func testOtherIdsAreFoundByTheirBytes() {
        let cases: [[String]] = [
            ["C1", "C22", "C0333"],            // widths differ, and a leading zero
            ["C1", "C01"],                     // one number written two ways
            ["A001", "B002"],                  // prefixes differ
            ["C0000001", "C9999999"],          // too sparse for an array
            ["ann@example.com", "王小明"],      // no digits at all
        ]
        for ids in cases {
            let index = CustomerIndex(ids: ids)
            XCTAssertFalse(index.isNumbered, "\(ids)")
            for (r, id) in ids.enumerated() { XCTAssertEqual(row(index, id), Int32(r), id) }
            XCTAssertNil(row(index, "C2"))
            XCTAssertNil(row(index, ""))
        }
    }
}
