/// How values read in the REPL and in explanations.
enum ValueText {
    /// A value as a person reads it: enum names, `unknown` for a boolean that
    /// is missing, and text in quotes when `quotingText` (so "" shows).
    static func shown(_ value: Value, as type: PerkType, quotingText: Bool = false) -> String {
        switch value {
        case .missing: return type == .bool ? "unknown" : "missing"
        case .text(let s) where quotingText: return "\"\(s)\""
        default: return value.display(as: type).replacingOccurrences(of: "\n", with: " ")
        }
    }

    /// A table cell: empty when missing, and decimals to the cent (display only;
    /// the value itself stays exact).
    static func cell(_ value: Value, as type: PerkType) -> String {
        switch value {
        case .missing: return ""
        case .number(let n) where !n.isInteger: return n.formatted(places: 2)
        default: return shown(value, as: type)
        }
    }

    /// A table column: when any number in it has decimals, all are shown to
    /// the cent, so amounts line up.
    static func column(_ values: [Value], as type: PerkType) -> [String] {
        let hasDecimals = values.contains { v in
            if case .number(let n) = v { return !n.isInteger }
            return false
        }
        return values.map { v in
            if hasDecimals, case .number(let n) = v { return n.formatted(places: 2) }
            return cell(v, as: type)
        }
    }

    /// True for types shown right-aligned in tables.
    static func isNumeric(_ type: PerkType) -> Bool {
        type == .number || type == .percent
    }
}
