// MARK: - Cell parsing

/// Turns one cell's bytes into a typed value, or says in words why it cannot.
/// Works on raw bytes: a million cells must not each become a `String` first.
enum CellParser {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Why a cell's text is not a value of the type its column needs.
    enum Failure: Error, Equatable {
        /// Does not look like the type at all, such as `abc` for a number.
        case wrongShape
        /// Looks right but is impossible, such as 2025-02-30; `DataProblem`
        /// says why in words ("February 2025 has 28 days").
        case impossible(Impossibility)
    }

    /// Why a cell that looks like its type is still not a value of it.
    enum Impossibility: Equatable, Sendable {
        case tooManyDigits
        case tooManyDecimalPlaces
        case hour
        case minute
        case second
        case yearZero
        case month(Int)
        case dayZero
        case dayBeyondMonth(month: Int, year: Int)
    }

    // MARK: Trimming

    /// The cell without leading and trailing spaces and tabs: `C001 ` and `C001`
    /// must be the same customer.
    @inline(__always)
    static func trimmed(_ p: Bytes) -> Bytes {
        var lo = 0, hi = p.count
        while lo < hi, p[lo] == UInt8(ascii: " ") || p[lo] == UInt8(ascii: "\t") { lo += 1 }
        while hi > lo, p[hi - 1] == UInt8(ascii: " ") || p[hi - 1] == UInt8(ascii: "\t") { hi -= 1 }
        if lo == 0, hi == p.count { return p }
        return Bytes(rebasing: p[lo..<hi])
    }

    /// The cell as it is, unless it is nothing but spaces and tabs: then empty,
    /// as a bare cell of spaces is. For quoted text, whose spaces are kept.
    @inline(__always)
    static func blankAsEmpty(_ p: Bytes) -> Bytes {
        CellParser.trimmed(p).isEmpty ? Bytes(rebasing: p[0..<0]) : p
    }

    // MARK: Numbers

    /// `12`, `-3`, `+4`, `12.50`, `.5`: an exact decimal, never through `Double`.
    static func number(_ p: Bytes) -> Result<Number, Failure> {
        switch decimal(p) {
        case .success(let d):
            guard let n = Number(units: d.units, scale: d.scale) else {
                return .failure(.impossible(.tooManyDigits))
            }
            return .success(n)
        case .failure(let f):
            return .failure(f)
        }
    }

    /// The digits of a decimal as `units / 10^scale`, trailing zeros of the
    /// fraction dropped (`12.50` is 125 and 1), before any fraction is reduced.
    static func decimal(_ p: Bytes) -> Result<(units: Int64, scale: Int), Failure> {
        var i = 0
        var negative = false
        if i < p.count, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        var units: Int64 = 0
        var digits = 0
        var scale = 0
        var seenDot = false
        var overflow = false
        while i < p.count {
            let b = p[i]
            i += 1
            if b == UInt8(ascii: "."), !seenDot {
                seenDot = true
                continue
            }
            let d = b &- UInt8(ascii: "0")
            guard d < 10 else { return .failure(.wrongShape) }
            digits += 1
            if seenDot { scale += 1 }
            if !overflow {
                let (m, o1) = units.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(d))
                overflow = o1 || o2
                units = s
            }
        }
        guard digits > 0 else { return .failure(.wrongShape) }
        if overflow { return .failure(.impossible(.tooManyDigits)) }
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        if scale > 18 { return .failure(.impossible(.tooManyDecimalPlaces)) }
        return .success((negative ? -units : units, scale))
    }

    // MARK: Dates and times

    /// Exactly `YYYY-MM-DD`.
    static func date(_ p: Bytes) -> Result<LocalDate, Failure> {
        guard looksLikeDate(p) else { return .failure(.wrongShape) }
        return calendarDate(p)
    }

    /// `YYYY-MM-DDTHH:MM[:SS]`, a space allowed for the `T`.
    /// A date and time; a plain date (in a column that mixes both) is midnight.
    static func dateTime(_ p: Bytes) -> Result<LocalDateTime, Failure> {
        if p.count == 10, looksLikeDate(p) { return calendarDate(p).map { LocalDateTime(date: $0, seconds: 0) } }
        guard looksLikeDateTime(p) else { return .failure(.wrongShape) }
        let date: LocalDate
        switch calendarDate(Bytes(rebasing: p[0..<10])) {
        case .success(let d): date = d
        case .failure(let f): return .failure(f)
        }
        let h = twoDigits(p, 11), m = twoDigits(p, 14)
        let s = p.count == 19 ? twoDigits(p, 17) : 0
        guard h < 24 else { return .failure(.impossible(.hour)) }
        guard m < 60 else { return .failure(.impossible(.minute)) }
        guard s < 60 else { return .failure(.impossible(.second)) }
        return .success(LocalDateTime(date: date, seconds: Int32(h * 3600 + m * 60 + s)))
    }

    /// A date or a local date and time; `seconds` is -1 for a plain date, as
    /// `OrderTable.seconds` stores it.
    static func dateOrDateTime(_ p: Bytes) -> Result<(day: Int32, seconds: Int32), Failure> {
        if p.count == 10 {
            return date(p).map { ($0.day, -1) }
        }
        return dateTime(p).map { ($0.date.day, $0.seconds) }
    }

    static func looksLikeDate(_ p: Bytes) -> Bool {
        p.count == 10 && p[4] == UInt8(ascii: "-") && p[7] == UInt8(ascii: "-")
            && isDigit(p[0]) && isDigit(p[1]) && isDigit(p[2]) && isDigit(p[3])
            && isDigit(p[5]) && isDigit(p[6]) && isDigit(p[8]) && isDigit(p[9])
    }

    static func looksLikeDateTime(_ p: Bytes) -> Bool {
        guard p.count == 16 || p.count == 19, looksLikeDate(Bytes(rebasing: p[0..<10])),
              p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: " "),
              p[13] == UInt8(ascii: ":"), isDigit(p[11]), isDigit(p[12]), isDigit(p[14]), isDigit(p[15])
        else { return false }
        return p.count == 16 || (p[16] == UInt8(ascii: ":") && isDigit(p[17]) && isDigit(p[18]))
    }

    private static func calendarDate(_ p: Bytes) -> Result<LocalDate, Failure> {
        let year = twoDigits(p, 0) * 100 + twoDigits(p, 2)
        let month = twoDigits(p, 5), day = twoDigits(p, 8)
        if let date = LocalDate(year: year, month: month, day: day) { return .success(date) }
        if year < 1 { return .failure(.impossible(.yearZero)) }
        if month < 1 || month > 12 { return .failure(.impossible(.month(month))) }
        if day < 1 { return .failure(.impossible(.dayZero)) }
        return .failure(.impossible(.dayBeyondMonth(month: month, year: year)))
    }

    @inline(__always)
    private static func twoDigits(_ p: Bytes, _ i: Int) -> Int {
        Int(p[i] &- 48) * 10 + Int(p[i + 1] &- 48)
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    // MARK: Booleans

    /// `true`, `false`, `yes`, `no`, in any case.
    static func bool(_ p: Bytes) -> Bool? {
        switch p.count {
        case 2: return matches(p, "no") ? false : nil
        case 3: return matches(p, "yes") ? true : nil
        case 4: return matches(p, "true") ? true : nil
        case 5: return matches(p, "false") ? false : nil
        default: return nil
        }
    }

    /// Compares with a lowercase ASCII word, ignoring the case of `p`.
    static func matches(_ p: Bytes, _ word: StaticString) -> Bool {
        guard p.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<p.count {
            var b = p[i]
            if b >= UInt8(ascii: "A"), b <= UInt8(ascii: "Z") { b += 32 }
            if b != w[i] { return false }
        }
        return true
    }

    // MARK: Enumerations

    /// The ordinal of the case `p` names: exactly, or else ignoring ASCII case
    /// when that picks out one case (`Gold` is `GOLD`).
    static func enumOrdinal(_ p: Bytes, in type: EnumType) -> Int32? {
        let text = String(decoding: p, as: UTF8.self)
        if let exact = type.ordinal(of: text) { return exact }
        let lowered = text.lowercased()
        let matching = type.cases.indices.filter { type.cases[$0].lowercased() == lowered }
        return matching.count == 1 ? Int32(matching[0]) : nil
    }
}

// MARK: - Repeated amounts

/// Remembers recently made decimals. Reducing a fraction takes 128-bit
/// division, and a shop's amounts repeat (the same prices, over and over), so a
/// small direct-mapped table saves most of that work on a big file.
struct DecimalCache {
    private static let size = 4096
    private var units = [Int64](repeating: 0, count: DecimalCache.size)
    /// -1 marks an empty entry.
    private var scales = [Int8](repeating: -1, count: DecimalCache.size)
    private var numbers = [Number](repeating: .zero, count: DecimalCache.size)

    init() {}

    mutating func number(_ p: UnsafeBufferPointer<UInt8>) -> Result<Number, CellParser.Failure> {
        let d: (units: Int64, scale: Int)
        switch CellParser.decimal(p) {
        case .success(let value): d = value
        case .failure(let f): return .failure(f)
        }
        if d.scale == 0 { return .success(Number(d.units)) }
        let mixed = (UInt64(bitPattern: d.units) &* 0x9E37_79B9_7F4A_7C15) >> 52
        let i = Int(truncatingIfNeeded: mixed ^ UInt64(d.scale)) & (Self.size - 1)
        if scales[i] == Int8(d.scale), units[i] == d.units { return .success(numbers[i]) }
        guard let n = Number(units: d.units, scale: d.scale) else {
            return .failure(.impossible(.tooManyDigits))
        }
        units[i] = d.units
        scales[i] = Int8(d.scale)
        numbers[i] = n
        return .success(n)
    }
}
