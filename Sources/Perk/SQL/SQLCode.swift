/// The codes of `perk sql` and of the match files `perk run --matches` reads:
/// Q001–Q099; the README lists them.
enum SQLCode: String, DiagnosticCode {
    /// Q001: a part of a rule the chosen SQL dialect cannot express exactly.
    case inexpressible = "Q001"
    /// Q002: a condition too deep or too large to write out as SQL.
    case tooLarge = "Q002"
    /// Q003: a match file row that is not `customer_id,rule`, or a file without that header.
    case malformedMatch = "Q003"
    /// Q004: a match naming a rule the rules given do not have.
    case unknownRule = "Q004"
    /// Q005: a match naming a customer the customers file does not have.
    case unknownCustomer = "Q005"
}
