/// A value the interpreter cannot compute exactly: a number past the range of
/// exact fractions of 64-bit integers, or a date past either end of the calendar.
///
/// It is thrown, never turned into `missing`: a missing value reads as "this
/// customer has no orders" or "unknown", and a rule would quietly act, or not,
/// on a number that is wrong. The node that failed gives the range; a define's
/// body lies in the define's file, so the innermost define is named too.
public struct EvaluationError: Error, Sendable, Equatable {
    /// Thrown on its own while evaluation unwinds (see `Interpreter.Frame`).
    public enum Problem: Error, Sendable, Equatable {
        /// A sum, product or quotient past what `Number` holds exactly.
        case numberTooLarge
        /// A date before 0001-01-01 or after 9999-12-31.
        case dateOutsideCalendar
    }

    public var problem: Problem
    /// The expression that failed; nil until the node that failed is known
    /// (and for a derived field asked for on its own, as a customer profile does).
    public var range: SourceRange?
    /// The innermost define whose body holds `range`, if any.
    public var define: String?

    public init(_ problem: Problem, range: SourceRange? = nil, define: String? = nil) {
        self.problem = problem
        self.range = range
        self.define = define
    }

    /// The failure in full: the file holding the expression is the define's, or
    /// else `file` (the rule's, or a REPL entry's).
    public func failure(in file: SourceFile, program: CheckedProgram?, rule: String?, customerID: String?,
                        day: LocalDate) -> RuntimeFailure {
        var home = file
        if let define, let d = program?.defines.first(where: { $0.name == define }) { home = d.file }
        let subject = range.map { "`" + RuntimeFailure.shortened(ExplanationText.oneLine(home.slice($0))) + "`" } ?? "the value"
        return RuntimeFailure(problem: problem, subject: subject, file: home, range: range, rule: rule, define: define,
                              customerID: customerID, day: day)
    }
}

/// A rule (or a REPL entry) that could not be evaluated or decided for a
/// customer: what could not be computed, where it is written and for whom.
/// `perk run`, `simulate`, `explain`, `lint` and the REPL all report it as a
/// diagnostic (E001–E002) instead of acting on a wrong value.
public struct RuntimeFailure: Error, Sendable {
    public var problem: EvaluationError.Problem
    /// What could not be computed: an expression in backticks, or a total such
    /// as a campaign's spending.
    public var subject: String
    public var file: SourceFile?
    public var range: SourceRange?
    /// The rule being evaluated or decided, by the name `perk run` shows.
    public var rule: String?
    /// The define the expression is written in.
    public var define: String?
    public var customerID: String?
    public var day: LocalDate

    public var diagnostic: Diagnostic { RuntimeError.diagnostic(self) }

    static func shortened(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(77)) + "..."
    }
}

extension RuntimeFailure {
    /// A total the decision engine or the simulator keeps (a campaign's
    /// spending, points, the cost of coupons) that went past the exact range
    /// when a decision of `rule` added to it; `action` is where that rule says
    /// what it adds.
    init(total subject: String, rule: CheckedRule, action: CheckedAction?, customerID: String?, day: LocalDate) {
        self.init(problem: .numberTooLarge, subject: subject, file: rule.file, range: action?.range ?? rule.nameRange,
                  rule: rule.name, define: nil, customerID: customerID, day: day)
    }
}

/// An evaluation error with the rule and the customer it happened for, from
/// code that does not hold the program; `failure(in:customers:day:)` names them.
struct RuleEvaluationError: Error {
    var rule: Int
    var customer: Int
    var error: EvaluationError

    func failure(in program: CheckedProgram, customers: CustomerTable, day: LocalDate) -> RuntimeFailure {
        let rule = program.rules[rule]
        return error.failure(in: rule.file, program: program, rule: rule.name, customerID: customers.ids[customer], day: day)
    }
}

extension CheckedProgram {
    /// `error`, met while evaluating rule `r`'s condition for a customer.
    func failure(_ error: EvaluationError, rule r: Int, customer: Int, customers: CustomerTable, day: LocalDate) -> RuntimeFailure {
        RuleEvaluationError(rule: r, customer: customer, error: error).failure(in: self, customers: customers, day: day)
    }
}

/// The codes of evaluation: E001–E099 are values that cannot be computed while
/// rules run on the data; the README lists them.
enum RuntimeCode: String, DiagnosticCode {
    /// E001: a value beyond Perk's exact numbers.
    case numberTooLarge = "E001"
    /// E002: a date moved past 0001-01-01 or 9999-12-31.
    case dateOutsideCalendar = "E002"
}

/// Every message of evaluation, with its stable code.
enum RuntimeError {
    static func code(_ problem: EvaluationError.Problem) -> RuntimeCode {
        switch problem {
        case .numberTooLarge: return .numberTooLarge
        case .dateOutsideCalendar: return .dateOutsideCalendar
        }
    }

    static func diagnostic(_ f: RuntimeFailure) -> Diagnostic {
        let whom = f.customerID.map { " for customer \($0)" } ?? ""
        let message: String
        let help: String
        switch f.problem {
        case .numberTooLarge:
            message = "\(f.subject)\(whom) is beyond the numbers Perk can hold exactly"
            help = "Perk's numbers are exact fractions of 64-bit integers: whole numbers up to 9,223,372,036,854,775,807, "
                + "fewer with decimals (below 9.22 with 18 of them); look for an amount with too many digits or decimals"
        case .dateOutsideCalendar:
            message = "\(f.subject)\(whom) falls outside the calendar (0001-01-01 to 9999-12-31)"
            help = "a date is moved within the years 1 to 9999 only; a shorter duration, or a window (`in last 6 months`), stays inside"
        }
        var notes: [String] = []
        if let define = f.define { notes.append("in define `\(define)`") }
        notes.append((f.rule.map { "while evaluating rule \"\($0)\"" } ?? "evaluated") + " as of \(f.day)")
        let location: Diagnostic.Location? = f.file.map { file in .source(file, f.range ?? SourceRange(0, 0)) }
        return Diagnostic(.error, code(f.problem), message, at: location, notes: notes, help: help)
    }
}
