/// One problem found in rules or data, from any phase: lexer, parser, checker,
/// linter, data loading or the runtime. All of them render the same way.
public struct Diagnostic: Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case error, warning, note

        private var rank: Int {
            switch self {
            case .error: return 0
            case .warning: return 1
            case .note: return 2
            }
        }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// Where a diagnostic points: a span of a source file we hold in memory, or a
    /// line and column of a data file too large to keep (with that line's text).
    public enum Location: Sendable {
        case source(SourceFile, SourceRange)
        case point(path: String, line: Int, column: Int, lineText: String?)
        case file(path: String)
    }

    /// A suggested edit: replace the text at `range` with `replacement`.
    public struct FixIt: Sendable {
        public var range: SourceRange
        public var replacement: String
        public init(range: SourceRange, replacement: String) {
            self.range = range
            self.replacement = replacement
        }
    }

    public var severity: Severity
    /// Stable code, such as `P102`: a case of one phase's `DiagnosticCode` enum
    /// (`DiagnosticCatalogue` lists them all), documented in the README.
    public var code: String
    public var message: String
    public var location: Location?
    /// Further explanation lines, printed as `= note: ...`.
    public var notes: [String]
    /// A plain-words hint on how to fix it, printed as `= help: ...`.
    public var help: String?
    public var fixIt: FixIt?

    public init(
        _ severity: Severity, _ code: String, _ message: String,
        at location: Location? = nil, notes: [String] = [], help: String? = nil, fixIt: FixIt? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.notes = notes
        self.help = help
        self.fixIt = fixIt
    }

    public static func error(
        _ code: String, _ message: String, in file: SourceFile, _ range: SourceRange,
        help: String? = nil, fixIt: FixIt? = nil, notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(.error, code, message, at: .source(file, range), notes: notes, help: help, fixIt: fixIt)
    }

    public static func warning(
        _ code: String, _ message: String, in file: SourceFile, _ range: SourceRange,
        help: String? = nil, fixIt: FixIt? = nil, notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(.warning, code, message, at: .source(file, range), notes: notes, help: help, fixIt: fixIt)
    }

    public var isError: Bool { severity == .error }

    /// `path:line:column`, or just the path, or nothing.
    public var position: String? {
        switch location {
        case .source(let file, let range)?:
            return "\(file.path):\(file.lineColumn(of: range.start))"
        case .point(let path, let line, let column, _)?:
            return "\(path):\(line):\(column)"
        case .file(let path)?:
            return path
        case nil:
            return nil
        }
    }

    /// The first line of the rendered form: `file:3:7: error[P102]: message`.
    public var description: String {
        let head = "\(severity.rawValue)[\(code)]: \(message)"
        return position.map { "\($0): \(head)" } ?? head
    }

    /// Sort key: file, then offset or line, so output is stable and reads top down.
    var sortKey: (String, Int, Int) {
        switch location {
        case .source(let file, let range)?: return (file.path, range.start, 0)
        case .point(let path, let line, let column, _)?: return (path, line, column)
        case .file(let path)?: return (path, -1, 0)
        case nil: return ("", -1, 0)
        }
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.isError } }
    public var errorCount: Int { filter { $0.severity == .error }.count }
    public var warningCount: Int { filter { $0.severity == .warning }.count }

    /// Sorted by file and position; stable for equal positions.
    public func sortedByPosition() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let ka = a.element.sortKey, kb = b.element.sortKey
            if ka.0 != kb.0 { return ka.0 < kb.0 }
            if ka.1 != kb.1 { return ka.1 < kb.1 }
            if ka.2 != kb.2 { return ka.2 < kb.2 }
            return a.offset < b.offset
        }.map(\.element)
    }
}
