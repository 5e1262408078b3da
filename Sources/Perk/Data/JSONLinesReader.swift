// MARK: - Values

/// A JSON value of one line, as byte offsets into the file. Numbers keep their
/// literal text so they become exact `Number`s, never binary floating point.
public struct JSONValueRef: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case string
        case number
        case bool(Bool)
        case null
        /// An array whose elements are all strings (`items`).
        case stringArray
    }

    public var kind: Kind
    /// Where the value starts (its opening quote or bracket). Messages point here.
    public var origin: Int
    /// A string's content without quotes; a number's or literal's text; an array's
    /// whole `[...]`.
    public var start: Int
    public var end: Int
    /// The string holds backslash escapes, so its bytes must be decoded.
    public var hasEscapes: Bool

    public init(kind: Kind, origin: Int, start: Int, end: Int, hasEscapes: Bool = false) {
        self.kind = kind
        self.origin = origin
        self.start = start
        self.end = end
        self.hasEscapes = hasEscapes
    }
}

public struct JSONMember: Hashable, Sendable {
    /// Always of kind `.string`.
    public var key: JSONValueRef
    public var value: JSONValueRef

    public init(key: JSONValueRef, value: JSONValueRef) {
        self.key = key
        self.value = value
    }
}

/// Why a line is not a flat JSON object Perk can read.
public struct JSONProblem: Error, Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case notAnObject
        /// `expected` says what should have come, in words: "a `:` after the key".
        case unexpected(expected: String)
        case unterminatedString
        case invalidEscape
        case controlCharacterInString
        case invalidNumber
        /// `1e3`: written out in full it is exact, with an exponent it is ambiguous.
        case exponent
        case nestedObject
        /// An array holding something other than strings.
        case nonStringInArray
        case textAfterObject
        case invalidUTF8
        case nulByte
    }

    public var kind: Kind
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// Plain words for the person who made the file.
    public var message: String {
        DataProblem.words(kind)
    }
}

/// One non-blank line: its members in order, or the first problem found.
public struct JSONLineRecord: Sendable {
    public var line: Int = 0
    /// Byte offset where the line starts.
    public var offset: Int = 0
    public var members: [JSONMember] = []
    /// The first syntax problem; when set, `members` holds what came before it,
    /// and a member whose value was bad is kept with a `null` value so its field
    /// name is still known.
    public var problem: JSONProblem?

    public init() {}

    public func location(ofOffset offset: Int) -> CellLocation {
        CellLocation(rowLine: line, rowOffset: self.offset, offset: offset)
    }
}

// MARK: - Reader

/// Reads JSON Lines: one flat JSON object per line, blank lines skipped. Lines
/// end in `\n`, `\r\n` or a lone `\r`.
///
/// Values may be strings, numbers, `true`/`false`, `null` and arrays of strings.
/// It is a small parser written for exactly that, working on bytes; nothing here
/// can trap or loop on any input.
public struct JSONLinesReader: Sendable {
    public let bytes: [UInt8]
    private let firstByte: Int
    private var position: Int
    private var line = 1

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        firstByte = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        position = firstByte
    }

    public mutating func rewind() {
        position = firstByte
        line = 1
    }

    /// Reads the next non-blank line into `record`; false at the end of the file.
    public mutating func readRecord(into record: inout JSONLineRecord) -> Bool {
        record.members.removeAll(keepingCapacity: true)
        record.problem = nil
        let total = bytes.count
        while position < total {
            let lineStart = position
            // Lines end as CSV lines do, and as positions in messages are counted:
            // `\n`, `\r\n` or a lone `\r`, so a file with old Mac line ends reads
            // every object and later lines keep their numbers. JSON allows a `\r`
            // between tokens; one there cuts the object into two lines that are
            // reported, never read wrong.
            var contentEnd = lineStart
            while contentEnd < total, bytes[contentEnd] != UInt8(ascii: "\n"), bytes[contentEnd] != UInt8(ascii: "\r") {
                contentEnd += 1
            }
            let lineNumber = line
            position = contentEnd + 1
            if contentEnd + 1 < total, bytes[contentEnd] == UInt8(ascii: "\r"), bytes[contentEnd + 1] == UInt8(ascii: "\n") {
                position += 1
            }
            line += 1
            var blank = true
            for i in lineStart..<contentEnd where !JSONLineParser.isSpace(bytes[i]) {
                blank = false
                break
            }
            if blank { continue }
            record.line = lineNumber
            record.offset = lineStart
            bytes.withUnsafeBufferPointer { p in
                var parser = JSONLineParser(p: p, pos: lineStart, end: contentEnd)
                parser.parseObject(into: &record)
            }
            return true
        }
        return false
    }

    // MARK: Value text

    /// The text of a string (escapes decoded), or the literal text of a number or
    /// boolean; empty for `null`.
    public func text(of value: JSONValueRef) -> String {
        switch value.kind {
        case .null: return ""
        case .string where value.hasEscapes: return String(decoding: decodedBytes(of: value), as: UTF8.self)
        default: return String(decoding: bytes[value.start..<value.end], as: UTF8.self)
        }
    }

    /// A string's UTF-8 bytes with escapes decoded.
    public func decodedBytes(of value: JSONValueRef) -> [UInt8] {
        bytes.withUnsafeBufferPointer { JSONStrings.decode($0, value.start, value.end) }
    }

    /// The strings of an array value (`["Oolong", "Jasmine"]`), decoded.
    public func strings(in value: JSONValueRef) -> [String] {
        guard case .stringArray = value.kind else { return [text(of: value)] }
        return bytes.withUnsafeBufferPointer { JSONStrings.arrayElements($0, value.start, value.end) }
    }

    public func position(of location: CellLocation) -> DataPosition {
        DataPosition.resolve(location, in: bytes)
    }
}

// MARK: - Strings

/// Decodes strings the parser has already checked, so an unexpected escape is
/// kept as it is rather than trapping.
enum JSONStrings {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= end else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                guard let d = JSONLineParser.hexValue(bytes[k]) else { return nil }
                v = v * 16 + d
            }
            return v
        }
        while i < end {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\"), i + 1 < end else {
                out.append(b)
                i += 1
                continue
            }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i) else { continue }
                i += 4
                if (0xD800...0xDBFF).contains(scalar), i + 1 < end, bytes[i] == UInt8(ascii: "\\"),
                   bytes[i + 1] == UInt8(ascii: "u"), let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                let character = Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}"
                out.append(contentsOf: String(character).utf8)
            default: out.append(e)
            }
        }
        return out
    }

    /// The decoded strings of a checked array `start..<end` (the whole `[...]`).
    static func arrayElements(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> [String] {
        var out: [String] = []
        var i = start
        while i < end {
            guard bytes[i] == UInt8(ascii: "\"") else {
                i += 1
                continue
            }
            let first = i + 1
            var j = first
            var escaped = false
            while j < end, bytes[j] != UInt8(ascii: "\"") {
                if bytes[j] == UInt8(ascii: "\\") {
                    escaped = true
                    j += 1
                }
                j += 1
            }
            let last = Swift.min(j, end)
            out.append(escaped ? String(decoding: decode(bytes, first, last), as: UTF8.self)
                : String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<last]), as: UTF8.self))
            i = last + 1
        }
        return out
    }
}

// MARK: - Parser

/// Parses one line's object. Stops at the first problem, since after a syntax
/// error the rest of the line cannot be trusted.
struct JSONLineParser {
    let p: UnsafeBufferPointer<UInt8>
    var pos: Int
    let end: Int

    init(p: UnsafeBufferPointer<UInt8>, pos: Int, end: Int) {
        self.p = p
        self.pos = pos
        self.end = end
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
    }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private mutating func skipSpace() {
        while pos < end, Self.isSpace(p[pos]) { pos += 1 }
    }

    /// The offset a problem is reported at: the current byte, or the line's end.
    private var here: Int { Swift.min(pos, end) }

    mutating func parseObject(into record: inout JSONLineRecord) {
        record.problem = parseMembers(into: &record)
    }

    private mutating func parseMembers(into record: inout JSONLineRecord) -> JSONProblem? {
        skipSpace()
        guard pos < end, p[pos] == UInt8(ascii: "{") else {
            return unusualByte() ?? JSONProblem(.notAnObject, at: here)
        }
        pos += 1
        skipSpace()
        if pos < end, p[pos] == UInt8(ascii: "}") {
            pos += 1
            return finish()
        }
        while true {
            skipSpace()
            guard pos < end, p[pos] == UInt8(ascii: "\"") else {
                return unusualByte() ?? JSONProblem(.unexpected(expected: "a field name in double quotes"), at: here)
            }
            let key: JSONValueRef
            switch parseString() {
            case .success(let k): key = k
            case .failure(let problem): return problem
            }
            skipSpace()
            guard pos < end, p[pos] == UInt8(ascii: ":") else {
                return unusualByte() ?? JSONProblem(.unexpected(expected: "a `:` after the field name"), at: here)
            }
            pos += 1
            skipSpace()
            switch parseValue() {
            case .success(let value):
                record.members.append(JSONMember(key: key, value: value))
            case .failure(let problem):
                // Keep the key, so a bad value is not also taken for a missing field.
                record.members.append(JSONMember(key: key, value: JSONValueRef(kind: .null, origin: problem.offset,
                                                                               start: problem.offset, end: problem.offset)))
                return problem
            }
            skipSpace()
            guard pos < end else { return JSONProblem(.unexpected(expected: "a `,` or `}` before the end of the line"), at: here) }
            if p[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if p[pos] == UInt8(ascii: "}") {
                pos += 1
                return finish()
            }
            return unusualByte() ?? JSONProblem(.unexpected(expected: "a `,` or `}` after the value"), at: here)
        }
    }

    private mutating func finish() -> JSONProblem? {
        skipSpace()
        return pos < end ? (unusualByte() ?? JSONProblem(.textAfterObject, at: pos)) : nil
    }

    /// A NUL byte or broken UTF-8 where a token was expected deserves its own message.
    private func unusualByte() -> JSONProblem? {
        guard pos < end else { return nil }
        if p[pos] == 0 { return JSONProblem(.nulByte, at: pos) }
        if p[pos] >= 0x80, UTF8Validation.sequenceLength(p, at: pos) == nil { return JSONProblem(.invalidUTF8, at: pos) }
        return nil
    }

    private mutating func parseValue() -> Result<JSONValueRef, JSONProblem> {
        guard pos < end else { return .failure(JSONProblem(.unexpected(expected: "a value"), at: here)) }
        let origin = pos
        switch p[pos] {
        case UInt8(ascii: "\""):
            return parseString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return parseNumber()
        case UInt8(ascii: "t"):
            return literal("true", .bool(true))
        case UInt8(ascii: "f"):
            return literal("false", .bool(false))
        case UInt8(ascii: "n"):
            return literal("null", .null)
        case UInt8(ascii: "{"):
            return .failure(JSONProblem(.nestedObject, at: origin))
        case UInt8(ascii: "["):
            return parseStringArray()
        default:
            return .failure(unusualByte() ?? JSONProblem(.unexpected(expected: "a value: text in double quotes, a number, true, false, null or a list"), at: origin))
        }
    }

    private mutating func literal(_ word: StaticString, _ kind: JSONValueRef.Kind) -> Result<JSONValueRef, JSONProblem> {
        let origin = pos
        let count = word.utf8CodeUnitCount
        var matches = origin + count <= end
        if matches {
            for k in 0..<count where p[origin + k] != word.utf8Start[k] {
                matches = false
                break
            }
        }
        guard matches else {
            return .failure(JSONProblem(.unexpected(expected: "a value (text values need double quotes)"), at: origin))
        }
        pos += count
        return .success(JSONValueRef(kind: kind, origin: origin, start: origin, end: pos))
    }

    private mutating func parseString() -> Result<JSONValueRef, JSONProblem> {
        let origin = pos
        pos += 1
        let start = pos
        var escaped = false
        while pos < end {
            let b = p[pos]
            if b == UInt8(ascii: "\"") {
                let value = JSONValueRef(kind: .string, origin: origin, start: start, end: pos, hasEscapes: escaped)
                pos += 1
                return .success(value)
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                if let problem = checkEscape() { return .failure(problem) }
                continue
            }
            if b == 0 { return .failure(JSONProblem(.nulByte, at: pos)) }
            if b < 0x20 { return .failure(JSONProblem(.controlCharacterInString, at: pos)) }
            if b >= 0x80 {
                guard let length = UTF8Validation.sequenceLength(p, at: pos) else {
                    return .failure(JSONProblem(.invalidUTF8, at: pos))
                }
                pos += length
                continue
            }
            pos += 1
        }
        return .failure(JSONProblem(.unterminatedString, at: origin))
    }

    /// Checks the escape at `pos` and moves past it.
    private mutating func checkEscape() -> JSONProblem? {
        let at = pos
        guard pos + 1 < end else { return JSONProblem(.invalidEscape, at: at) }
        switch p[pos + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            pos += 2
            return nil
        case UInt8(ascii: "u"):
            guard let high = hex4(pos + 2) else { return JSONProblem(.invalidEscape, at: at) }
            pos += 6
            if (0xDC00...0xDFFF).contains(high) { return JSONProblem(.invalidEscape, at: at) }
            if (0xD800...0xDBFF).contains(high) {
                // A high surrogate must be followed by an escaped low one.
                guard pos + 1 < end, p[pos] == UInt8(ascii: "\\"), p[pos + 1] == UInt8(ascii: "u"),
                      let low = hex4(pos + 2), (0xDC00...0xDFFF).contains(low) else {
                    return JSONProblem(.invalidEscape, at: at)
                }
                pos += 6
            }
            return nil
        default:
            return JSONProblem(.invalidEscape, at: at)
        }
    }

    private func hex4(_ at: Int) -> UInt32? {
        guard at + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            guard let d = Self.hexValue(p[k]) else { return nil }
            v = v * 16 + d
        }
        return v
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, with an exponent reported on its own.
    private mutating func parseNumber() -> Result<JSONValueRef, JSONProblem> {
        let origin = pos
        if p[pos] == UInt8(ascii: "-") { pos += 1 }
        let intStart = pos
        while pos < end, isDigit(p[pos]) { pos += 1 }
        let intDigits = pos - intStart
        guard intDigits > 0, !(intDigits > 1 && p[intStart] == UInt8(ascii: "0")) else {
            return .failure(JSONProblem(.invalidNumber, at: origin))
        }
        if pos < end, p[pos] == UInt8(ascii: ".") {
            pos += 1
            let fracStart = pos
            while pos < end, isDigit(p[pos]) { pos += 1 }
            guard pos > fracStart else { return .failure(JSONProblem(.invalidNumber, at: origin)) }
        }
        if pos < end, p[pos] == UInt8(ascii: "e") || p[pos] == UInt8(ascii: "E") {
            return .failure(JSONProblem(.exponent, at: origin))
        }
        if pos < end, !isDelimiter(p[pos]) {
            return .failure(JSONProblem(.invalidNumber, at: origin))
        }
        return .success(JSONValueRef(kind: .number, origin: origin, start: origin, end: pos))
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private func isDelimiter(_ b: UInt8) -> Bool {
        Self.isSpace(b) || b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]")
    }

    private mutating func parseStringArray() -> Result<JSONValueRef, JSONProblem> {
        let origin = pos
        pos += 1
        skipSpace()
        if pos < end, p[pos] == UInt8(ascii: "]") {
            pos += 1
            return .success(JSONValueRef(kind: .stringArray, origin: origin, start: origin, end: pos))
        }
        while true {
            skipSpace()
            guard pos < end else { return .failure(JSONProblem(.unexpected(expected: "a `]` to close the list"), at: here)) }
            guard p[pos] == UInt8(ascii: "\"") else {
                return .failure(unusualByte() ?? JSONProblem(.nonStringInArray, at: pos))
            }
            if case .failure(let problem) = parseString() { return .failure(problem) }
            skipSpace()
            guard pos < end else { return .failure(JSONProblem(.unexpected(expected: "a `]` to close the list"), at: here)) }
            if p[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if p[pos] == UInt8(ascii: "]") {
                pos += 1
                return .success(JSONValueRef(kind: .stringArray, origin: origin, start: origin, end: pos))
            }
            return .failure(unusualByte() ?? JSONProblem(.unexpected(expected: "a `,` or `]` in the list"), at: pos))
        }
    }
}
