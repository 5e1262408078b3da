/// A stable diagnostic code, such as `P102`. Each phase lists its codes in one
/// enum beside its messages (`SyntaxCode`, `CheckerCode`, `LintCode`, `DataCode`,
/// `RuntimeCode`, `FileCode`, `JournalCode`, `ReplCode`), so a code is written as
/// text in exactly one place and `DiagnosticCatalogue` can check them against the
/// README.
public protocol DiagnosticCode: RawRepresentable, CaseIterable, Sendable, CustomStringConvertible
where RawValue == String {}

extension DiagnosticCode {
    /// The code as printed: `error[P102]` shows `P102`, not the case's name.
    public var description: String { rawValue }
}

extension Diagnostic {
    public init<Code: DiagnosticCode>(
        _ severity: Severity, _ code: Code, _ message: String,
        at location: Location? = nil, notes: [String] = [], help: String? = nil, fixIt: FixIt? = nil
    ) {
        self.init(severity, code.rawValue, message, at: location, notes: notes, help: help, fixIt: fixIt)
    }

    public static func error<Code: DiagnosticCode>(
        _ code: Code, _ message: String, in file: SourceFile, _ range: SourceRange,
        help: String? = nil, fixIt: FixIt? = nil, notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(.error, code, message, at: .source(file, range), notes: notes, help: help, fixIt: fixIt)
    }

    public static func warning<Code: DiagnosticCode>(
        _ code: Code, _ message: String, in file: SourceFile, _ range: SourceRange,
        help: String? = nil, fixIt: FixIt? = nil, notes: [String] = []
    ) -> Diagnostic {
        Diagnostic(.warning, code, message, at: .source(file, range), notes: notes, help: help, fixIt: fixIt)
    }
}

/// One entry of a phase's catalogue of texts (`DataProblem`, `JournalProblem`,
/// `SQLMessage`): which problem it is, with its code and the words a person
/// reads. Report sites say which entry and where; the words are written once.
protocol DiagnosticMessage {
    associatedtype Code: DiagnosticCode
    var code: Code { get }
    var severity: Diagnostic.Severity { get }
    var message: String { get }
    var notes: [String] { get }
    var help: String? { get }
}

extension DiagnosticMessage {
    var severity: Diagnostic.Severity { .error }
    var notes: [String] { [] }
}

extension Diagnostic {
    /// A catalogue entry at a place; `notes` adds what only the report site
    /// knows. Each catalogue has a one-line overload of its own, so a report
    /// site can write `.notADayFile` without naming the catalogue.
    init<Message: DiagnosticMessage>(entry: Message, at location: Location?, notes: [String] = [], fixIt: FixIt? = nil) {
        self.init(entry.severity, entry.code, entry.message, at: location, notes: entry.notes + notes, help: entry.help, fixIt: fixIt)
    }
}

/// Every phase's codes in the order the README's table of codes lists them, so
/// a test can hold the documentation and the code to each other.
enum DiagnosticCatalogue {
    struct Phase {
        /// The table's "from" column: who reports these codes.
        let source: String
        let codes: [String]

        init<Code: DiagnosticCode>(_ type: Code.Type, from source: String) {
            self.source = source
            self.codes = type.allCases.map(\.rawValue)
        }

        /// The codes of problems. A `000` code (`P000`, `J000`) is the note that
        /// says how many more problems were not listed, so it opens no range.
        var problemCodes: [String] { codes.filter { !$0.hasSuffix("000") } }
    }

    static let phases: [Phase] = [
        Phase(SyntaxCode.self, from: "the parser"),
        Phase(CheckerCode.self, from: "the checker"),
        Phase(LintCode.self, from: "the linter (warnings)"),
        Phase(TestCode.self, from: "tests of rules"),
        Phase(DataCode.self, from: "data and schema files"),
        Phase(ReplCode.self, from: "the REPL"),
        Phase(JournalCode.self, from: "the campaign journal"),
        Phase(RuntimeCode.self, from: "evaluating rules on the data"),
        Phase(FileCode.self, from: "files and options"),
        Phase(SQLCode.self, from: "`perk sql` and match files"),
    ]

    static var allCodes: [String] { phases.flatMap(\.codes) }
}

extension DataCode: DiagnosticCode {}
extension JournalCode: DiagnosticCode {}
