/// A runtime value. `missing` is SQL's NULL: comparisons with it are unknown,
/// and a boolean that is unknown is represented as `missing` too.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case missing
    case bool(Bool)
    case number(Number)
    case percent(Number)
    case text(String)
    case date(LocalDate)
    case datetime(LocalDateTime)
    case duration(Duration)
    /// An enum value, as its ordinal in its `EnumType`.
    case symbol(Int32)
    case list([Value])

    public var isMissing: Bool {
        if case .missing = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .missing: return "missing"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.description
        case .percent(let n): return "\(n)%"
        case .text(let s): return s
        case .date(let d): return d.description
        case .datetime(let d): return d.description
        case .duration(let d): return d.description
        case .symbol(let i): return "#\(i)"
        case .list(let vs): return "[" + vs.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// Display text, naming enum symbols through their type.
    public func display(as type: PerkType) -> String {
        switch (self, type) {
        case (.symbol(let i), .enumeration(let e)):
            return Int(i) < e.cases.count && i >= 0 ? e.cases[Int(i)] : "#\(i)"
        case (.list(let vs), .list(let t)):
            return "[" + vs.map { $0.display(as: t) }.joined(separator: ", ") + "]"
        case (.text(let s), _):
            return s
        default:
            return description
        }
    }
}
