// MARK: - Declarations

/// Column types a schema file declares, so they are not guessed from the data.
public struct SchemaDeclarations: Sendable {
    /// Customer columns by name (no prefix, or `customers.`).
    public var customerColumns: [String: PerkType]
    /// Order columns by name, without their `orders.` prefix.
    public var orderColumns: [String: PerkType]
    /// The schema file's path.
    public var source: String

    public init(customerColumns: [String: PerkType] = [:], orderColumns: [String: PerkType] = [:], source: String) {
        self.customerColumns = customerColumns
        self.orderColumns = orderColumns
        self.source = source
    }
}

// MARK: - Parser

/// Parses a schema file: one `column: type` declaration a line.
///
///     # comments start with #
///     tier: enum MEMBER < SILVER < GOLD < VIP
///     points: integer
///     orders.store: text
///
/// Types are `integer`, `decimal`, `money`, `number` (all numbers to Perk),
/// `date`, `datetime`, `boolean`, `text` and `enum A < B < C`, lowest first.
/// Mistakes become diagnostics with exact byte ranges; parsing never throws and
/// keeps every good line.
public enum SchemaFile {
    /// The type words a declaration may use, as they are written.
    public static let typeNames = ["integer", "decimal", "money", "number", "date", "datetime", "boolean", "text", "enum"]

    public static func parse(_ file: SourceFile) -> (SchemaDeclarations, [Diagnostic]) {
        var parser = SchemaParser(file: file)
        parser.parseLines()
        // Bytes that are not UTF-8 (in a comment too) are reported where they
        // are, as in a data file, rather than read as something else.
        let encoding = file.invalidUTF8.map { bad in
            Diagnostic(.schemaNotUTF8(phrase: bad.phrase), at: .source(file, bad.range))
        }
        return (parser.declarations, (parser.diagnostics + encoding).sortedByPosition())
    }
}

/// A span of the schema file's bytes, trimmed of spaces and tabs.
private struct Span {
    var start: Int
    var end: Int
    var isEmpty: Bool { start >= end }
    var range: SourceRange { SourceRange(start, end) }
}

private struct SchemaParser {
    let file: SourceFile
    let bytes: [UInt8]
    var declarations: SchemaDeclarations
    var diagnostics: [Diagnostic] = []
    /// Line of each declared column, keyed `orders.name` or `name`, for duplicates.
    private var declaredOn: [String: Int] = [:]

    init(file: SourceFile) {
        self.file = file
        bytes = file.bytes
        declarations = SchemaDeclarations(source: file.path)
    }

    mutating func parseLines() {
        var lineStart = 0
        var lineNumber = 1
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var contentEnd = lineEnd
            if let hash = bytes[lineStart..<lineEnd].firstIndex(of: UInt8(ascii: "#")) { contentEnd = hash }
            let content = trim(Span(start: lineStart, end: contentEnd))
            if !content.isEmpty { parseDeclaration(content, line: lineNumber) }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
    }

    // MARK: Lines

    private mutating func parseDeclaration(_ line: Span, line number: Int) {
        guard let colon = bytes[line.start..<line.end].firstIndex(of: UInt8(ascii: ":")) else {
            error(.schemaNotColumnAndType, line)
            return
        }
        let name = trim(Span(start: line.start, end: colon))
        let typeSpan = trim(Span(start: colon + 1, end: line.end))
        guard !name.isEmpty else {
            error(.schemaNameMissing, Span(start: colon, end: colon + 1))
            return
        }
        guard let column = parseName(name) else { return }
        guard !typeSpan.isEmpty else {
            error(.schemaTypeMissing(column: text(name)), Span(start: colon, end: colon + 1))
            return
        }
        guard let type = parseType(typeSpan, column: column.name) else { return }

        let key = (column.isOrder ? "orders." : "") + column.name
        if let first = declaredOn[key] {
            error(.schemaColumnTwice(key, firstLine: first), name)
            return
        }
        declaredOn[key] = number
        if column.isOrder {
            declarations.orderColumns[column.name] = type
        } else {
            declarations.customerColumns[column.name] = type
        }
    }

    /// `points`, `customers.points` or `orders.store`.
    private mutating func parseName(_ span: Span) -> (name: String, isOrder: Bool)? {
        if let space = bytes[span.start..<span.end].firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
            error(.schemaNameWithSpace, Span(start: space, end: space + 1))
            return nil
        }
        guard let dot = bytes[span.start..<span.end].firstIndex(of: UInt8(ascii: ".")) else {
            return (text(span), false)
        }
        let table = Span(start: span.start, end: dot)
        let column = Span(start: dot + 1, end: span.end)
        let tableName = text(table)
        guard tableName == "orders" || tableName == "customers" else {
            error(.schemaNotATable(tableName, column: text(column)), table)
            return nil
        }
        guard !column.isEmpty, !bytes[column.start..<column.end].contains(UInt8(ascii: ".")) else {
            error(.schemaNoColumnAfterTable(tableName), column.isEmpty ? Span(start: dot, end: dot + 1) : column)
            return nil
        }
        return (text(column), tableName == "orders")
    }

    // MARK: Types

    /// Words people write for a type Perk spells differently.
    private static let aliases = [
        "int": "integer", "bool": "boolean", "string": "text", "str": "text", "float": "decimal",
        "double": "decimal", "currency": "money", "timestamp": "datetime", "time": "datetime",
    ]

    private mutating func parseType(_ span: Span, column: String) -> PerkType? {
        var wordEnd = span.start
        while wordEnd < span.end, bytes[wordEnd] != UInt8(ascii: " "), bytes[wordEnd] != UInt8(ascii: "\t") { wordEnd += 1 }
        let wordSpan = Span(start: span.start, end: wordEnd)
        let word = text(wordSpan)
        if word == "enum" {
            return parseEnum(trim(Span(start: wordEnd, end: span.end)), after: wordSpan, column: column)
        }
        let type: PerkType
        switch word {
        case "integer", "decimal", "money", "number": type = .number
        case "date": type = .date
        case "datetime": type = .datetime
        case "boolean": type = .bool
        case "text": type = .text
        default:
            let suggestion = Self.aliases[word.lowercased()]
                ?? SchemaFile.typeNames.first { $0 == word.lowercased() }
                ?? Suggest.closest(to: word, among: SchemaFile.typeNames)
            let fix = suggestion.map { Diagnostic.FixIt(range: wordSpan.range, replacement: $0) }
            diagnostics.append(Diagnostic(.schemaUnknownType(word, closest: suggestion), at: .source(file, wordSpan.range), fixIt: fix))
            return nil
        }
        let rest = trim(Span(start: wordEnd, end: span.end))
        if !rest.isEmpty {
            error(.schemaTextAfterType(word), rest)
            return nil
        }
        return type
    }

    /// `A < B < C`, lowest first.
    private mutating func parseEnum(_ span: Span, after keyword: Span, column: String) -> PerkType? {
        guard !span.isEmpty else {
            error(.schemaEnumWithoutValues, keyword)
            return nil
        }
        var cases: [String] = []
        var seen: [String: Int] = [:]
        var start = span.start
        for i in span.start...span.end where i == span.end || bytes[i] == UInt8(ascii: "<") {
            let part = trim(Span(start: start, end: i))
            if part.isEmpty {
                error(.schemaEmptyEnumValue, Span(start: Swift.min(i, span.end - 1), end: Swift.min(i + 1, span.end)))
                return nil
            }
            if let space = bytes[part.start..<part.end].firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                error(.schemaEnumValuesApart, Span(start: space, end: space + 1))
                return nil
            }
            let value = text(part)
            if seen[value] != nil {
                error(.schemaEnumValueTwice(value), part)
                return nil
            }
            seen[value] = cases.count
            cases.append(value)
            start = i + 1
        }
        return .enumeration(EnumType(name: column, cases: cases))
    }

    // MARK: Helpers

    private func trim(_ span: Span) -> Span {
        var s = span
        while s.start < s.end, bytes[s.start] == UInt8(ascii: " ") || bytes[s.start] == UInt8(ascii: "\t") || bytes[s.start] == UInt8(ascii: "\r") {
            s.start += 1
        }
        while s.end > s.start, bytes[s.end - 1] == UInt8(ascii: " ") || bytes[s.end - 1] == UInt8(ascii: "\t") || bytes[s.end - 1] == UInt8(ascii: "\r") {
            s.end -= 1
        }
        return s
    }

    private func text(_ span: Span) -> String {
        String(decoding: bytes[span.start..<Swift.max(span.start, span.end)], as: UTF8.self)
    }

    /// `problem` at `span`, in the catalogue's words (`DataProblem`).
    private mutating func error(_ problem: DataProblem, _ span: Span) {
        diagnostics.append(Diagnostic(problem, at: .source(file, span.range)))
    }
}
