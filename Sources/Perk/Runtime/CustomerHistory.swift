/// The derived fields of one customer as of a day, computed from the orders
/// dated before that day: found by binary search, or read from a cursor at that day.
struct CustomerHistory {
    let orders: OrderTable

    func before(_ customer: Int, _ day: LocalDate, cursor: OrderCursor?) -> Range<Int> {
        if let cursor, cursor.day == day { return cursor.rows(of: customer, in: orders) }
        return orders.rows(of: customer, before: day.day)
    }

    func value(_ field: DerivedField, customer: Int, today: LocalDate, cursor: OrderCursor?) throws(EvaluationError.Problem) -> Value {
        let rows = before(customer, today, cursor: cursor)
        switch field {
        case .visitCount:
            return .number(Number(rows.count))
        case .daysSinceVisit:
            guard let last = rows.last else { return .missing }
            return .number(Number(Int(today.day - orders.date[last])))
        case .daysSinceFirstVisit:
            guard let first = rows.first else { return .missing }
            return .number(Number(Int(today.day - orders.date[first])))
        case .firstVisit:
            guard let first = rows.first else { return .missing }
            return .date(LocalDate(day: orders.date[first]))
        case .lastVisit:
            guard let last = rows.last else { return .missing }
            return .date(LocalDate(day: orders.date[last]))
        case .totalSpend:
            return .number(try total(rows, customer, today, cursor))
        case .avgOrderValue:
            guard !rows.isEmpty else { return .missing }
            guard let avg = try total(rows, customer, today, cursor).dividing(by: Number(rows.count)) else {
                throw .numberTooLarge
            }
            return .number(avg)
        case .favoriteItem:
            return favoriteItem(rows)
        }
    }

    /// The sum of the orders' amounts; past the range of exact numbers, an
    /// error: a missing total would read as "no orders".
    func total(_ rows: Range<Int>, _ customer: Int, _ day: LocalDate, _ cursor: OrderCursor?) throws(EvaluationError.Problem) -> Number {
        if let cursor, cursor.day == day {
            guard let spend = cursor.spend[customer] else { throw .numberTooLarge }
            return spend
        }
        var sum = Number.zero
        // The column, not the table, in the loop: a debug build would copy the
        // whole table (and retain each of its arrays) for every order.
        let amounts = orders.amount
        for r in rows {
            guard let s = sum.adding(amounts[r]) else { throw .numberTooLarge }
            sum = s
        }
        return sum
    }

    /// The most frequent item; on a tie, the name that sorts first (item ids
    /// follow the sorted names, so the smallest id).
    func favoriteItem(_ rows: Range<Int>) -> Value {
        guard !rows.isEmpty else { return .missing }
        let lo = Int(orders.itemStart[rows.lowerBound]), hi = Int(orders.itemStart[rows.upperBound])
        guard lo < hi else { return .missing }
        var ids = Array(orders.itemIDs[lo..<hi])
        ids.sort()
        var best = ids[0], bestCount = 0
        var i = 0
        while i < ids.count {
            var j = i
            while j < ids.count, ids[j] == ids[i] { j += 1 }
            if j - i > bestCount { (best, bestCount) = (ids[i], j - i) }
            i = j
        }
        return .text(orders.itemNames[Int(best)])
    }
}
