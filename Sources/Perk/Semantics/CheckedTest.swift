/// A test after checking: its tables typed against the schema the rules were
/// checked against, its rule names and customer ids resolved, its outcomes
/// read. `RuleTests` turns it into data and runs it.
public struct CheckedTest: Sendable {
    public var name: String
    public var file: SourceFile
    public var nameRange: SourceRange
    /// Rows of the customers table, in the order written.
    public var customers: [FixtureCustomer]
    public var orders: [FixtureOrder]
    public var journal: [FixtureDecision]
    public var expectations: [CheckedExpectation]

    /// Every day from the first expectation's to the last's: the test runs
    /// each in turn, as daily runs would, so limits and cooldowns carry over.
    public var days: [LocalDate] {
        guard let first = expectations.map(\.day).min(), let last = expectations.map(\.day).max() else { return [] }
        return (0...Int(last.day - first.day)).map { first.advanced(by: $0) }
    }
}

/// A customer of a test: the value of each customer field of the schema,
/// by the field's position in `Schema.customerFields` (missing unless given).
public struct FixtureCustomer: Sendable {
    public var id: String
    public var values: [Value]
    public var line: Int32
}

public struct FixtureOrder: Sendable {
    /// Index into `CheckedTest.customers`.
    public var customer: Int
    public var day: Int32
    public var seconds: Int32
    public var amount: Number
    public var items: [String]
    /// By name: the other columns the test gives.
    public var others: [String: Value]
    public var line: Int32
}

/// A decision of an earlier day, as a journal would hold it.
public struct FixtureDecision: Sendable {
    public var day: LocalDate
    public var customer: Int
    /// Index into `CheckedProgram.rules`.
    public var rule: Int
    public var status: DecisionStatus
}

public struct CheckedExpectation: Sendable {
    /// Index into `CheckedProgram.rules`; nil for `expect nothing`.
    public var rule: Int?
    /// Indexes into `CheckedTest.customers`.
    public var customers: [Int]
    public var day: LocalDate
    public var outcome: ExpectedResult
    /// The line as written, for messages.
    public var range: SourceRange
}

/// What a test expects of one rule for one customer on one day.
public enum ExpectedResult: Sendable, Equatable {
    /// The rule acts; each listed action is among what it sends.
    case sent([ExpectedAction])
    case status(DecisionStatus)
    /// The condition is false or unknown.
    case noMatch
    case conditionFalse
    case conditionUnknown
    /// The rule's campaign does not run that day.
    case inactive
    /// No rule acts for the customer.
    case nothing

    /// The words an expectation may use after `:`, with what they mean.
    static let words: [String: ExpectedResult] = {
        var w: [String: ExpectedResult] = ["sent": .sent([]), "no match": .noMatch, "condition false": .conditionFalse,
                                           "condition unknown": .conditionUnknown, "inactive": .inactive]
        for s in DecisionStatus.allCases where s != .sent { w[s.rawValue] = .status(s) }
        return w
    }()
}

/// An action a test expects, compared with what the rule sends: its name and
/// value always, and its channel, validity and minimum spend when written.
public struct ExpectedAction: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var value: String
    public var channel: Channel?
    public var validDays: Int?
    public var minSpend: Number?

    public func matches(_ a: CheckedAction) -> Bool {
        guard a.name == name, a.valueText == value else { return false }
        if let channel, a.channel != channel { return false }
        if let validDays, a.coupon?.validDays != validDays { return false }
        if let minSpend, a.coupon?.minSpend != minSpend { return false }
        return true
    }

    public var description: String {
        var s = "\(name) \(value)"
        if let validDays { s += " valid for \(validDays) days" }
        if let minSpend { s += " min spend \(minSpend)" }
        if let channel { s += " via \(channel.rawValue)" }
        return s
    }
}
