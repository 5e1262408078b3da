// MARK: - Results

/// A column whose cells break a rule its name implies.
public struct InferenceProblem: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A `tier` column holds a value outside MEMBER < SILVER < GOLD < VIP, so
        /// its order is unknown until a schema file declares it.
        case tierOutsideDefaultOrder
        /// A column named `..._opt_in` holds something other than yes/no.
        case optInNotBoolean
    }

    public var kind: Kind
    /// The first offending cell's text.
    public var text: String
    public var location: CellLocation

    public init(kind: Kind, text: String, location: CellLocation) {
        self.kind = kind
        self.text = text
        self.location = location
    }
}

public struct InferredColumn: Hashable, Sendable {
    public var type: PerkType
    /// Set when the column cannot be used as its name promises.
    public var problem: InferenceProblem?

    public init(type: PerkType, problem: InferenceProblem? = nil) {
        self.type = type
        self.problem = problem
    }
}

// MARK: - Inferrer

/// Infers one column's type from its non-empty cells, seen one at a time so a
/// file is never held as strings.
///
/// The rules, by what every non-empty cell looks like:
/// - integers or decimals (`12`, `-3`, `12.50`): number. Integers with a leading
///   zero (`007`, `0123`) are codes, not amounts, so they make the column text.
/// - `YYYY-MM-DD`: date. Shape decides, not the calendar: a `2025-02-30` among
///   dates keeps the column a date, and the loader reports that one cell.
/// - `YYYY-MM-DDTHH:MM[:SS]` (or a space for `T`): datetime; so is a column
///   mixing these with plain dates, which are read as midnight.
/// - `true`, `false`, `yes`, `no` in any case: boolean.
/// - anything else, or no non-empty cells at all: text.
///
/// Two names carry meaning: `tier` must hold MEMBER, SILVER, GOLD or VIP (in any
/// case) and is then that enum, and a name ending in `_opt_in` is always boolean.
public struct ColumnTypeInferrer: Sendable {
    public let columnName: String
    private let isTier: Bool
    private let isOptIn: Bool

    private var nonEmpty = 0
    private var couldBeNumber = true
    private var couldBeDate = true
    private var couldBeDateTime = true
    private var couldBeBool = true
    private var problem: InferenceProblem?
    // How many cells fit each type, for `proposal`, which forgives a few strays.
    private var numberFits = 0
    private var dateFits = 0
    private var dateTimeFits = 0
    private var boolFits = 0
    /// A whole number written with a leading zero (`007`): the column holds
    /// codes, which must keep their zeros, so it is never proposed as numbers.
    private var holdsCodes = false
    // Cells a spreadsheet formatted (`CellMistake`): `¥20`, `1,234.50`,
    // `2025/03/01`. They count for the proposal, so a column exported that way
    // keeps its type and the load says once how to export it (D027, D028),
    // rather than the column turning text and a rule that reads it failing.
    private var formattedNumbers = 0
    private var formattedDates = 0

    public init(columnName: String) {
        self.columnName = columnName
        isTier = columnName == "tier"
        isOptIn = columnName.hasSuffix("_opt_in")
    }

    /// Looks at one cell; empty (or all-space) cells say nothing about the type.
    public mutating func observe(_ text: String, at location: CellLocation) {
        var text = text
        text.withUTF8 { observe(bytes: $0, at: location) }
    }

    /// As `observe(_:at:)`, on the cell's bytes.
    mutating func observe(bytes raw: UnsafeBufferPointer<UInt8>, at location: CellLocation) {
        let p = CellParser.trimmed(raw)
        guard !p.isEmpty else { return }
        nonEmpty += 1
        let isNumber = Self.looksLikeNumber(p)
        if isNumber { numberFits += 1 } else {
            couldBeNumber = false
            if Self.looksLikeCode(p) { holdsCodes = true }
        }
        let isDate = CellParser.looksLikeDate(p)
        if isDate { dateFits += 1 } else { couldBeDate = false }
        if !isNumber, !isDate { countFormatted(p) }
        // A date among date-times is a date-time at midnight: a `last_login`
        // column where some rows have only the day stays date-times.
        if isDate || CellParser.looksLikeDateTime(p) { dateTimeFits += 1 } else { couldBeDateTime = false }
        let isBool = CellParser.bool(p) != nil
        if isBool { boolFits += 1 } else { couldBeBool = false }
        guard problem == nil else { return }
        if isTier, !Self.isDefaultTier(p) {
            problem = InferenceProblem(kind: .tierOutsideDefaultOrder, text: String(decoding: p, as: UTF8.self), location: location)
        } else if isOptIn, !isBool {
            problem = InferenceProblem(kind: .optInNotBoolean, text: String(decoding: p, as: UTF8.self), location: location)
        }
    }

    private mutating func countFormatted(_ p: UnsafeBufferPointer<UInt8>) {
        // Only a cell with a digit and no letters can be one; most text is neither.
        guard p.contains(where: CellParser.isDigit),
              !p.contains(where: { ($0 >= 0x41 && $0 <= 0x5A && $0 != 0x54) || ($0 >= 0x61 && $0 <= 0x7A) }) else { return }
        let text = String(decoding: p, as: UTF8.self)
        if CellMistake.of(text, type: .number) != nil { formattedNumbers += 1 }
        if CellMistake.of(text, type: .date) != nil { formattedDates += 1 }
    }

    public var result: InferredColumn {
        if isOptIn { return InferredColumn(type: .bool, problem: problem) }
        if isTier {
            if let problem { return InferredColumn(type: .text, problem: problem) }
            return InferredColumn(type: nonEmpty > 0 ? .enumeration(EnumType.defaultTier) : .text)
        }
        guard nonEmpty > 0 else { return InferredColumn(type: .text) }
        if couldBeNumber { return InferredColumn(type: .number) }
        if couldBeDate { return InferredColumn(type: .date) }
        if couldBeDateTime { return InferredColumn(type: .datetime) }
        if couldBeBool { return InferredColumn(type: .bool) }
        return InferredColumn(type: .text)
    }

    /// The type a sample of the column's cells proposes, before the whole file
    /// is read: as `result`, except that a few stray cells (at most one in
    /// twenty, and one among 3 to 39 values) do not make the column text. A
    /// stray is then the loader's to report where it is (`N/A` in a number
    /// column), rather than a column silently turned into text and a type
    /// error on the rule that reads it. Fewer than 3 values allow no stray.
    public var proposal: InferredColumn {
        if isOptIn || isTier { return result }
        guard nonEmpty > 0 else { return InferredColumn(type: .text) }
        let strays = nonEmpty >= 3 ? Swift.max(1, nonEmpty / 20) : 0
        func fits(_ count: Int) -> Bool { nonEmpty - count <= strays && count > 0 }
        if !holdsCodes, fits(numberFits + formattedNumbers) { return InferredColumn(type: .number) }
        if fits(dateFits + formattedDates) { return InferredColumn(type: .date) }
        if fits(dateTimeFits) { return InferredColumn(type: .datetime) }
        if fits(boolFits) { return InferredColumn(type: .bool) }
        return InferredColumn(type: .text)
    }

    /// How many non-empty cells were seen.
    public var valuesSeen: Int { nonEmpty }

    /// Infers from a list of cells; cell `i` is taken to be on line `i + 2`
    /// (below a header), which is how problems name it.
    public static func infer(columnName: String, cells: [String]) -> InferredColumn {
        var inferrer = ColumnTypeInferrer(columnName: columnName)
        for (i, cell) in cells.enumerated() {
            inferrer.observe(cell, at: CellLocation(rowLine: i + 2, rowOffset: 0, offset: 0))
        }
        return inferrer.result
    }

    // MARK: Shapes

    /// `[+-]?digits(.digits)?` with at most 18 digits, so the value surely fits.
    static func looksLikeNumber(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") { i = 1 }
        let intStart = i
        while i < p.count, CellParser.isDigit(p[i]) { i += 1 }
        let intDigits = i - intStart
        guard intDigits > 0, !(intDigits > 1 && p[intStart] == UInt8(ascii: "0")) else { return false }
        var fracDigits = 0
        if i < p.count, p[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < p.count, CellParser.isDigit(p[i]) { i += 1 }
            fracDigits = i - fracStart
            guard fracDigits > 0 else { return false }
        }
        return i == p.count && intDigits + fracDigits <= 18
    }

    /// Digits only, with a leading zero: `007`, `01234`.
    static func looksLikeCode(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        p.count > 1 && p[0] == UInt8(ascii: "0") && p.allSatisfy(CellParser.isDigit)
    }

    static func isDefaultTier(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        CellParser.matches(p, "member") || CellParser.matches(p, "silver")
            || CellParser.matches(p, "gold") || CellParser.matches(p, "vip")
    }
}
