/// What the checker may resolve names against: the customers' columns, the
/// orders' columns, and the fields Perk derives from order history.
public struct Schema: Sendable {
    public struct Field: Sendable {
        public var name: String
        public var type: PerkType
        /// Where the value lives at run time.
        public var slot: Int
        public init(name: String, type: PerkType, slot: Int) {
            self.name = name
            self.type = type
            self.slot = slot
        }
    }

    /// `member.<name>`; `slot` indexes `CustomerTable.columns`.
    public var customerFields: [Field]
    /// Names usable inside `where` and after `orders.`.
    public var orderFields: [OrderField]
    /// Where the schema came from, for messages ("the columns of customers.csv").
    public var source: String
    /// The item names in the orders, sorted (an item's id is its index); nil
    /// when checking against a schema file with no data.
    public var itemNames: [String]?

    public init(customerFields: [Field], orderFields: [OrderField], source: String) {
        self.customerFields = customerFields
        self.orderFields = orderFields
        self.source = source
    }

    public func customerField(_ name: String) -> Field? {
        customerFields.first { $0.name == name }
    }

    public func orderField(_ name: String) -> OrderField? {
        orderFields.first { $0.name == name }
    }

    /// Every enum type a column uses, each once, in column order.
    public var enums: [EnumType] {
        var seen: [EnumType] = []
        for t in customerFields.map(\.type) + orderFields.map(\.type) {
            if case .enumeration(let e) = t, !seen.contains(e) { seen.append(e) }
        }
        return seen
    }

    /// The schema of loaded data.
    public init(customers: CustomerTable, orders: OrderTable?) {
        customerFields = customers.columns.enumerated().map { Field(name: $0.element.name, type: $0.element.type, slot: $0.offset) }
        var fields = OrderField.standard
        if let orders {
            for (i, column) in orders.columns.enumerated() {
                if let k = fields.firstIndex(where: { $0.name == column.name }) {
                    fields[k] = OrderField(name: column.name, type: column.type, slot: .column(i))
                } else {
                    fields.append(OrderField(name: column.name, type: column.type, slot: .column(i)))
                }
            }
        }
        self.orderFields = fields
        self.source = customers.source
        self.itemNames = orders?.itemNames
    }

    /// The id of an item name in the orders, by binary search over the sorted names.
    public func itemID(_ name: String) -> Int32? {
        itemNames?.indexInByteOrder(of: name).map(Int32.init)
    }
}

/// A column of the orders, as the checker resolves it.
public struct OrderField: Sendable {
    public enum Slot: Sendable, Equatable {
        case amount
        case orderedAt
        case items
        /// An index into `OrderTable.columns`.
        case column(Int)
        /// A standard column this data does not have: always missing.
        case absent
    }

    public var name: String
    public var type: PerkType
    public var slot: Slot

    public init(name: String, type: PerkType, slot: Slot) {
        self.name = name
        self.type = type
        self.slot = slot
    }

    /// The columns every orders file may have, with their types.
    public static let standard: [OrderField] = [
        OrderField(name: "amount", type: .number, slot: .amount),
        OrderField(name: "ordered_at", type: .date, slot: .orderedAt),
        OrderField(name: "items", type: .list(.text), slot: .items),
        OrderField(name: "store", type: .text, slot: .absent),
        OrderField(name: "channel", type: .text, slot: .absent),
        OrderField(name: "discount", type: .number, slot: .absent),
        OrderField(name: "coupon_code", type: .text, slot: .absent),
    ]
}

/// Fields Perk computes from a customer's orders before the evaluation day.
public enum DerivedField: String, CaseIterable, Sendable {
    case daysSinceVisit = "days_since_visit"
    case daysSinceFirstVisit = "days_since_first_visit"
    case visitCount = "visit_count"
    case totalSpend = "total_spend"
    case avgOrderValue = "avg_order_value"
    case firstVisit = "first_visit"
    case lastVisit = "last_visit"
    case favoriteItem = "favorite_item"

    public var type: PerkType {
        switch self {
        case .daysSinceVisit, .daysSinceFirstVisit, .visitCount, .totalSpend, .avgOrderValue: return .number
        case .firstVisit, .lastVisit: return .date
        case .favoriteItem: return .text
        }
    }

    /// The order fields it is computed from, besides the dates.
    public var orderFieldsRead: [String] {
        switch self {
        case .daysSinceVisit, .daysSinceFirstVisit, .visitCount, .firstVisit, .lastVisit: return []
        case .totalSpend, .avgOrderValue: return ["amount"]
        case .favoriteItem: return ["items"]
        }
    }

    public var summary: String {
        switch self {
        case .daysSinceVisit: return "days from the latest order to today; missing with no orders"
        case .daysSinceFirstVisit: return "days from the first order to today; missing with no orders"
        case .visitCount: return "number of orders before today"
        case .totalSpend: return "sum of the amounts of orders before today"
        case .avgOrderValue: return "total_spend / visit_count; missing with no orders"
        case .firstVisit: return "date of the first order"
        case .lastVisit: return "date of the latest order before today"
        case .favoriteItem: return "most frequent item; ties go to the name first in order"
        }
    }
}
