/// How large a checked expression is once its defines are written out in
/// full: every later phase (evaluation per customer, `explain`, the linter's
/// reasoning) walks it whole, so its depth bounds their recursion and its
/// size their work. The checker refuses a define or condition past either
/// limit, with its place, rather than let a phase run out of stack or time:
/// thirty defines that each use the one before twice would otherwise be a
/// billion parts.
struct Expansion: Equatable {
    var depth: Int
    var size: Int

    /// Deeper than this, a phase's recursion could run out of stack on a worker thread.
    static let maxDepth = 256
    /// Larger than this, evaluating it for every customer would take minutes.
    static let maxSize = 100_000

    var isTooLarge: Bool { depth > Expansion.maxDepth || size > Expansion.maxSize }

    /// The expansion of `e`, taking each define's from `defines` (checked
    /// before it) instead of walking into it again.
    static func of(_ e: CheckedExpr, defines: [String: Expansion]) -> Expansion {
        var children = e.children
        switch e.node {
        case .define(let name, _):
            if let d = defines[name] { return Expansion(depth: d.depth + 1, size: d.size &+ 1) }
        case .aggregate(_, let plan):
            children = plan.filter.map { [$0] } ?? []
        default:
            break
        }
        var depth = 0, size = 1
        for child in children {
            let c = of(child, defines: defines)
            depth = max(depth, c.depth)
            // Sizes of doubling defines outgrow any integer; past the limit they only need to stay past it.
            size = min(size + c.size, Expansion.maxSize + 1)
        }
        return Expansion(depth: depth + 1, size: size)
    }
}
