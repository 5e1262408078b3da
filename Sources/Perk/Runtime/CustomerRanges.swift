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
    /// for work that keeps something of its own per thread. When pieces fail,
    /// the first piece's error is thrown, as a loop over the customers in
    /// order would have met it first.
    static func joined<T, E: Error>(count: Int, workers: Int,
                                    _ work: (_ piece: Int, _ customers: Range<Int>) throws(E) -> [T]) throws(E) -> [T] {
        let pieces = max(1, min(workers, count / minimumPerThread))
        if pieces == 1 { return try work(0, 0..<count) }
        var results = [Result<[T], E>](repeating: .success([]), count: pieces)
        results.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                do throws(E) {
                    slots[piece] = .success(try work(piece, count * piece / pieces ..< count * (piece + 1) / pieces))
                } catch {
                    slots[piece] = .failure(error)
                }
            }
        }
        var joined: [T] = []
        for result in results {
            switch result {
            case .success(let part): joined += part
            case .failure(let error): throw error
            }
        }
        return joined
    }

    /// Which of `rules` hold for each customer on `day`, in customer order and
    /// then in the order of `rules`. Each thread plans the conditions itself
    /// (`Planner`), so threads share no reference counts, and keeps one frame,
    /// which remembers a customer's derived fields across rules. With `candidate`,
    /// only the customers it accepts for the `k`th rule are evaluated; without
    /// it (as in `perk run`), nothing is called per customer but the conditions.
    /// Each thread stops at the next customer once the interpreter's
    /// cancellation is cancelled; the matches are then incomplete.
    /// A condition that cannot be evaluated stops the work: the error is the
    /// first in customer order, then rule order, whatever the thread count.
    static func matches(of rules: [Int], _ conditions: [CheckedExpr], on day: LocalDate, interpreter: Interpreter,
                        workers: Int, including candidate: ((_ k: Int, _ customer: Int) -> Bool)? = nil) throws(RuleEvaluationError) -> [Match] {
        return try joined(count: interpreter.customers.count, workers: workers) { (piece, customers) throws(RuleEvaluationError) -> [Match] in
            let plans = Planner.plan(conditions, on: interpreter)
            var frame = PlanFrame()
            var out: [Match] = []
            for customer in customers {
                if let cancellation = interpreter.cancellation, cancellation.isCancelled { break }
                for k in rules.indices where candidate?(k, customer) ?? true {
                    let holds: Bool
                    do throws(EvaluationError) { holds = try plans.holds(k, &frame, customer: customer, today: day) } catch {
                        throw RuleEvaluationError(rule: rules[k], customer: customer, error: error)
                    }
                    if holds { out.append(Match(customer: Int32(customer), rule: Int32(rules[k]))) }
                }
            }
            return out
        }
    }
}
