/// Text from data or rules made safe to show a person in a terminal: every
/// control character is written out as `\u{1B}`, in hexadecimal as Swift and
/// JavaScript write it, so an ESC or BEL in a customer's name (or an item, an
/// id, a tag, a rule) cannot move the cursor, change colours, ring the bell or
/// rewrite what a table shows. Escaped: C0 controls (tab and line breaks
/// included, which would break a table's rows), DEL, C1 controls, and the
/// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
/// can make a terminal show a row's numbers in another order.
///
/// For display only: CSV and JSON output keep the exact text, since they are
/// data. A backslash is left as it is, so a name that holds the six
/// characters `\u{1B}` reads the same as one holding an ESC; that is the price
/// of keeping ordinary names as they are.
public enum DisplayText {
    /// `text` with its control characters escaped. `keepingLineBreaks` keeps
    /// `\n`, for whole reports rather than single values.
    public static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        // Most text has no byte that could start a control character.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else { return text }
        guard text.unicodeScalars.contains(where: { isControl($0, keepingLineBreaks) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar, keepingLineBreaks) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out.append(contentsOf: "\\u{\(hex.count < 2 ? "0" + hex : hex)}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func isControl(_ scalar: Unicode.Scalar, _ keepingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x0A: return !keepingLineBreaks
        case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
