/// How values read in the REPL and in explanations.
enum ValueText {
    /// A value as a person reads it: enum names, `unknown` for a boolean that
    /// is missing, and text in quotes when `quotingText` (so "" shows).
    static func shown(_ value: Value, as type: PerkType, quotingText: Bool = false) -> String {
        switch value {
        case .missing: return type == .bool ? "unknown" : "missing"
        case .text(let s) where quotingText: return "\"\(s)\""
        default: return oneLine(value.display(as: type))
        }
    }

    /// Text on one line: each line break (LF, CRLF or a lone CR) becomes a
    /// space. It works on Unicode scalars: Swift takes CRLF for one Character,
    /// which a test for the Character `"\n"` misses, so a name read from a
    /// quoted CSV field would break a table's row in two.
    static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else { return text }
        var out = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            if scalar == "\n", afterCR { continue }
            out.append(scalar == "\n" || scalar == "\r" ? " " : scalar)
        }
        return String(out)
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
