/// Writes RFC 4180 CSV: fields with a comma, quote or line break (or spaces at
/// either end) are quoted, quotes doubled. Lines end with `\n`.
public struct CSVWriter {
    public private(set) var text = ""

    public init(header: [String]) {
        row(header)
    }

    public mutating func row(_ fields: [String]) {
        text += CSVWriter.line(fields)
    }

    /// One row, with its line break, for writers that stream rows to a file.
    public static func line(_ fields: [String]) -> String {
        // A row of one empty field would be a blank line, which readers skip.
        if fields.count == 1, fields[0].isEmpty { return "\"\"\n" }
        return fields.map(escape).joined(separator: ",") + "\n"
    }

    /// The field as a CSV cell: as it is, or quoted with its quotes doubled.
    ///
    /// The test is on UTF-8 bytes, not Characters: Swift takes `\r\n` for one
    /// Character, and a quote or comma followed by a combining mark for another,
    /// so comparing Characters with `"\n"` or `","` misses them and a row comes
    /// out split. Fields with spaces or tabs at either end are quoted too, since
    /// readers (Perk's among them) trim unquoted cells; and so is a field that
    /// starts with a byte order mark, which a reader drops at the file's start.
    public static func escape(_ field: String) -> String {
        let bytes = field.utf8
        guard let first = bytes.first, let last = bytes.last else { return field }
        var needsQuotes = isSpace(first) || isSpace(last) || bytes.starts(with: [0xEF, 0xBB, 0xBF])
        var quotes = 0
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): quotes += 1
            case UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r"): needsQuotes = true
            default: continue
            }
        }
        guard needsQuotes || quotes > 0 else { return field }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(bytes.count + quotes + 2)
        for b in bytes {
            out.append(b)
            if b == UInt8(ascii: "\"") { out.append(b) }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t")
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Index>? {
        guard !target.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}
