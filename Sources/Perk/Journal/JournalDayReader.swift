#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one committed day holds, read and checked, in the compact form the
/// commands need: the decisions that count for limits, cooldowns and contact
/// policies, and the totals a summary shows. Names are kept once per file
/// and decisions refer to them by number.
struct JournalDigest: Sendable {
    var day: LocalDate
    var path: String
    var ruleNames: [String] = []
    var campaignNames: [String] = []
    /// Decisions that counted (sent or held out) for customers in the data.
    var counted: [CountedDecision] = []
    /// Decisions per rule and status: `[rule][status.index]`.
    var statusCounts: [[Int]] = []
    /// Customers with at least one decision of each rule.
    var customersByRule: [Int] = []
    /// Face value of the coupons sent, per campaign.
    var spent: [Number] = []
    /// Campaigns whose budget refused a coupon that day.
    var budgetRefused: [Bool] = []
    /// Coupon codes issued, per rule.
    var couponsByRule: [Int] = []
    var codes: [CouponCode] = []
    /// Where each code is, for the message about a code issued twice.
    var codeLines: [Int32] = []
    var rows = 0
    /// Decisions of customers who are not in today's data.
    var unknownCustomerDecisions = 0
}

/// A decision that counted, in eight bytes.
struct CountedDecision: Sendable {
    /// Row in today's customers table.
    var customer: Int32
    /// Index into the digest's `ruleNames`.
    var rule: UInt16
    var status: DecisionStatus
    var channels: Channels
}

/// One row of a day file, as text: what a reprint of the day's plan shows.
public struct JournalRow: Sendable, Equatable {
    public var customerID: String
    public var rule: String
    public var action: String
    public var value: String
    public var channel: String
    public var status: DecisionStatus
    public var campaign: String
    public var couponCode: String
}

/// Reads one committed day's file: every row checked, every problem reported
/// with its line and column.
///
/// A file Perk wrote is clean CSV, so it is first split by the fast scanner
/// the data loaders use. Anything unusual there, or any row that does not
/// check, and the file is read again by the general CSV reader, which finds
/// and reports every problem; both feed the same checks, row by row.
struct JournalDayReader {
    let path: String
    let day: LocalDate
    let bytes: [UInt8]
    let customers: CustomerIndex

    /// Problems past this many in one file are counted, not listed.
    static let maxListed = 20

    func digest() -> (JournalDigest?, [Diagnostic]) {
        let (digest, diagnostics) = read(keepRows: false)
        return (diagnostics.isEmpty ? digest.digest : nil, diagnostics)
    }

    func rows() -> ([JournalRow]?, [Diagnostic]) {
        let (digest, diagnostics) = read(keepRows: true)
        return (diagnostics.isEmpty ? digest.rows : nil, diagnostics)
    }

    private func read(keepRows: Bool) -> (DigestBuilder, [Diagnostic]) {
        if let clean = readClean(keepRows: keepRows) { return (clean, []) }
        return readReportingProblems(keepRows: keepRows)
    }

    /// The fast scan; nil at the first thing it does not take on.
    private func readClean(keepRows: Bool) -> DigestBuilder? {
        bytes.withUnsafeBufferPointer { file -> DigestBuilder? in
            guard let header = CleanCSV.Header(file: file, path: path), header.names == JournalFormat.columns else { return nil }
            var builder = DigestBuilder(day: day, path: path, file: file, customers: customers, keepRows: keepRows)
            let lines = CleanCSV.scanRows(file, header.end..<file.count, firstLine: 2, fieldCount: JournalFormat.columns.count,
                                          allowsEscapes: true, release: { _ in }) { cells, start, line in
                builder.add(cells, start: start, line: line) == nil
            }
            guard lines != nil else { return nil }
            builder.finish()
            return builder
        }
    }

    /// The general reader: every problem of the file, as diagnostics.
    private func readReportingProblems(keepRows: Bool) -> (DigestBuilder, [Diagnostic]) {
        var source = CSVSource(bytes: bytes)
        let fileBytes = bytes
        let where_ = JournalDiagnostics(path: path, bytes: fileBytes)
        return fileBytes.withUnsafeBufferPointer { file in
            var builder = DigestBuilder(day: day, path: path, file: file, customers: customers, keepRows: keepRows)
            var diagnostics = HeaderCheck.problems(of: source, what: JournalFormat.columns.joined(separator: ","),
                                                   with: DataDiagnostics(path: path, bytes: fileBytes))
            guard diagnostics.isEmpty else { return (builder, diagnostics) }
            guard source.columnNames == JournalFormat.columns else {
                let message = "this is not a journal day file: its columns must be \(JournalFormat.columns.joined(separator: ","))"
                return (builder, [where_.error(.badHeader, message, at: source.headerLocation,
                                               help: "a journal folder holds only the files `perk run --commit` wrote; move other files elsewhere")])
            }
            var problems = 0
            func report(_ d: Diagnostic) {
                problems += 1
                if problems <= JournalDayReader.maxListed { diagnostics.append(d) }
            }
            var row = RawRow()
            while source.next(into: &row) {
                if let first = row.problems.first {
                    report(Diagnostic(.error, first.code.rawValue, first.message,
                                      at: where_.point(CellLocation(rowLine: row.line, rowOffset: row.offset, offset: first.offset)),
                                      help: first.help))
                    if first.isFatal { break }
                    continue
                }
                if let issue = builder.add(row.cells, start: row.offset, line: row.line) { report(where_.diagnostic(issue)) }
            }
            builder.finish()
            if problems > JournalDayReader.maxListed {
                diagnostics.append(Diagnostic(.note, JournalCode.badValue.rawValue,
                                              "\(problems - JournalDayReader.maxListed) more problems in this file are not shown",
                                              at: .file(path: path)))
            }
            return (builder, diagnostics)
        }
    }
}

/// A problem with one cell of a day file.
struct JournalIssue {
    var code: JournalCode
    var message: String
    var help: String?
    var at: CellLocation
    var notes: [String] = []
}

/// Turns offsets in a day file into the line, column and text a person reads.
struct JournalDiagnostics {
    let path: String
    let bytes: [UInt8]

    func point(_ location: CellLocation) -> Diagnostic.Location {
        let p = DataPosition.resolve(location, in: bytes)
        return .point(path: path, line: p.line, column: p.column, lineText: p.lineText)
    }

    func error(_ code: JournalCode, _ message: String, at location: CellLocation, help: String? = nil) -> Diagnostic {
        Diagnostic(.error, code.rawValue, message, at: point(location), help: help)
    }

    func diagnostic(_ issue: JournalIssue) -> Diagnostic {
        Diagnostic(.error, issue.code.rawValue, issue.message, at: point(issue.at), notes: issue.notes, help: issue.help)
    }
}

// MARK: - The checks, row by row

/// Checks each row and gathers the day's digest. Rows of one decision (one
/// customer and rule) come together, as Perk writes them: they must agree on
/// the status and the campaign, and a decision may not appear twice.
private struct DigestBuilder {
    private(set) var digest: JournalDigest
    private(set) var rows: [JournalRow] = []
    private let cells: JournalCells
    private let customers: CustomerIndex
    private let keepRows: Bool
    private let dayText: [UInt8]

    private var ruleIDs = ByteInterner()
    private var campaignIDs = ByteInterner()
    private var unknownCustomerIDs = ByteInterner()
    /// Face values of coupon value texts seen so far (few distinct ones).
    private var valueIDs = ByteInterner()
    private var faceValues: [Number?] = []

    /// The decision being read: its first row's cells and what they said.
    private var current: Current?
    private struct Current {
        var customerCell: RawCell
        var ruleCell: RawCell
        var campaignCell: RawCell
        var status: DecisionStatus
        var customer: Int32
        var rule: Int32
        var campaign: Int32
        var channels: Channels
        var line: Int
        var location: CellLocation
    }
    /// Decisions seen, as customer key and rule, to find one given twice.
    private var seen = Set<UInt64>()
    /// Per rule, the last customer key counted in `customersByRule`.
    private var lastCustomerOfRule: [UInt64] = []

    init(day: LocalDate, path: String, file: UnsafeBufferPointer<UInt8>, customers: CustomerIndex, keepRows: Bool) {
        digest = JournalDigest(day: day, path: path)
        cells = JournalCells(file: file)
        self.customers = customers
        self.keepRows = keepRows
        dayText = Array(day.description.utf8)
    }

    private typealias Column = JournalFormat.Column

    /// Checks one row; the first problem found, or nil.
    mutating func add(_ row: [RawCell], start: Int, line: Int) -> JournalIssue? {
        let c = cells
        func at(_ column: Column) -> CellLocation {
            CellLocation(rowLine: line, rowOffset: start, offset: row[column.rawValue].origin)
        }
        func issue(_ code: JournalCode, _ column: Column, _ message: String, help: String? = nil) -> JournalIssue {
            JournalIssue(code: code, message: message, help: help, at: at(column))
        }
        digest.rows += 1
        let date = row[Column.date.rawValue]
        if !c.equals(date, dayText) {
            let text = c.text(date)
            guard let written = LocalDate(parsing: text) else {
                return issue(.badDate, .date, "`\(text)` is not a date" + LocalDate.problem(with: text),
                             help: "every row of this file is dated \(digest.day), the day its name gives")
            }
            return issue(.badDate, .date, "this row is dated \(written), but the file holds the decisions of \(digest.day)",
                         help: "each committed day has its own file, named after it; a row of another day does not belong here")
        }
        let customerCell = row[Column.customerID.rawValue], ruleCell = row[Column.rule.rawValue]
        if c.isEmpty(customerCell) { return issue(.badValue, .customerID, "the customer_id is empty") }
        if c.isEmpty(ruleCell) { return issue(.badValue, .rule, "the rule is empty") }
        guard let status = c.status(row[Column.status.rawValue]) else {
            let text = c.text(row[Column.status.rawValue])
            let guess = Suggest.closest(to: text, among: DecisionStatus.allCases.map(\.rawValue)).map { "; did you mean `\($0)`?" } ?? ""
            return issue(.badValue, .status, "`\(text)` is not a decision status\(guess)",
                         help: "a status is one of " + DecisionStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let actionCell = row[Column.action.rawValue]
        var action = -1
        if !c.isEmpty(actionCell) {
            guard let a = c.index(of: actionCell, in: JournalCells.actionBytes) else {
                let text = c.text(actionCell)
                let guess = Suggest.closest(to: text, among: JournalFormat.actionNames).map { "; did you mean `\($0)`?" } ?? ""
                return issue(.badValue, .action, "`\(text)` is not an action\(guess)",
                             help: "an action is one of " + JournalFormat.actionNames.joined(separator: ", "))
            }
            action = a
        }
        let channelCell = row[Column.channel.rawValue]
        var channel: Channel?
        if !c.isEmpty(channelCell) {
            guard let k = c.index(of: channelCell, in: JournalCells.channelBytes) else {
                return issue(.badValue, .channel, "`\(c.text(channelCell))` is not a channel",
                             help: "a channel is one of " + Channel.allCases.map(\.rawValue).joined(separator: ", "))
            }
            channel = Channel.allCases[k]
        }
        if action < 0, !c.isEmpty(row[Column.value.rawValue]) || channel != nil {
            return issue(.badValue, .action, "the action is empty but the row has a value or channel",
                         help: "only a rule without actions has a row with no action, and then no value either")
        }
        for column in [Column.redeemedOn, .cost] where !c.isEmpty(row[column.rawValue]) {
            let text = c.text(row[column.rawValue])
            let ok = column == .redeemedOn ? LocalDate(parsing: text) != nil : Number(parsing: Substring(text)) != nil
            if !ok { return issue(.badValue, column, "`\(text)` is not \(column == .redeemedOn ? "a date" : "an amount")") }
        }
        let isCoupon = action == 0
        var faceValue: Number?
        if isCoupon {
            faceValue = self.faceValue(row[Column.value.rawValue])
            guard faceValue != nil else {
                return issue(.badValue, .value, "`\(c.text(row[Column.value.rawValue]))` is not a coupon's value",
                             help: "a coupon's value is written as in the plan: `20`, `15% max 10` or `FREE-TOPPING worth 6`")
            }
        }
        let codeCell = row[Column.couponCode.rawValue]
        var code: CouponCode?
        if isCoupon, status == .sent {
            guard !c.isEmpty(codeCell) else {
                return issue(.badCouponCode, .couponCode, "a sent coupon without a coupon code",
                             help: "every coupon sent has the code it was issued with")
            }
            guard let c = c.withBytes(codeCell, { CouponCode(parsing: $0) }) else {
                return issue(.badCouponCode, .couponCode, "`\(c.text(codeCell))` is not a coupon code",
                             help: "codes are ten characters in two groups, like 7KQ3M-X9PTH, without 0, O, 1 or I")
            }
            code = c
        } else if !c.isEmpty(codeCell) {
            return issue(.badCouponCode, .couponCode, "a coupon code on a row that is not a sent coupon",
                         help: "only coupons with status `sent` are issued codes")
        }

        let campaignCell = row[Column.campaign.rawValue]
        if var decision = current, c.equals(customerCell, decision.customerCell), c.equals(ruleCell, decision.ruleCell) {
            // Another action of the decision being read.
            guard status == decision.status else {
                return issue(.badDecision, .status, "this row's status `\(status.rawValue)` differs from `\(decision.status.rawValue)` on line \(decision.line), "
                             + "for the same decision (customer and rule)",
                             help: "a decision has one status for all of its actions")
            }
            guard c.equals(campaignCell, decision.campaignCell) else {
                return issue(.badDecision, .campaign, "this row's campaign differs from line \(decision.line)'s, for the same decision (customer and rule)")
            }
            if let channel { decision.channels.insert(Channels(channel)) }
            current = decision
        } else {
            closeDecision()
            let customer = c.withBytes(customerCell) { customers.row(of: $0) } ?? -1
            let rule = c.withBytes(ruleCell) { ruleIDs.intern($0) }
            if rule.isNew {
                digest.ruleNames.append(c.text(ruleCell))
                digest.statusCounts.append(Array(repeating: 0, count: DecisionStatus.allCases.count))
                digest.couponsByRule.append(0)
                digest.customersByRule.append(0)
                lastCustomerOfRule.append(UInt64.max)
            }
            var campaign: Int32 = -1
            if !c.isEmpty(campaignCell) {
                let interned = c.withBytes(campaignCell) { campaignIDs.intern($0) }
                if interned.isNew {
                    digest.campaignNames.append(c.text(campaignCell))
                    digest.spent.append(.zero)
                    digest.budgetRefused.append(false)
                }
                campaign = interned.id
            }
            let customerKey = customer >= 0 ? UInt64(customer) : 1 << 40 | UInt64(c.withBytes(customerCell) { unknownCustomerIDs.intern($0).id })
            guard seen.insert(customerKey << 16 | UInt64(rule.id)).inserted else {
                return issue(.badDecision, .customerID, "customer \(c.text(customerCell)) has a second decision of rule \"\(digest.ruleNames[Int(rule.id)])\" on this day",
                             help: "a rule decides once per customer and day; the file may have been edited or joined with another")
            }
            if lastCustomerOfRule[Int(rule.id)] != customerKey {
                lastCustomerOfRule[Int(rule.id)] = customerKey
                digest.customersByRule[Int(rule.id)] += 1
            }
            digest.statusCounts[Int(rule.id)][status.index] += 1
            if customer < 0 { digest.unknownCustomerDecisions += 1 }
            if status == .skippedBudget, campaign >= 0 { digest.budgetRefused[Int(campaign)] = true }
            current = Current(customerCell: customerCell, ruleCell: ruleCell, campaignCell: campaignCell, status: status,
                              customer: customer, rule: rule.id, campaign: campaign, channels: channel.map(Channels.init) ?? [],
                              line: line, location: at(.customerID))
        }
        if let code {
            digest.codes.append(code)
            digest.codeLines.append(Int32(line))
            digest.couponsByRule[Int(current?.rule ?? 0)] += 1
        }
        if status == .sent, let faceValue, let c = current?.campaign, c >= 0 {
            digest.spent[Int(c)] = digest.spent[Int(c)].adding(faceValue) ?? digest.spent[Int(c)]
        }
        if keepRows {
            rows.append(JournalRow(customerID: c.text(customerCell), rule: c.text(ruleCell), action: c.text(actionCell),
                                   value: c.text(row[Column.value.rawValue]), channel: c.text(channelCell), status: status,
                                   campaign: c.text(campaignCell), couponCode: c.text(codeCell)))
        }
        return nil
    }

    /// Ends the file, taking in its last decision.
    mutating func finish() {
        closeDecision()
    }

    private mutating func closeDecision() {
        guard let d = current else { return }
        current = nil
        guard d.status.counts, d.customer >= 0, d.rule <= Int32(UInt16.max) else { return }
        digest.counted.append(CountedDecision(customer: d.customer, rule: UInt16(d.rule), status: d.status, channels: d.channels))
    }

    private mutating func faceValue(_ cell: RawCell) -> Number? {
        let (id, isNew) = cells.withBytes(cell) { valueIDs.intern($0) }
        if isNew { faceValues.append(JournalFormat.faceValue(ofCouponValue: Substring(cells.text(cell)))) }
        return faceValues[Int(id)]
    }
}

/// Reads cells of a day file. It holds only the file's bytes, so the checks
/// can pass it around and capture it for nothing.
private struct JournalCells {
    let file: UnsafeBufferPointer<UInt8>

    func withBytes<R>(_ cell: RawCell, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if cell.encoding == .plain { return body(UnsafeBufferPointer(rebasing: file[cell.start..<cell.end])) }
        return CellValues(file: file).decodedBytes(of: cell).withUnsafeBufferPointer(body)
    }

    func text(_ cell: RawCell) -> String {
        withBytes(cell) { String(decoding: $0, as: UTF8.self) }
    }

    func isEmpty(_ cell: RawCell) -> Bool { cell.end == cell.start }

    func equals(_ cell: RawCell, _ bytes: [UInt8]) -> Bool {
        withBytes(cell) { x in bytes.withUnsafeBufferPointer { JournalCells.same(x, $0) } }
    }

    func equals(_ a: RawCell, _ b: RawCell) -> Bool {
        withBytes(a) { x in withBytes(b) { y in JournalCells.same(x, y) } }
    }

    /// Byte equality by `memcmp`: called several times for each of
    /// millions of rows, and quick even in a debug build.
    private static func same(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        guard x.count == y.count else { return false }
        return x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
    }

    /// The index of the first of `options` the cell holds.
    func index(of cell: RawCell, in options: [[UInt8]]) -> Int? {
        var i = 0
        while i < options.count {
            if equals(cell, options[i]) { return i }
            i += 1
        }
        return nil
    }

    private static let statusBytes = DecisionStatus.allCases.map { Array($0.rawValue.utf8) }
    static let actionBytes = JournalFormat.actionNames.map { Array($0.utf8) }
    static let channelBytes = Channel.allCases.map { Array($0.rawValue.utf8) }

    func status(_ cell: RawCell) -> DecisionStatus? {
        // `sent` first: most rows are.
        if equals(cell, JournalCells.statusBytes[DecisionStatus.sent.index]) { return .sent }
        return index(of: cell, in: JournalCells.statusBytes).map { DecisionStatus.allCases[$0] }
    }
}
