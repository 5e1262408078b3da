/// A customer a rule acted for, and why its condition held.
public struct MatchSample: Sendable {
    /// A value the condition read: `days_since_visit` = `75`.
    public struct Reason: Sendable, Equatable {
        /// As written in the rules.
        public var field: String
        public var value: String
    }

    public var day: LocalDate
    public var customer: Int
    public var customerID: String
    public var reasons: [Reason]
}

/// Explains a match by the values of the customer fields, derived fields and
/// order aggregates the condition reads, on the day it matched. Each is shown
/// as written in the rules (a define's parts as written in the define).
struct MatchExplanation {
    private struct Leaf {
        var text: String
        var expr: CheckedExpr
    }

    /// Per rule, the distinct values its condition reads, in reading order.
    private let leaves: [[Leaf]]

    init(program: CheckedProgram) {
        let defineFiles = Dictionary(program.defines.map { ($0.name, $0.file) }, uniquingKeysWith: { first, _ in first })
        leaves = program.rules.map { rule in
            var found: [Leaf] = []
            MatchExplanation.collect(rule.condition, file: rule.file, defineFiles: defineFiles, into: &found)
            return found
        }
    }

    func sample(rule: Int, customer: Int, day: LocalDate, interpreter: Interpreter) -> MatchSample {
        // A part can fail where the condition held (`false and` a failed part is
        // false); the sample says so rather than show a value.
        let reasons = leaves[rule].map { leaf in
            MatchSample.Reason(field: leaf.text,
                               value: (try? interpreter.evaluate(leaf.expr, customer: customer, today: day))?.display(as: leaf.expr.type)
                                   ?? "error: cannot be computed exactly")
        }
        return MatchSample(day: day, customer: customer, customerID: interpreter.customers.ids[customer], reasons: reasons)
    }

    private static func collect(_ e: CheckedExpr, file: SourceFile, defineFiles: [String: SourceFile], into found: inout [Leaf]) {
        switch e.node {
        case .column, .derived, .aggregate:
            let text = file.slice(e.range)
            if !found.contains(where: { $0.text == text }) { found.append(Leaf(text: text, expr: e)) }
        case .define(let name, let body):
            collect(body, file: defineFiles[name] ?? file, defineFiles: defineFiles, into: &found)
        default:
            for child in e.children { collect(child, file: file, defineFiles: defineFiles, into: &found) }
        }
    }
}
