import Foundation
import XCTest
@testable import Perk

final class SampleShopTests: XCTestCase {
    // MARK: Fixtures

    /// Small enough to be quick in a debug build, big enough for the shapes to show.
    private static let config = SampleShopConfig(customers: 500, orders: 8000, seed: 7)
    private static let shop = SampleShop.generate(config)
    private static let customers = CSVTable(shop.customersCSV)
    private static let orders = CSVTable(shop.ordersCSV)

    private var customers: CSVTable { Self.customers }
    private var orders: CSVTable { Self.orders }

    // MARK: Determinism

    func testSameSeedGivesIdenticalOutput() {
        let again = SampleShop.generate(Self.config)
        XCTAssertEqual(again.customersCSV, Self.shop.customersCSV)
        XCTAssertEqual(again.ordersCSV, Self.shop.ordersCSV)
    }

    func testDifferentSeedGivesDifferentOutput() {
        var other = Self.config
        other.seed = 8
        let shop = SampleShop.generate(other)
        XCTAssertNotEqual(shop.customersCSV, Self.shop.customersCSV)
        XCTAssertNotEqual(shop.ordersCSV, Self.shop.ordersCSV)
    }

    /// The generator's only source of randomness is SplitMix64; this is its
    /// published first output for seed 0, so a change of algorithm shows up here.
    func testRandomNumbersAreSplitMix64() {
        var rng = SampleRandom(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        var bounded = SampleRandom(seed: 99)
        for _ in 0 ..< 10_000 {
            XCTAssertTrue((0 ..< 7).contains(bounded.below(7)))
        }
        XCTAssertEqual(bounded.below(1), 0)
    }

    /// A fingerprint of a small shop. It must be the same on Linux and macOS; if a
    /// deliberate change to the generator moves it, update the constant.
    func testOutputFingerprintIsStable() {
        let shop = SampleShop.generate(SampleShopConfig(customers: 40, orders: 300, seed: 1))
        XCTAssertEqual(fnv1a(shop.customersCSV + shop.ordersCSV), Self.fingerprint,
                       "the sample data changed; if that was intended, update the fingerprint")
    }

    private static let fingerprint: UInt64 = 6_886_442_991_036_827_019

    func testStreamingWritesWholeRowsAndMatchesStrings() {
        var customerChunks = ChunkRecorder()
        var orderChunks = ChunkRecorder()
        SampleShop.generate(Self.config, customers: &customerChunks, orders: &orderChunks)
        XCTAssertEqual(customerChunks.chunks.joined(), Self.shop.customersCSV)
        XCTAssertEqual(orderChunks.chunks.joined(), Self.shop.ordersCSV)
        XCTAssertGreaterThan(orderChunks.chunks.count, 1, "8000 orders should take several chunks")
        for chunk in customerChunks.chunks + orderChunks.chunks {
            XCTAssertTrue(chunk.hasSuffix("\n"), "a chunk should end at a row boundary")
        }
    }

    // MARK: Shape of the files

    func testHeaderRowsAreExact() {
        XCTAssertEqual(customers.header, [
            "customer_id", "name", "tier", "birthday", "joined", "points", "sms_opt_in", "wechat_opt_in",
            "email_opt_in", "sugar_pref", "city", "open_complaints",
        ])
        XCTAssertEqual(orders.header, [
            "order_id", "customer_id", "ordered_at", "amount", "items", "store", "channel", "discount", "coupon_code",
        ])
        XCTAssertTrue(Self.shop.customersCSV.hasPrefix(
            "customer_id,name,tier,birthday,joined,points,sms_opt_in,wechat_opt_in,email_opt_in,sugar_pref,city,open_complaints\n"))
        XCTAssertTrue(Self.shop.ordersCSV.hasPrefix(
            "order_id,customer_id,ordered_at,amount,items,store,channel,discount,coupon_code\n"))
    }

    func testRowCountsAreAsConfigured() {
        XCTAssertEqual(customers.rows.count, 500)
        XCTAssertEqual(orders.rows.count, 8000)
        let guests = orders.rows.filter { $0[1].isEmpty }.count
        XCTAssertGreaterThanOrEqual(guests, 40, "about 1% guest orders")
        XCTAssertLessThanOrEqual(guests, 160, "about 1% guest orders")
    }

    func testEveryRowParsesWithTheRightFieldCount() {
        XCTAssertTrue(customers.isWellFormed)
        XCTAssertTrue(orders.isWellFormed)
        XCTAssertFalse(Self.shop.customersCSV.contains("\r"), "line endings are LF")
        XCTAssertFalse(Self.shop.ordersCSV.contains("\r"), "line endings are LF")
        XCTAssertTrue(Self.shop.ordersCSV.hasSuffix("\n"))
        for row in customers.rows { XCTAssertEqual(row.count, 12, "\(row)") }
        for row in orders.rows { XCTAssertEqual(row.count, 9, "\(row)") }
    }

    func testNamesWithCommasAreQuoted() {
        let withComma = customers.rows.map { $0[1] }.filter { $0.contains(",") }
        XCTAssertFalse(withComma.isEmpty, "some names need quoting")
        for name in withComma {
            XCTAssertTrue(Self.shop.customersCSV.contains(",\"\(name)\","), name)
        }
        let chinese = customers.rows.filter { $0[1].unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } }
        XCTAssertGreaterThan(chinese.count, 500 / 2, "mostly Chinese names")
    }

    // MARK: Money

    func testAmountsAreItemPricesMinusDiscount() throws {
        let prices = Dictionary(uniqueKeysWithValues: SampleShop.menu.map { ($0.name, $0.priceCents) })
        let coupons = Dictionary(uniqueKeysWithValues: SampleShop.couponCodes.map { ($0.code, $0.discountCents) })
        var discounted = 0
        for row in orders.rows {
            let amountText = row[3]
            XCTAssertTrue(isMoney(amountText), "amount \(amountText)")
            let items = row[4].split(separator: ";").map(String.init)
            let drinks = items.filter { name in SampleShop.menu.contains { $0.name == name && !$0.isTopping } }
            XCTAssertTrue((1 ... 3).contains(drinks.count), row[4])
            var total = Number.zero
            for item in items {
                let cents = try XCTUnwrap(prices[item], "unknown item \(item)")
                total = try XCTUnwrap(total.adding(try XCTUnwrap(Number(units: Int64(cents), scale: 2))))
            }
            if row[7].isEmpty {
                XCTAssertTrue(row[8].isEmpty, "a coupon code comes with a discount")
            } else {
                discounted += 1
                XCTAssertTrue(isMoney(row[7]), "discount \(row[7])")
                let discount = try XCTUnwrap(Number(parsing: row[7]))
                XCTAssertEqual(coupons[row[8]].flatMap { Number(units: Int64($0), scale: 2) }, discount, row[8])
                total = try XCTUnwrap(total.subtracting(discount))
            }
            let amount = try XCTUnwrap(Number(parsing: amountText))
            XCTAssertEqual(amount, total, "order \(row[0])")
            XCTAssertFalse(amount.isNegative)
            XCTAssertEqual(amount.formatted(places: 2), amountText)
        }
        XCTAssertGreaterThan(discounted, 0)
        XCTAssertLessThan(discounted, orders.rows.count / 5, "discounts are the exception")
    }

    func testPointsRoughlyFollowSpend() throws {
        var spend: [String: Number] = [:]
        for row in orders.rows where !row[1].isEmpty {
            let amount = try XCTUnwrap(Number(parsing: row[3]))
            spend[row[1]] = try XCTUnwrap((spend[row[1]] ?? .zero).adding(amount))
        }
        for row in customers.rows {
            let points = try XCTUnwrap(Int(row[5]), "points \(row[5])")
            let yuan = Int((spend[row[0]] ?? .zero).floor)
            // At most 30% redeemed, at most 400 points carried over from before.
            XCTAssertGreaterThanOrEqual(points, yuan * 7 / 10 - 1, row[0])
            XCTAssertLessThanOrEqual(points, yuan + 400, row[0])
        }
    }

    // MARK: Dates and ids

    func testDatesAreValidAndInRange() throws {
        let first = Self.config.firstDay, last = Self.config.lastDay
        var previous: (LocalDateTime, String)?
        var firstOrder: [String: LocalDate] = [:]
        for row in orders.rows {
            let at = try XCTUnwrap(LocalDateTime(parsing: row[2][...]), row[2])
            XCTAssertEqual(at.description, row[2])
            XCTAssertTrue(first ... last ~= at.date, row[2])
            XCTAssertTrue((10 * 3600 ..< 22 * 3600).contains(Int(at.seconds)), "opening hours: \(row[2])")
            if let previous {
                XCTAssertTrue(previous.0 < at || (previous.0 == at && previous.1 < row[0]), "sorted at \(row[0])")
            }
            previous = (at, row[0])
            if !row[1].isEmpty, firstOrder[row[1]] == nil { firstOrder[row[1]] = at.date }
        }
        var joinedDuringPeriod = 0
        for row in customers.rows {
            if !row[3].isEmpty {
                let birthday = try XCTUnwrap(LocalDate(parsing: row[3]), row[3])
                XCTAssertLessThan(birthday, first)
            }
            let joined = try XCTUnwrap(LocalDate(parsing: row[4]), row[4])
            XCTAssertLessThanOrEqual(joined, last)
            if joined >= first { joinedDuringPeriod += 1 }
            if let order = firstOrder[row[0]] {
                XCTAssertLessThanOrEqual(joined, order, "\(row[0]) ordered before joining")
            }
        }
        XCTAssertGreaterThan(joinedDuringPeriod, 500 / 10, "new members join during the year")
    }

    func testSomeBirthdaysAreMissingOrOnLeapDay() {
        // Profiles do not depend on orders, so a large population is cheap here.
        let shop = CSVTable(SampleShop.generate(SampleShopConfig(customers: 3000, orders: 0)).customersCSV)
        let birthdays = shop.rows.map { $0[3] }
        let missing = birthdays.filter(\.isEmpty).count
        XCTAssertTrue((300 ... 600).contains(missing), "about 15% missing, got \(missing)")
        XCTAssertGreaterThan(birthdays.filter { $0.hasSuffix("-02-29") }.count, 2)
        XCTAssertGreaterThan(birthdays.filter { $0.hasSuffix("-12-31") || $0.hasSuffix("-01-01") }.count, 0)
    }

    func testIDsAreUniqueAndSequential() {
        XCTAssertEqual(orders.rows.map { $0[0] }, (1 ... 8000).map { "O" + pad($0, 7) })
        XCTAssertEqual(customers.rows.map { $0[0] }, (1 ... 500).map { "C" + pad($0, 5) })
        let known = Set(customers.rows.map { $0[0] })
        for row in orders.rows where !row[1].isEmpty {
            XCTAssertTrue(known.contains(row[1]), row[1])
        }
    }

    func testIDsWidenWhenCountsNeedMoreDigits() {
        XCTAssertEqual(SampleShopPlan.idDigits(count: 3000, minimum: 5), 5)
        XCTAssertEqual(SampleShopPlan.idDigits(count: 99_999, minimum: 5), 5)
        XCTAssertEqual(SampleShopPlan.idDigits(count: 100_000, minimum: 5), 6)
        XCTAssertEqual(SampleShopPlan.idDigits(count: 12_000_000, minimum: 7), 8)
        let plan = SampleShopPlan(SampleShopConfig(customers: 12, orders: 30, seed: 3))
        XCTAssertEqual(plan.customerIDDigits, 5)
        XCTAssertEqual(plan.orderIDDigits, 7)
    }

    // MARK: Realism

    func testVisitsAreHeavyTailed() {
        var counts: [String: Int] = [:]
        for row in orders.rows where !row[1].isEmpty { counts[row[1], default: 0] += 1 }
        let perCustomer = customers.rows.map { counts[$0[0]] ?? 0 }.sorted(by: >)
        let memberOrders = perCustomer.reduce(0, +)
        let top = perCustomer.prefix(500 / 20).reduce(0, +)
        XCTAssertGreaterThan(Double(top) / Double(memberOrders), 0.3, "top 5% of customers make a large share")
        let buyers = perCustomer.filter { $0 > 0 }
        XCTAssertGreaterThan(buyers.filter { $0 <= 3 }.count * 2, buyers.count, "most buyers come at most 3 times")
        XCTAssertLessThan(buyers.count, 500, "some customers never order")
        XCTAssertGreaterThanOrEqual(perCustomer[0], 52, "weekly regulars exist")
    }

    func testTiersFollowVisitFrequency() {
        var counts: [String: Int] = [:]
        for row in orders.rows where !row[1].isEmpty { counts[row[1], default: 0] += 1 }
        func average(_ tier: String) -> Double {
            let rows = customers.rows.filter { $0[2] == tier }
            return Double(rows.reduce(0) { $0 + (counts[$1[0]] ?? 0) }) / Double(max(1, rows.count))
        }
        let tiers = customers.rows.map { $0[2] }
        XCTAssertTrue(tiers.allSatisfy { ["MEMBER", "SILVER", "GOLD", "VIP"].contains($0) })
        let vip = tiers.filter { $0 == "VIP" }.count
        XCTAssertTrue((5 ... 30).contains(vip), "VIP a few percent, got \(vip)")
        XCTAssertGreaterThan(tiers.filter { $0 == "MEMBER" }.count, 500 / 2)
        XCTAssertGreaterThan(average("VIP"), average("GOLD"))
        XCTAssertGreaterThan(average("GOLD"), average("SILVER"))
        XCTAssertGreaterThan(average("SILVER"), average("MEMBER"))
    }

    func testCustomerFieldsHaveTheirValues() {
        let flags = ["true", "false", ""]
        for row in customers.rows {
            XCTAssertFalse(row[1].isEmpty)
            for column in 6 ... 8 { XCTAssertTrue(flags.contains(row[column]), row[column]) }
            XCTAssertTrue(["less", "half", "normal", "extra", ""].contains(row[9]), row[9])
            XCTAssertTrue(SampleCatalog.cities.map(\.name).contains(row[10]) || row[10].isEmpty, row[10])
            XCTAssertTrue(["0", "1", "2"].contains(row[11]), row[11])
        }
        let wechat = customers.rows.filter { $0[7] == "true" }.count
        let sms = customers.rows.filter { $0[6] == "true" }.count
        XCTAssertGreaterThan(wechat, sms, "most opt into WeChat, fewer into SMS")
        XCTAssertGreaterThan(customers.rows.filter { $0[11] != "0" }.count, 0, "some open complaints")
        XCTAssertGreaterThan(customers.rows.filter { $0[11] == "0" }.count, 500 * 9 / 10)
    }

    func testOrdersHaveStoresChannelsAndFavourites() {
        let stores = Set(SampleCatalog.stores.map(\.code))
        var delivery = 0
        var itemsByCustomer: [String: [String: Int]] = [:]
        var storesByCustomer: [String: [String: Int]] = [:]
        for row in orders.rows {
            XCTAssertTrue(stores.contains(row[5]), row[5])
            XCTAssertTrue(["store", "delivery", "app"].contains(row[6]), row[6])
            if row[6] == "delivery" { delivery += 1 }
            guard !row[1].isEmpty else { continue }
            storesByCustomer[row[1], default: [:]][row[5], default: 0] += 1
            for item in row[4].split(separator: ";") { itemsByCustomer[row[1], default: [:]][String(item), default: 0] += 1 }
        }
        XCTAssertTrue((1500 ... 2500).contains(delivery), "delivery about 25%, got \(delivery)")
        // Regulars have a favourite drink and a home store.
        for (customer, items) in itemsByCustomer {
            let total = items.values.reduce(0, +)
            guard total >= 20 else { continue }
            XCTAssertGreaterThan(items.values.max() ?? 0, total / 4, "\(customer) has no favourite")
            let visits = Array((storesByCustomer[customer] ?? [:]).values)
            XCTAssertGreaterThan((visits.max() ?? 0) * 2, visits.reduce(0, +), "\(customer) has no home store")
        }
    }

    func testLessSugarCustomersLeanToPlainTea() {
        let sugar = Dictionary(uniqueKeysWithValues: customers.rows.map { ($0[0], $0[9]) })
        var jasmine = (less: 0, others: 0), drinks = (less: 0, others: 0)
        for row in orders.rows where !row[1].isEmpty {
            let items = row[4].split(separator: ";")
            let count = items.filter { $0 == "Jasmine Green Tea" }.count
            if sugar[row[1]] == "less" {
                jasmine.less += count
                drinks.less += items.count
            } else {
                jasmine.others += count
                drinks.others += items.count
            }
        }
        XCTAssertGreaterThan(Double(jasmine.less) / Double(drinks.less), 1.5 * Double(jasmine.others) / Double(drinks.others))
    }

    func testSummerIsBusierAndChineseNewYearIsQuiet() {
        func orders(on days: ClosedRange<String>) -> Int {
            self.orders.rows.filter { days.contains(String($0[2].prefix(10))) }.count
        }
        XCTAssertGreaterThan(orders(on: "2025-07-01" ... "2025-08-31"), orders(on: "2025-01-01" ... "2025-02-28") * 5 / 4)
        // Chinese New Year 2025 was on Jan 29; compare with a week of mid-January.
        XCTAssertLessThan(orders(on: "2025-01-27" ... "2025-02-02") * 10, orders(on: "2025-01-13" ... "2025-01-19") * 7)
    }

    // MARK: Edge cases

    func testUnusualConfigurations() {
        let noOrders = SampleShop.generate(SampleShopConfig(customers: 10, orders: 0))
        XCTAssertEqual(CSVTable(noOrders.ordersCSV).rows.count, 0)
        XCTAssertEqual(CSVTable(noOrders.customersCSV).rows.count, 10)

        let noCustomers = CSVTable(SampleShop.generate(SampleShopConfig(customers: 0, orders: 50)).ordersCSV)
        XCTAssertEqual(noCustomers.rows.count, 50)
        XCTAssertTrue(noCustomers.rows.allSatisfy { $0[1].isEmpty }, "with no customers every order is a guest's")

        let one = CSVTable(SampleShop.generate(SampleShopConfig(customers: 1, orders: 5)).ordersCSV)
        XCTAssertEqual(one.rows.map { $0[1] }, Array(repeating: "C00001", count: 5))

        let negative = SampleShop.generate(SampleShopConfig(customers: -3, orders: -1))
        XCTAssertEqual(negative.customersCSV, SampleShop.customerHeader + "\n")
        XCTAssertEqual(negative.ordersCSV, SampleShop.orderHeader + "\n")

        let day = LocalDate(year: 2024, month: 2, day: 29) ?? SampleShopConfig.defaultFirstDay
        let oneDay = CSVTable(SampleShop.generate(SampleShopConfig(customers: 20, orders: 100, firstDay: day, lastDay: day)).ordersCSV)
        XCTAssertEqual(oneDay.rows.count, 100)
        XCTAssertTrue(oneDay.rows.allSatisfy { $0[2].hasPrefix("2024-02-29T") })

        var reversed = Self.config
        swap(&reversed.firstDay, &reversed.lastDay)
        XCTAssertEqual(SampleShop.generate(reversed).ordersCSV, Self.shop.ordersCSV)
    }

    func testApportionSplitsExactly() {
        let weights = [5, 0, 17, 1, 1, 100, 3]
        for total in [0, 1, 7, 127, 1000] {
            let parts = SampleOrderAllocation.apportion(total, by: weights)
            XCTAssertEqual(parts.reduce(0, +), total)
            for (part, weight) in zip(parts, weights) {
                XCTAssertLessThanOrEqual(abs(part * 127 - total * weight), 127, "within one of the exact share")
            }
        }
        XCTAssertEqual(SampleOrderAllocation.apportion(10, by: [0, 0]), [0, 0])
    }

    // MARK: Files

    func testWriteCreatesBothFiles() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("perk-sample-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            .appendingPathComponent("nested").path
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let config = SampleShopConfig(customers: 50, orders: 400, seed: 5)
        let paths = try SampleShop.write(config, to: directory).get()
        XCTAssertEqual(paths, [directory + "/customers.csv", directory + "/orders.csv"])
        let expected = SampleShop.generate(config)
        XCTAssertEqual(try String(contentsOfFile: paths[0], encoding: .utf8), expected.customersCSV)
        XCTAssertEqual(try String(contentsOfFile: paths[1], encoding: .utf8), expected.ordersCSV)
    }

    func testWriteReportsAnUnusableDirectory() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("perk-sample-\(UUID().uuidString)").path
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        defer { try? FileManager.default.removeItem(atPath: file) }
        switch SampleShop.write(SampleShopConfig(customers: 5, orders: 5), to: file) {
        case .success(let paths):
            XCTFail("wrote into a regular file: \(paths)")
        case .failure(let error):
            XCTAssertTrue(error.description.hasPrefix("cannot write \(file)"), error.description)
        }
    }

    // MARK: Helpers

    private func isMoney(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].count == 2
            && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// Records what a `TextOutputStream` receives, chunk by chunk.
private struct ChunkRecorder: TextOutputStream {
    var chunks: [String] = []
    mutating func write(_ string: String) { chunks.append(string) }
}

/// A small RFC 4180 reader for checking the output: quoted fields may hold commas,
/// doubled quotes and line breaks; rows end with LF.
private struct CSVTable {
    var header: [String] = []
    var rows: [[String]] = []
    /// False when a quote is left open or stray text follows a closing quote.
    var isWellFormed = true

    init(_ text: String) {
        var all: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var afterQuote = false
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    field.append(b)
                }
            } else if b == UInt8(ascii: ",") {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll()
                afterQuote = false
            } else if b == UInt8(ascii: "\n") {
                row.append(String(decoding: field, as: UTF8.self))
                all.append(row)
                row = []
                field.removeAll()
                afterQuote = false
            } else if b == UInt8(ascii: "\"") && field.isEmpty && !afterQuote {
                inQuotes = true
            } else {
                if afterQuote || b == UInt8(ascii: "\"") { isWellFormed = false }
                field.append(b)
            }
            i += 1
        }
        if inQuotes || !field.isEmpty || !row.isEmpty { isWellFormed = false }
        header = all.first ?? []
        rows = Array(all.dropFirst())
    }
}
