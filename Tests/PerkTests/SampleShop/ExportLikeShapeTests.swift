import XCTest
@testable import Perk

/// `perk sample-data --export-like`: the same shop, written as a real export
/// writes it, byte for byte the same for a seed.
final class ExportLikeShapeTests: XCTestCase {
    private static let config = SampleShopConfig(customers: 400, orders: 5000, seed: 7, exportLike: true)
    private static let shop = SampleShop.generate(config)
    private static let standard = SampleShop.generate(SampleShopConfig(customers: 400, orders: 5000, seed: 7))

    private func rows(_ csv: String) -> [Substring] {
        csv.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 }
    }

    func testSameSeedGivesIdenticalFilesAndAnotherSeedOthers() {
        let again = SampleShop.generate(Self.config)
        XCTAssertEqual(again.customersCSV, Self.shop.customersCSV)
        XCTAssertEqual(again.ordersCSV, Self.shop.ordersCSV)
        var other = Self.config
        other.seed = 8
        let otherShop = SampleShop.generate(other)
        XCTAssertNotEqual(otherShop.customersCSV, Self.shop.customersCSV)
        XCTAssertNotEqual(otherShop.ordersCSV, Self.shop.ordersCSV)
    }

    func testTheFilesHaveTheShapeOfARealExport() throws {
        let customers = rows(Self.shop.customersCSV), orders = rows(Self.shop.ordersCSV)
        // The same rows as the standard files, under more columns in another order.
        XCTAssertEqual(customers.count, rows(Self.standard.customersCSV).count)
        XCTAssertEqual(orders.count, rows(Self.standard.ordersCSV).count)
        let customerHeader = customers[0].split(separator: ",").map(String.init)
        let orderHeader = orders[0].split(separator: ",").map(String.init)
        XCTAssertEqual(Set(customerHeader), Set(SampleShop.customerHeader.split(separator: ",").map(String.init)
                                                  + ["loyalty_card", "store_id", "note"]))
        XCTAssertEqual(Set(orderHeader), Set(SampleShop.orderHeader.split(separator: ",").map(String.init)
                                               + ["terminal", "cashier", "external_no", "memo"]))
        XCTAssertNotEqual(customerHeader.first, "customer_id", "shuffled")
        XCTAssertNotEqual(orderHeader.first, "order_id", "shuffled")
        XCTAssertTrue(Self.shop.ordersCSV.contains("\"\"extra\"\""), "a quote written twice in a note")
        XCTAssertTrue(Self.shop.ordersCSV.contains("Matcha Latté"), "accented item names")

        // Read back with the loader itself: ids unpadded, orders in time order.
        let (customerTable, _) = DataLoader.loadCustomers(bytes: Array(Self.shop.customersCSV.utf8), path: "customers.csv")
        let table = try XCTUnwrap(customerTable)
        XCTAssertEqual(table.count, 400)
        XCTAssertTrue(table.ids.contains("C1") && table.ids.contains("C400"))
        XCTAssertFalse(table.ids.contains { $0.hasPrefix("C0") }, "no zero padding")
        let dateColumn = try XCTUnwrap(orderHeader.firstIndex(of: "ordered_at"))
        var reader = CSVReader(bytes: Array(Self.shop.ordersCSV.utf8))
        var record = CSVRecord()
        var previous = ""
        while reader.readRecord(into: &record) {
            XCTAssertEqual(record.fields.count, orderHeader.count, "line \(record.line)")
            let date = reader.text(of: record.fields[dateColumn])
            XCTAssertLessThanOrEqual(previous, date, "orders in time order, line \(record.line)")
            previous = date
        }
    }

    func testBothFilesLoadOnTheFastPathAsTheStandardOnesDo() throws {
        let (customers, customerReport) = DataLoader.loadCustomers(bytes: Array(Self.shop.customersCSV.utf8), path: "customers.csv")
        XCTAssertEqual(customerReport.loads.map(\.loader), [.parallel])
        for fields in [OrderFieldSelection.all, .only([])] {
            let (orders, report) = DataLoader.loadOrders(bytes: Array(Self.shop.ordersCSV.utf8), path: "orders.csv",
                                                         customers: try XCTUnwrap(customers), options: LoadOptions(orderFields: fields))
            XCTAssertEqual(report.loads.map(\.loader), [.parallel], "\(fields)")
            XCTAssertEqual(orders?.count, 5000 - Self.config.guestOrders)
        }
    }
}
