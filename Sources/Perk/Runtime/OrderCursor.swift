/// Where each customer's orders before a day end, and what they add up to.
///
/// A simulation evaluates every customer on day after day; instead of searching
/// each customer's orders for every derived field, it moves this cursor forward
/// a day at a time, passing over that day's orders once (they are visited in
/// date order, so a day costs only its own orders). The interpreter uses it only
/// on the day it is at, so a stale cursor can never give a wrong answer.
public struct OrderCursor: Sendable {
    /// Orders dated before this day are behind the cursor.
    public private(set) var day: LocalDate
    /// Per customer: the first order row dated on or after `day`.
    private(set) var end: [Int32]
    /// Per customer: the sum of the amounts behind the cursor; nil if it overflowed.
    private(set) var spend: [Number?]
    /// Every order row, by date (and by row within a date, so each customer's
    /// rows come in their own order).
    private let byDate: [Int32]
    /// How many of `byDate` are behind the cursor.
    private var passed = 0

    public init(orders: OrderTable, day: LocalDate) {
        self.day = day
        end = orders.start.dropLast()
        spend = Array(repeating: .zero, count: max(0, orders.start.count - 1))
        byDate = OrderCursor.rowsByDate(orders)
        passOrders(before: day, in: orders)
    }

    /// Moves the cursor to `newDay`, forward over the orders in between, or back
    /// to the start when `newDay` is earlier. Returns the customers whose orders
    /// before the day changed (all of them when it went back).
    @discardableResult
    public mutating func advance(to newDay: LocalDate, in orders: OrderTable) -> [Int] {
        if newDay < day {
            self = OrderCursor(orders: orders, day: newDay)
            return Array(end.indices)
        }
        day = newDay
        return passOrders(before: newDay, in: orders)
    }

    /// The rows of the customer's orders before `day`.
    func rows(of customer: Int, in orders: OrderTable) -> Range<Int> {
        Int(orders.start[customer]) ..< Int(end[customer])
    }

    @discardableResult
    private mutating func passOrders(before day: LocalDate, in orders: OrderTable) -> [Int] {
        var moved: [Int] = []
        while passed < byDate.count, orders.date[Int(byDate[passed])] < day.day {
            let row = Int(byDate[passed])
            let c = Int(orders.customer[row])
            if end[c] == Int32(row) {
                if moved.last != c { moved.append(c) }
                end[c] = Int32(row + 1)
                spend[c] = spend[c].flatMap { $0.adding(orders.amount[row]) }
            }
            passed += 1
        }
        return moved
    }

    /// Row numbers sorted by date, stable: a counting sort over the days.
    private static func rowsByDate(_ orders: OrderTable) -> [Int32] {
        guard let first = orders.date.min(), let last = orders.date.max() else { return [] }
        var starts = Array(repeating: 0, count: Int(last - first) + 2)
        for d in orders.date { starts[Int(d - first) + 1] += 1 }
        for i in 1..<starts.count { starts[i] += starts[i - 1] }
        var out = Array(repeating: Int32(0), count: orders.count)
        for (row, d) in orders.date.enumerated() {
            out[starts[Int(d - first)]] = Int32(row)
            starts[Int(d - first)] += 1
        }
        return out
    }
}
