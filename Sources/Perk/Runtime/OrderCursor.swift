/// Where each customer's orders before a day end, and what they add up to.
///
/// A simulation evaluates every customer on day after day; instead of searching
/// each customer's orders for every derived field, it moves this cursor forward
/// a day at a time, passing over that day's orders once. The interpreter uses it
/// only on the day it is at, so a stale cursor can never give a wrong answer.
public struct OrderCursor: Sendable {
    /// Orders dated before this day are behind the cursor.
    public private(set) var day: LocalDate
    /// Per customer: the first order row dated on or after `day`.
    private(set) var end: [Int32]
    /// Per customer: the sum of the amounts behind the cursor; nil if it overflowed.
    private(set) var spend: [Number?]

    public init(orders: OrderTable, day: LocalDate) {
        self.day = day
        let customers = orders.start.count - 1
        end = orders.start.dropLast()
        spend = Array(repeating: .zero, count: max(0, customers))
        passOrders(before: day, in: orders)
    }

    /// Moves the cursor to `newDay`, forward over the orders in between, or back
    /// to the start when `newDay` is earlier. Returns the customers whose orders
    /// before the day changed, in ascending order (all of them when it went back).
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
        for c in end.indices {
            var row = Int(end[c])
            let last = Int(orders.start[c + 1])
            guard row < last, orders.date[row] < day.day else { continue }
            var sum = spend[c]
            while row < last, orders.date[row] < day.day {
                sum = sum.flatMap { $0.adding(orders.amount[row]) }
                row += 1
            }
            end[c] = Int32(row)
            spend[c] = sum
            moved.append(c)
        }
        return moved
    }
}
