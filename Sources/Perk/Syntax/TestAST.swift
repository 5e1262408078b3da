/// A test of rules, as parsed (see `grammar/perk.ebnf`, section "Tests"):
///
///     test "A lapsed VIP gets the win-back coupon"
///       customers
///         | customer_id | tier | sms_opt_in |
///         | C1          | VIP  | true       |
///       orders
///         | customer_id | ordered_at | amount |
///         | C1          | 2025-10-01 | 30     |
///       on 2025-12-15
///       expect "VIP win-back" for C1: send coupon 20 via sms
///
/// Like the other declarations it keeps what was written and where; the test
/// checker (`Semantics/TestChecker.swift`) gives it meaning.
public struct TestDecl: Sendable {
    public var name: Located<String>
    public var customers: TestTable?
    public var orders: TestTable?
    /// Decisions of earlier days, as a journal holds them.
    public var journal: TestTable?
    /// `on DATE`: the day of the expectations that name none.
    public var day: Located<LocalDate>?
    public var expectations: [Expectation]
    public var range: SourceRange
    /// True when the parser recovered inside this test; it is not run.
    public var hasErrors: Bool
}

/// `| a | b |` rows, the first of them the header naming the columns.
public struct TestTable: Sendable {
    /// `customers`, `orders` or `journal`: the word that opened it.
    public var keyword: Located<String>
    public var header: [Located<String>]
    public var rows: [[TestCell]]
    public var range: SourceRange
    /// Each row from its first bar to its last, the header's first: where
    /// the formatter finds a row's tokens and comments.
    public var rowRanges: [SourceRange] = []
}

/// One cell of a table: its text as written between the bars (spaces around
/// it left out; a quoted cell without its quotes); an empty cell is missing.
public struct TestCell: Sendable {
    public var text: String
    public var quoted: Bool
    public var range: SourceRange

    public var isEmpty: Bool { text.isEmpty && !quoted }
}

/// `expect "RULE" for C1, C2 [on DATE]: OUTCOME`, `expect nothing for C1`, or
/// over days: `expect "RULE" for C1 from DATE to DATE: sent, skipped_cooldown, ...`.
public struct Expectation: Sendable {
    /// Nil for `expect nothing for ...`: no rule acts for the customers.
    public var rule: Located<String>?
    public var customers: [Located<String>]
    /// `on DATE`, or the first day of `from DATE to DATE`.
    public var day: Located<LocalDate>?
    /// The last day of `from DATE to DATE`: the outcome is a sequence, one a day.
    public var lastDay: Located<LocalDate>? = nil
    public var outcome: Located<ExpectedOutcome>
    public var range: SourceRange
}

public enum ExpectedOutcome: Sendable {
    /// The rule acts: with actions listed, each of them is among its actions.
    case sent([Action])
    /// A word: a status (`skipped_consent`, `held_out`, ...), or `no match`,
    /// `condition false`, `condition unknown`, `inactive`; the checker reads it.
    case word(String)
    /// `expect nothing for C1`.
    case nothing
    /// `from DATE to DATE: sent, skipped_cooldown, no match`: a word or two for each day.
    case sequence([Located<String>])
}
