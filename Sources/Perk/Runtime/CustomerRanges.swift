import Foundation

/// A rule whose condition held for a customer.
struct Match {
    var customer: Int32
    var rule: Int32
}

/// Work over every customer, split into one range per thread. Each range's
/// results come back joined in customer order, so the answer is the same
/// whatever the number of threads.
enum CustomerRanges {
    /// Ranges smaller than this are not worth a thread.
    static let minimumPerThread = 512

    /// `work(piece, customers)` for each piece of `0 ..< count`, on up to
    /// `workers` threads, joined in order. `piece` numbers the ranges from 0,
    /// for work that keeps something of its own per thread.
    static func joined<T>(count: Int, workers: Int, _ work: (_ piece: Int, _ customers: Range<Int>) -> [T]) -> [T] {
        let pieces = max(1, min(workers, count / minimumPerThread))
        if pieces == 1 { return work(0, 0..<count) }
        var results = [[T]](repeating: [], count: pieces)
        results.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                slots[piece] = work(piece, count * piece / pieces ..< count * (piece + 1) / pieces)
            }
        }
        return Array(results.joined())
    }

    /// Which of `rules` hold for each customer on `day`, in customer order and
    /// then in the order of `rules`. Each thread evaluates its own copy of the
    /// conditions, so threads share no reference counts. With `candidate`,
    /// only the customers it accepts for the `k`th rule are evaluated; without
    /// it (as in `perk run`), nothing is called per customer but the conditions.
    /// Each thread stops at the next customer once the interpreter's
    /// cancellation is cancelled; the matches are then incomplete.
    static func matches(of rules: [Int], _ conditions: [CheckedExpr], on day: LocalDate, interpreter: Interpreter,
                        workers: Int, including candidate: ((_ k: Int, _ customer: Int) -> Bool)? = nil) -> [Match] {
        let copies = workers <= 1 ? [conditions] : (0..<workers).map { _ in conditions.map(\.isolatedCopy) }
        return joined(count: interpreter.customers.count, workers: workers) { piece, customers in
            let conditions = copies[piece]
            var out: [Match] = []
            for customer in customers {
                if let cancellation = interpreter.cancellation, cancellation.isCancelled { break }
                for k in rules.indices where candidate?(k, customer) ?? true {
                    if interpreter.holds(conditions[k], customer: customer, today: day) {
                        out.append(Match(customer: Int32(customer), rule: Int32(rules[k])))
                    }
                }
            }
            return out
        }
    }
}
