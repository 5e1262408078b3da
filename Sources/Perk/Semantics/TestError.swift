/// The codes of the test checker: P301–P399 are mistakes in a `test`
/// declaration (tests are written in the Perk language, so they keep its
/// letter); the README lists them. The messages are `TestError`'s below.
enum TestCode: String, DiagnosticCode {
    /// P301: a rule a test names that no rules file defines.
    case unknownRule = "P301"
    /// P302: a column of a test's table that the data does not have.
    case unknownColumn = "P302"
    /// P303: a cell that is not of its column's type.
    case badCell = "P303"
    /// P304: a table without a column it needs (`customer_id`, `ordered_at`, ...).
    case missingColumn = "P304"
    /// P305: a customer id not in the test's customers table, or given twice there.
    case unknownCustomer = "P305"
    /// P306: an outcome that is not one Perk knows.
    case unknownOutcome = "P306"
    /// P307: an expectation with no day (no `on DATE`).
    case noDay = "P307"
    /// P308: a journal entry on or after the first day the test runs.
    case journalNotBefore = "P308"
    /// P309: two tests of one name.
    case duplicateTest = "P309"
    /// P310: a test that expects nothing.
    case nothingExpected = "P310"
    /// P311: a test whose days span more than `TestChecker.maxDays`.
    case tooManyDays = "P311"
    /// P312: `from DATE to DATE` whose outcomes are not one a day.
    case badSequence = "P312"
}

/// Every message of the test checker, with its code.
enum TestError {
    static func unknownRule(_ name: String, suggestion: String?) -> (TestCode, String, String?) {
        (.unknownRule, "no rule is called \"\(name)\"\(suggestion.map { "; did you mean \"\($0)\"?" } ?? "")",
         "a test names rules by their names in the rules files given with it")
    }

    static func unknownColumn(_ name: String, table: String, suggestion: String?, columns: [String]) -> (TestCode, String, String?) {
        (.unknownColumn, "the \(table) have no column `\(name)`\(suggestion.map { "; did you mean `\($0)`?" } ?? "")",
         "columns are \(columns.joined(separator: ", "))")
    }

    static func badCell(_ message: String, help: String?) -> (TestCode, String, String?) {
        (.badCell, message, help)
    }

    static func missingColumn(_ name: String, table: String, example: String) -> (TestCode, String, String?) {
        (.missingColumn, "the \(table) table needs a `\(name)` column", "its first row names the columns, like \(example)")
    }

    static func unknownCustomer(_ id: String, suggestion: String?) -> (TestCode, String, String?) {
        (.unknownCustomer, "customer \(id) is not in the test's customers table\(suggestion.map { "; did you mean \($0)?" } ?? "")", nil)
    }

    static func customerTwice(_ id: String) -> (TestCode, String, String?) {
        (.unknownCustomer, "customer \(id) is in the customers table twice", "give each customer one row")
    }

    static func unknownOutcome(_ word: String, suggestion: String?) -> (TestCode, String, String?) {
        (.unknownOutcome, "`\(word)` is not an outcome\(suggestion.map { "; did you mean `\($0)`?" } ?? "")",
         "write an action (`send coupon 20 via sms`), `sent`, a status (\(DecisionStatus.allCases.filter { $0 != .sent }.map(\.rawValue).joined(separator: ", "))), "
         + "`no match`, `condition false`, `condition unknown` or `inactive`")
    }

    static func noDay() -> (TestCode, String, String?) {
        (.noDay, "this expectation has no day", "give the test a day with `on 2025-12-15`, or the expectation with `for C1 on 2025-12-15: ...`")
    }

    static func journalNotBefore(_ day: LocalDate, first: LocalDate) -> (TestCode, String, String?) {
        (.journalNotBefore, "the journal holds \(day), but the test runs from \(first)", "a journal holds earlier days only")
    }

    static func duplicateTest(_ name: String) -> (TestCode, String, String?) {
        (.duplicateTest, "there are two tests called \"\(name)\"", "give each test its own name, so a failure names one test")
    }

    static func nothingExpected(_ name: String) -> (TestCode, String, String?) {
        (.nothingExpected, "test \"\(name)\" expects nothing", "add a line like `expect \"VIP win-back\" for C1: send coupon 20`")
    }

    static func tooManyDays(_ first: LocalDate, _ last: LocalDate) -> (TestCode, String, String?) {
        (.tooManyDays, "this test decides every day from \(first) to \(last), more than \(TestChecker.maxDays) days",
         "a test decides each day between its first and last expectation; split it into tests of fewer days")
    }

    static func badSequence(_ what: String) -> (TestCode, String, String?) {
        (.badSequence, what, "give one outcome a day, in order, like `from 2025-12-01 to 2025-12-03: sent, skipped_cooldown, skipped_cooldown`")
    }
}
