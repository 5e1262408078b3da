// MARK: - Mistakes in cells

/// A cell written the way a spreadsheet formats it for people rather than the
/// way Perk reads it. When a column holds one in several rows it is an export
/// setting, not a typo, so one message for the file says how to export again
/// instead of a row error per cell (see `BadRowCollector`).
enum CellMistake: Hashable, Sendable {
    /// A date with its year first and slashes or dots: `2025/03/01`.
    case yearFirstDate
    /// A date with its year last: `01/03/2025` (day or month first, unknown which).
    case yearLastDate
    /// A number with a currency sign: `¥20`, `$20`, `€20`.
    case currencySign
    /// A number with thousands separators: `1,234.50`.
    case thousandsSeparator

    /// The mistake a cell that did not fit its column shows, if it is one of
    /// these; nil for anything else, which keeps its row error.
    static func of(_ text: String, type: PerkType) -> CellMistake? {
        let t = text.withoutSurroundingSpaces
        switch type {
        case .number, .percent: return numberMistake(t)
        case .date, .datetime: return dateMistake(t)
        default: return nil
        }
    }

    /// A date or date and time, as `ordered_at` holds either.
    static func ofDateOrDateTime(_ text: String) -> CellMistake? {
        dateMistake(text.withoutSurroundingSpaces)
    }

    private static let currencySigns: Set<Character> = ["¥", "￥", "$", "€", "£"]

    private static func numberMistake(_ t: String) -> CellMistake? {
        var digits = Substring(t)
        if digits.first == "-" { digits = digits.dropFirst() }
        if let first = digits.first, currencySigns.contains(first) {
            digits = digits.dropFirst()
        } else if let last = digits.last, currencySigns.contains(last) {
            digits = digits.dropLast()
        } else {
            return isGrouped(digits) ? .thousandsSeparator : nil
        }
        let plain = digits.withoutSurroundingSpaces
        return isGrouped(Substring(plain)) || isPlainNumber(Substring(plain)) ? .currencySign : nil
    }

    private static func isPlainNumber(_ s: Substring) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && !parts[0].isEmpty && parts.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
    }

    /// `1,234` or `12,345,678.90`: groups of three digits after the first.
    private static func isGrouped(_ s: Substring) -> Bool {
        let whole = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(whole.count), whole.count == 1 || (!whole[1].isEmpty && whole[1].allSatisfy(\.isASCIIDigit))
        else { return false }
        let groups = whole[0].split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count >= 2, let lead = groups.first, (1...3).contains(lead.count) else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isASCIIDigit) } && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    private static func dateMistake(_ t: String) -> CellMistake? {
        // A time after the date does not change how the date is written.
        let date = t.split(whereSeparator: { $0 == " " || $0 == "T" }).first ?? Substring(t)
        let parts = date.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "." }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        if parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2 { return .yearFirstDate }
        if parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 { return .yearLastDate }
        return nil
    }
}

/// One mistake in one column, counted over the rows of a file.
struct CellMistakeTally {
    let mistake: CellMistake
    let column: String
    let example: String
    let first: CellLocation
    var rows = 1
    /// Where the first sighting's row error stands among the collector's
    /// examples, or nil when the examples were already full.
    let exampleIndex: Int?
}

/// A cell that shows a `CellMistake`, as a loader reports it.
struct CellMistakeSighting {
    let mistake: CellMistake
    let column: String
    let text: String
    let location: CellLocation
}

extension StringProtocol {
    /// The text without spaces and tabs around it.
    var withoutSurroundingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

// MARK: - Mistakes in whole files

/// Export mistakes that make every row unreadable: a CSV separated by
/// semicolons (a spreadsheet in a European locale), or text in UTF-16 or GBK
/// (Chinese spreadsheets). Each is said once, before any row is read, with how
/// to export the file again; otherwise the loader would report a missing
/// column or twenty identical encoding errors without saying why.
enum FileExportCheck {
    /// The first bytes looked at; only a file that shows a mistake in them is
    /// read further (to count the lines), so a clean file costs nothing more.
    static let window = 1 << 16

    static func problem(in file: UnsafeBufferPointer<UInt8>, path: String, format: DataFormat) -> Diagnostic? {
        if let utf16 = utf16(file, path: path) { return utf16 }
        if let gbk = gbk(file, path: path) { return gbk }
        if format == .csv { return semicolons(file, path: path) }
        return nil
    }

    // MARK: UTF-16

    /// UTF-16 by its byte order mark, or by NUL bytes in every other place
    /// (the high byte of each ASCII character).
    private static func utf16(_ file: UnsafeBufferPointer<UInt8>, path: String) -> Diagnostic? {
        guard file.count >= 2 else { return nil }
        var littleEndian: Bool
        if file[0] == 0xFF, file[1] == 0xFE {
            littleEndian = true
        } else if file[0] == 0xFE, file[1] == 0xFF {
            littleEndian = false
        } else {
            let n = min(file.count, window)
            var even = 0, odd = 0
            for i in 0..<n where file[i] == 0 {
                if i % 2 == 0 { even += 1 } else { odd += 1 }
            }
            // Text in UTF-16 has a NUL in about half its bytes; a damaged file
            // with a stray NUL (D010) is far from that.
            guard n >= 4, (even + odd) * 4 >= n else { return nil }
            if odd >= 9 * (even + odd) / 10 {
                littleEndian = true
            } else if even >= 9 * (even + odd) / 10 {
                littleEndian = false
            } else {
                return nil
            }
        }
        // Lines end in a newline code unit: 0A 00 (little-endian) or 00 0A.
        var lines = 0
        var i = 0
        var lastWasNewline = false
        while i + 1 < file.count {
            let (low, high) = littleEndian ? (file[i], file[i + 1]) : (file[i + 1], file[i])
            lastWasNewline = high == 0 && low == 0x0A
            if lastWasNewline { lines += 1 }
            i += 2
        }
        if !lastWasNewline { lines += 1 }
        return Diagnostic(.utf16(path: path, littleEndian: littleEndian, lines: lines),
                          at: .point(path: path, line: 1, column: 1, lineText: nil))
    }

    // MARK: GBK

    /// GBK (or GB18030) text: not UTF-8, and every byte above ASCII, within
    /// the first `window` bytes, is part of a GBK pair or GB18030 quadruple.
    /// Other encodings (Latin-1 `café,`) break that pattern and keep D009.
    private static func gbk(_ file: UnsafeBufferPointer<UInt8>, path: String) -> Diagnostic? {
        let n = min(file.count, window)
        var i = 0
        var validSequences = 0
        var invalidBytes = 0
        while i < n {
            if file[i] < 0x80 {
                i += 1
            } else if let length = UTF8Validation.sequenceLength(file, at: i) {
                validSequences += 1
                i += length
            } else {
                invalidBytes += 1
                i += 1
            }
        }
        // UTF-8 Chinese text pairs up as GBK too: a damaged UTF-8 file is
        // mostly valid sequences and keeps D009 at the damaged byte, while GBK
        // text makes a valid UTF-8 sequence only by chance.
        guard invalidBytes > 0, invalidBytes > validSequences else { return nil }
        i = file.count >= 3 && file[0] == 0xEF && file[1] == 0xBB && file[2] == 0xBF ? 3 : 0
        // Chinese text is mostly characters of GB2312, both bytes A1 or above;
        // two of them rule out a stray byte that happens to pair with the next.
        var chinese = 0
        // The window may cut the last character; up to three bytes short is not a mismatch.
        while i < n - 3 {
            let b = file[i]
            if b < 0x80 {
                i += 1
                continue
            }
            guard (0x81...0xFE).contains(b) else { return nil }
            let b1 = file[i + 1]
            if (0x40...0x7E).contains(b1) || (0x80...0xFE).contains(b1) {
                if b >= 0xA1, b1 >= 0xA1 { chinese += 1 }
                i += 2
            } else if (0x30...0x39).contains(b1), (0x81...0xFE).contains(file[i + 2]), (0x30...0x39).contains(file[i + 3]) {
                i += 4
            } else {
                return nil
            }
        }
        guard chinese >= 2 else { return nil }
        // Lines holding Chinese text, and where the first is: the bytes before
        // it on its line are ASCII, one column each.
        var lines = 0
        var line = 1
        var lineStart = 0
        var lineHasText = false
        var first: (line: Int, column: Int)?
        for j in 0..<file.count {
            let b = file[j]
            if b == 0x0A {
                if lineHasText { lines += 1 }
                line += 1
                lineStart = j + 1
                lineHasText = false
            } else if b >= 0x80, !(j < 3 && file[0] == 0xEF) {
                if first == nil { first = (line, j - lineStart + 1) }
                lineHasText = true
            }
        }
        if lineHasText { lines += 1 }
        let at = first ?? (1, 1)
        return Diagnostic(.gbk(path: path, lines: lines), at: .point(path: path, line: at.line, column: at.column, lineText: nil))
    }

    // MARK: Semicolons

    /// A header with `;` and no `,`: the columns are separated by semicolons,
    /// as spreadsheets in many European locales export CSV.
    private static func semicolons(_ file: UnsafeBufferPointer<UInt8>, path: String) -> Diagnostic? {
        let start = file.count >= 3 && file[0] == 0xEF && file[1] == 0xBB && file[2] == 0xBF ? 3 : 0
        var end = start
        while end < file.count, file[end] != 0x0A, file[end] != 0x0D { end += 1 }
        let header = UnsafeBufferPointer(rebasing: file[start..<end])
        guard let semicolon = header.firstIndex(of: UInt8(ascii: ";")), !header.contains(UInt8(ascii: ",")) else { return nil }
        var rows = 0
        var lineHasSemicolon = false
        for j in end..<file.count {
            if file[j] == 0x0A || file[j] == 0x0D {
                if lineHasSemicolon { rows += 1 }
                lineHasSemicolon = false
            } else if file[j] == UInt8(ascii: ";") {
                lineHasSemicolon = true
            }
        }
        if lineHasSemicolon { rows += 1 }
        let headerText = String(decoding: header, as: UTF8.self)
        let column = String(decoding: UnsafeBufferPointer(rebasing: header[..<semicolon]), as: UTF8.self).count + 1
        return Diagnostic(.semicolonSeparated(path: path, rows: rows),
                          at: .point(path: path, line: 1, column: column, lineText: DataPosition.truncated(headerText)))
    }
}

extension CellMistakeSighting {
    /// The sighting a cell that failed its column gives, if its text shows a
    /// `CellMistake`; a date that does not exist is a typo, never a format.
    static func of(_ text: String, type: PerkType, failure: CellParser.Failure, column: String,
                   at location: CellLocation) -> CellMistakeSighting? {
        guard failure == .wrongShape, let mistake = CellMistake.of(text, type: type) else { return nil }
        return CellMistakeSighting(mistake: mistake, column: column, text: text, location: location)
    }
}
