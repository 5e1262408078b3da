/// Which parts of which conditions the tests have seen true and which false:
/// the conditions are evaluated by an observing plan, as `explain` evaluates
/// them, and each node's value is recorded by its node id.
public struct ConditionCoverage {
    /// Per node id: bit 0 seen true, bit 1 seen false.
    private var seen: [UInt8]

    init(program: CheckedProgram) {
        seen = [UInt8](repeating: 0, count: max(program.nodeCount, 1))
    }

    /// Evaluates every rule active on `day` for every customer of a test's data.
    mutating func observe(_ program: CheckedProgram, interpreter: Interpreter, day: LocalDate) {
        let active = program.rules.indices.filter { r in program.rules[r].campaign.map { program.campaigns[$0].isActive(on: day) } ?? true }
        let plans = Planner.plan(active.map { program.rules[$0].condition }, on: interpreter, observing: true)
        let box = SeenBox(seen)
        var frame = PlanFrame()
        frame.observer = { id, value in box.record(id, value) }
        for customer in 0..<interpreter.customers.count {
            for plan in plans { _ = try? plan.evaluate(&frame, customer: customer, today: day) }
        }
        seen = box.seen
    }

    /// The boolean parts of `rule`'s condition (defines written out, `where`
    /// filters left out, as they have a value per order) that were not seen
    /// both true and false: each with what was never seen.
    public func gaps(in rule: CheckedRule) -> [(node: CheckedExpr, never: String)] {
        var out: [(CheckedExpr, String)] = []
        var stack = [rule.condition]
        while let e = stack.popLast() {
            if e.type == .bool, Self.isTest(e), e.id.index >= 0, e.id.index < seen.count {
                let s = seen[e.id.index]
                if s & 3 != 3 { out.append((e, s == 0 ? "never evaluated" : s & 1 == 0 ? "never true" : "never false")) }
            }
            stack.append(contentsOf: e.children.reversed())
        }
        return out
    }

    /// Constants and the defines' names (whose body is checked instead) are not tests of their own.
    private static func isTest(_ e: CheckedExpr) -> Bool {
        switch e.node {
        case .constant, .define: return false
        default: return true
        }
    }
}

/// The observer is a closure; it writes through this box.
private final class SeenBox {
    var seen: [UInt8]
    init(_ seen: [UInt8]) { self.seen = seen }
    func record(_ id: NodeID, _ value: Value) {
        guard id.index >= 0, id.index < seen.count else { return }
        if value == .bool(true) { seen[id.index] |= 1 } else if value == .bool(false) { seen[id.index] |= 2 }
    }
}
