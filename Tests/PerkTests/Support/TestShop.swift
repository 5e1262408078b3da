@testable import Perk

/// A three-customer shop built in memory, independent of the file loaders,
/// with answers easy to work out by hand. "Today" in tests is 2025-03-01.
enum TestShop {
    static let today = LocalDate(year: 2025, month: 3, day: 1)!

    struct Order {
        var customer: Int
        var date: String
        var amount: String
        var items: [String]
        var channel: String?
    }

    static let orders: [Order] = [
        Order(customer: 0, date: "2025-01-10", amount: "20.00", items: ["Jasmine Green Tea"], channel: "store"),
        Order(customer: 0, date: "2025-01-20", amount: "35.50", items: ["Jasmine Green Tea", "Brown Sugar Boba Milk"], channel: "delivery"),
        Order(customer: 0, date: "2025-02-27", amount: "16.00", items: ["Oolong Milk Tea"], channel: "store"),
        Order(customer: 1, date: "2025-02-25", amount: "18.00", items: ["Oolong Milk Tea"], channel: "app"),
        // Dated today: not counted as of today.
        Order(customer: 1, date: "2025-03-01", amount: "99.00", items: ["Taro Milk Tea"], channel: "store"),
    ]

    static var customers: CustomerTable {
        func d(_ s: String) -> Value { .date(LocalDate(parsing: s)!) }
        func n(_ i: Int) -> Value { .number(Number(i)) }
        let tier = PerkType.enumeration(.defaultTier)
        return CustomerTable(
            source: "test customers",
            ids: ["C001", "C002", "C003"],
            columns: [
                CustomerColumn(name: "name", type: .text, values: [.text("王芳"), .text("Li Na"), .text("Emily Zhang")]),
                CustomerColumn(name: "tier", type: tier, values: [.symbol(3), .symbol(2), .symbol(0)]),
                CustomerColumn(name: "birthday", type: .date, values: [d("1990-03-03"), .missing, d("1992-02-29")]),
                CustomerColumn(name: "joined", type: .date, values: [d("2024-12-01"), d("2025-02-20"), d("2025-02-28")]),
                CustomerColumn(name: "points", type: .number, values: [n(120), n(18), .missing]),
                CustomerColumn(name: "sms_opt_in", type: .bool, values: [.bool(true), .bool(false), .missing]),
                CustomerColumn(name: "wechat_opt_in", type: .bool, values: [.bool(true), .bool(true), .bool(true)]),
                CustomerColumn(name: "sugar_pref", type: .text, values: [.text("less"), .text("normal"), .missing]),
                CustomerColumn(name: "open_complaints", type: .number, values: [n(0), n(1), n(0)]),
            ],
            lines: [2, 3, 4])
    }

    static var orderTable: OrderTable { orderTable(orders) }

    /// The three customers' orders, as given: the test shop's, or others (such
    /// as amounts near the limits of exact numbers).
    static func orderTable(_ orders: [Order]) -> OrderTable {
        let names = Array(Set(orders.flatMap(\.items))).sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        var start: [Int32] = [0]
        var customer: [Int32] = [], date: [Int32] = [], seconds: [Int32] = [], amount: [Number] = []
        var itemStart: [Int32] = [0], itemIDs: [Int32] = [], channel: [Int32] = []
        let channels = ["app", "delivery", "store"]
        for c in 0..<3 {
            for o in orders where o.customer == c {
                customer.append(Int32(c))
                date.append(LocalDate(parsing: o.date)!.day)
                seconds.append(-1)
                amount.append(Number(parsing: o.amount)!)
                itemIDs += o.items.map { Int32(names.firstIndex(of: $0)!) }
                itemStart.append(Int32(itemIDs.count))
                channel.append(o.channel.map { Int32(channels.firstIndex(of: $0)!) } ?? -1)
            }
            start.append(Int32(customer.count))
        }
        return OrderTable(source: "test orders", start: start, customer: customer, date: date, seconds: seconds, amount: amount,
                          itemStart: itemStart, itemIDs: itemIDs, itemNames: names,
                          columns: [OrderColumn(name: "channel", type: .text, storage: .text(ids: channel, names: channels))],
                          lines: (0..<customer.count).map { Int32($0 + 2) })
    }

    static var schema: Schema { Schema(customers: customers, orders: orderTable) }

    static var interpreter: Interpreter { Interpreter(customers: customers, orders: orderTable) }

    static func compile(_ source: String, path: String = "t.perk") -> Compilation {
        Compiler.compile([SourceFile(path: path, text: source)], schema: schema)
    }
}
