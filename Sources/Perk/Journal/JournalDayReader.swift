#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

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
    let customers: CustomerIndex

    /// Problems past this many in one file are counted, not listed.
    static let maxListed = 20

    func digest() -> (JournalDigest?, [Diagnostic]) {
        let (digest, diagnostics) = read(keepRows: false)
        return (diagnostics.isEmpty ? digest?.digest : nil, diagnostics)
    }

    func rows() -> ([JournalRow]?, [Diagnostic]) {
        let (digest, diagnostics) = read(keepRows: true)
        return (diagnostics.isEmpty ? digest?.rows : nil, diagnostics)
    }

    private func read(keepRows: Bool) -> (DigestBuilder?, [Diagnostic]) {
        // The file is mapped, not copied; an empty file cannot be, and the general reader explains it.
        if let mapped = MappedFile(path: path), let clean = readClean(mapped.bytes, keepRows: keepRows) { return (clean, []) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [Diagnostic(.unreadableDayFile, at: .file(path: path))])
        }
        return readReportingProblems([UInt8](data), keepRows: keepRows)
    }

    /// The fast scan; nil at the first thing it does not take on.
    ///
    /// Rows are found with `memchr` and split at their commas in one pass
    /// over their bytes; a row with a quote in it (a rule named with a comma)
    /// is split by the clean-CSV scanner instead, and anything else unusual
    /// (a carriage return, a NUL byte, a line break inside quotes, bytes
    /// that are not UTF-8, the wrong number of fields) ends the scan.
    private func readClean(_ file: UnsafeBufferPointer<UInt8>, keepRows: Bool) -> DigestBuilder? {
        guard let header = CleanCSV.Header(file: file, path: path), header.names == JournalFormat.columns,
              let base = file.baseAddress else { return nil }
        var builder = DigestBuilder(day: day, path: path, file: file, customers: customers, keepRows: keepRows)
        let fieldCount = JournalFormat.columns.count
        var cells = [RawCell](repeating: .missing(at: 0), count: fieldCount)
        var pos = header.end, line = 2
        while pos < file.count {
            guard let found = memchr(base + pos, Int32(UInt8(ascii: "\n")), file.count - pos) else { return nil }
            let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            guard end > pos else { return nil }
            switch JournalDayReader.split(file, pos..<end, into: &cells) {
            case .split: break
            case .quoted:
                var quoted = false
                guard CleanCSV.scanRows(file, pos..<(end + 1), firstLine: line, fieldCount: fieldCount,
                                        release: { _ in }, row: { row, _, _ in
                                            cells = row
                                            quoted = true
                                            return true
                                        }) == 1, quoted else { return nil }
            case .unclean:
                return nil
            }
            guard builder.add(cells, start: pos, line: line) == nil else { return nil }
            pos = end + 1
            line += 1
        }
        builder.finish()
        return builder
    }

    private enum Split { case split, quoted, unclean }

    /// Splits the row `range` (its line break excluded) at its commas into
    /// `cells`. Eight bytes are tested at a time for the few that matter (a
    /// comma, a quote, a control character, a byte of a longer UTF-8
    /// sequence), and only those are looked at one by one.
    @inline(__always)
    private static func split(_ file: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into cells: inout [RawCell]) -> Split {
        let raw = UnsafeRawBufferPointer(file)
        let last = cells.count - 1
        var field = 0, start = range.lowerBound
        var nonASCII = false
        let outcome: Split? = cells.withUnsafeMutableBufferPointer { out -> Split? in
            /// One byte that is not plain: a comma ends a field.
            func take(_ b: UInt8, at i: Int) -> Split? {
                if b == UInt8(ascii: ",") {
                    guard field < last else { return .unclean }
                    out[field] = RawCell(start: start, end: i, origin: start, encoding: .plain)
                    field += 1
                    start = i + 1
                    return nil
                }
                if b == UInt8(ascii: "\"") { return .quoted }
                if b >= 0x80 {
                    nonASCII = true
                    return nil
                }
                return .unclean
            }
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                var flags = notPlain(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                while flags != 0 {
                    let k = i + flags.trailingZeroBitCount >> 3
                    if let stop = take(file[k], at: k) { return stop }
                    flags &= flags &- 1
                }
                i += 8
            }
            while i < range.upperBound {
                let b = file[i]
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b < 0x20 || b >= 0x80, let stop = take(b, at: i) { return stop }
                i += 1
            }
            guard field == last else { return .unclean }
            out[field] = RawCell(start: start, end: range.upperBound, origin: start, encoding: .plain)
            return nil
        }
        if let outcome { return outcome }
        if nonASCII {
            // Names in other scripts: each sequence must be whole UTF-8.
            var k = range.lowerBound
            while k < range.upperBound {
                if file[k] < 0x80 { k += 1; continue }
                guard let n = UTF8Validation.sequenceLength(file, at: k), k + n <= range.upperBound else { return .unclean }
                k += n
            }
        }
        return .split
    }

    /// The high bit of each byte of `w` that is a comma, a quote, below a
    /// space, or 0x80 and above. Exact for every byte: nothing carries from
    /// one byte into the next.
    @inline(__always)
    static func notPlain(_ w: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, highs: UInt64 = 0x8080_8080_8080_8080
        // Per byte, `(b & 0x7F) + n` sets the high bit when the low seven
        // bits reach 0x80 - n, and never carries into the next byte.
        let low = w & lows
        let control = low &+ 0x6060_6060_6060_6060
        let comma = (low ^ 0x2C2C_2C2C_2C2C_2C2C) &+ lows
        let quote = (low ^ 0x2222_2222_2222_2222) &+ lows
        // A byte is flagged when it is below 0x20, a comma or a quote (its
        // sum lacks the high bit), or 0x80 and above (its own high bit).
        return (~(control & comma & quote) | w) & highs
    }

    /// The general reader: every problem of the file, as diagnostics.
    private func readReportingProblems(_ fileBytes: [UInt8], keepRows: Bool) -> (DigestBuilder?, [Diagnostic]) {
        var source = CSVSource(bytes: fileBytes)
        let where_ = JournalDiagnostics(path: path, bytes: fileBytes)
        return fileBytes.withUnsafeBufferPointer { file in
            var builder = DigestBuilder(day: day, path: path, file: file, customers: customers, keepRows: keepRows)
            // The data files' header checks, under the journal's code.
            var diagnostics = HeaderCheck.problems(of: source, what: JournalFormat.columns.joined(separator: ","),
                                                   with: DataDiagnostics(path: path, bytes: fileBytes)).map { d -> Diagnostic in
                var d = d
                d.code = JournalCode.badHeader.rawValue
                return d
            }
            guard diagnostics.isEmpty else { return (builder, diagnostics) }
            guard source.columnNames == JournalFormat.columns else {
                let wrong = source.columnNames.indices.first { $0 >= JournalFormat.columns.count || source.columnNames[$0] != JournalFormat.columns[$0] }
                return (builder, [Diagnostic(.notADayFile, at: where_.point(wrong.map(source.location(ofColumn:)) ?? source.headerLocation))])
            }
            var problems = 0
            func report(_ d: Diagnostic) {
                problems += 1
                if problems <= JournalDayReader.maxListed { diagnostics.append(d) }
            }
            var row = RawRow()
            while source.next(into: &row) {
                if let first = row.problems.first {
                    let at = where_.point(CellLocation(rowLine: row.line, rowOffset: row.offset, offset: first.offset))
                    // A journal's cells hold no line breaks, so a row running over
                    // several lines began with a quote left open.
                    var notes: [String] = []
                    if case .point(_, let line, _, _) = at, line > row.line {
                        notes.append("the row starts on line \(row.line); a quote opened there is not closed on that line")
                    }
                    report(Diagnostic(.brokenRow(first), at: at, notes: notes))
                    if first.isFatal { break }
                    continue
                }
                if let issue = builder.add(row.cells, start: row.offset, line: row.line) { report(where_.diagnostic(issue)) }
            }
            builder.finish()
            if problems > JournalDayReader.maxListed {
                diagnostics.append(Diagnostic(.moreProblemsNotShown(count: problems - JournalDayReader.maxListed), at: .file(path: path)))
            }
            return (builder, diagnostics)
        }
    }
}

/// A problem with one cell of a day file.
struct JournalIssue: Error {
    var problem: JournalProblem
    var at: CellLocation
}

/// Turns offsets in a day file into the line, column and text a person reads.
struct JournalDiagnostics {
    let path: String
    let bytes: [UInt8]

    func point(_ location: CellLocation) -> Diagnostic.Location {
        let p = DataPosition.resolve(location, in: bytes)
        return .point(path: path, line: p.line, column: p.column, lineText: p.lineText)
    }

    func diagnostic(_ issue: JournalIssue) -> Diagnostic {
        Diagnostic(issue.problem, at: point(issue.at))
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

    private var ruleNames = FewNames()
    private var campaignNames = FewNames()
    private var unknownCustomerIDs = ByteInterner()
    /// Rule, action, value and channel cells as written, and what they say.
    private var actionIDs = ByteInterner()
    private var actions: [ActionCells] = []
    /// Per rule, per position in its decision: where those cells were last
    /// seen and what they said. A rule's decisions repeat the same actions,
    /// so most rows are settled by one comparison with these.
    private var knownActions: [[(span: Range<Int>, cells: ActionCells)]] = []

    /// The decision being read: its first row's cells and what they said.
    private var current = Current()
    private var reading = false
    private struct Current {
        var customerCell = RawCell.missing(at: 0)
        var ruleCell = RawCell.missing(at: 0)
        var campaignCell = RawCell.missing(at: 0)
        var status = DecisionStatus.sent
        var customer: Int32 = -1
        var rule: Int32 = 0
        var campaign: Int32 = -1
        var channels: Channels = []
        var line = 0
        /// Rows read so far.
        var rows = 0
    }
    /// Finds a decision given twice in the file.
    private var decisions = DecisionKeys()
    /// Decisions per rule and status, flat: `rule * statusCount + status.index`.
    private var statusCounts: [Int] = []
    private static let statusCount = DecisionStatus.allCases.count
    /// Statuses by the length of their names, and all their names' bytes
    /// in one array, held here so the hot loop reads them without looking up
    /// a global or holding an array per name.
    private let statusOfLength = JournalCells.statusOfLength
    private let statusNames = StatusNames()

    init(day: LocalDate, path: String, file: UnsafeBufferPointer<UInt8>, customers: CustomerIndex, keepRows: Bool) {
        digest = JournalDigest(day: day, path: path)
        cells = JournalCells(file: file)
        self.customers = customers
        self.keepRows = keepRows
        dayText = Array(day.description.utf8)
    }

    private typealias Column = JournalFormat.Column
    private typealias Issue = (_ problem: JournalProblem, _ column: Column) -> JournalIssue

    /// Checks one row; the first problem found, or nil.
    mutating func add(_ row: [RawCell], start: Int, line: Int) -> JournalIssue? {
        let c = cells
        func at(_ column: Column) -> CellLocation {
            CellLocation(rowLine: line, rowOffset: start, offset: row[column.rawValue].origin)
        }
        func issue(_ problem: JournalProblem, _ column: Column) -> JournalIssue {
            JournalIssue(problem: problem, at: at(column))
        }
        digest.rows += 1
        let date = row[Column.date.rawValue]
        if !c.equals(date, dayText) {
            let text = c.text(date)
            guard let written = LocalDate(parsing: text) else {
                return issue(.notADate(text, fileDay: digest.day), .date)
            }
            return issue(.otherDay(written, fileDay: digest.day), .date)
        }
        let customerCell = row[Column.customerID.rawValue], ruleCell = row[Column.rule.rawValue]
        let campaignCell = row[Column.campaign.rawValue]
        if c.isEmpty(customerCell) { return issue(.emptyCell("customer_id"), .customerID) }
        if c.isEmpty(ruleCell) { return issue(.emptyCell("rule"), .rule) }
        guard let status = statusNames.status(of: row[Column.status.rawValue], in: c, byLength: statusOfLength) else {
            return issue(.notAStatus(c.text(row[Column.status.rawValue])), .status)
        }
        // Empty in a live journal; a date and an amount where something filled them in.
        if !c.isEmpty(row[Column.redeemedOn.rawValue]) || !c.isEmpty(row[Column.cost.rawValue]) {
            for column in [Column.redeemedOn, .cost] where !c.isEmpty(row[column.rawValue]) {
                let text = c.text(row[column.rawValue])
                if column == .redeemedOn, LocalDate(parsing: text) == nil { return issue(.notARedemptionDate(text), column) }
                if column == .cost, Number(parsing: Substring(text)) == nil { return issue(.notACost(text), column) }
            }
        }

        // The decision: another action of the one being read, or a new one.
        if reading, c.equals(customerCell, current.customerCell), c.equals(ruleCell, current.ruleCell) {
            guard status == current.status else {
                return issue(.statusDiffers(status, from: current.status, line: current.line), .status)
            }
            guard c.equals(campaignCell, current.campaignCell) else {
                return issue(.campaignDiffers(line: current.line), .campaign)
            }
        } else if !startDecision(customerCell, ruleCell, campaignCell, status: status, line: line) {
            return issue(.secondDecision(customer: c.text(customerCell), rule: c.text(ruleCell)), .customerID)
        }

        // Its action: checked once per rule and position in the decision.
        let r = Int(current.rule), k = current.rows
        let spanRange = row[Column.rule.rawValue].origin ..< row[Column.status.rawValue].origin
        let span = UnsafeBufferPointer(rebasing: c.file[spanRange])
        let action: ActionCells
        if k < knownActions[r].count, JournalCells.same(span, UnsafeBufferPointer(rebasing: c.file[knownActions[r][k].span])) {
            action = knownActions[r][k].cells
        } else {
            if let id = actionIDs.id(of: span) {
                action = actions[Int(id)]
            } else {
                switch check(action: row, issue) {
                case .success(let checked):
                    action = checked
                    _ = actionIDs.intern(span)
                    actions.append(checked)
                case .failure(let problem):
                    return problem
                }
            }
            if k < knownActions[r].count { knownActions[r][k] = (spanRange, action) } else { knownActions[r].append((spanRange, action)) }
        }

        let codeCell = row[Column.couponCode.rawValue]
        if action.isCoupon, status == .sent {
            guard !c.isEmpty(codeCell) else {
                return issue(.sentCouponWithoutCode, .couponCode)
            }
            guard let code = c.withBytes(codeCell, { CouponCode(parsing: $0) }) else {
                return issue(.notACouponCode(c.text(codeCell)), .couponCode)
            }
            digest.codes.append(code)
            digest.codeLines.append(Int32(line))
            digest.couponsByRule[r] += 1
            if let faceValue = action.faceValue, current.campaign >= 0 {
                let k = Int(current.campaign)
                // A total past the range of exact numbers would be a wrong budget.
                guard let spent = digest.spent[k].adding(faceValue) else {
                    return issue(.spendingBeyondExact, .value)
                }
                digest.spent[k] = spent
            }
        } else if !c.isEmpty(codeCell) {
            return issue(.codeOnUnsentRow, .couponCode)
        }
        current.rows += 1
        if let channel = action.channel { current.channels.insert(Channels(channel)) }
        if keepRows {
            rows.append(JournalRow(customerID: c.text(customerCell), rule: c.text(ruleCell), action: c.text(row[Column.action.rawValue]),
                                   value: c.text(row[Column.value.rawValue]), channel: c.text(row[Column.channel.rawValue]), status: status,
                                   campaign: c.text(campaignCell), couponCode: c.text(codeCell)))
        }
        return nil
    }

    /// Ends the decision being read and starts the row's: its rule, customer
    /// and campaign found, and the day's counts told. False when the file
    /// already had a decision of the rule for the customer.
    private mutating func startDecision(_ customerCell: RawCell, _ ruleCell: RawCell, _ campaignCell: RawCell, status: DecisionStatus,
                                        line: Int) -> Bool {
        let c = cells
        closeDecision()
        let customer = c.withBytes(customerCell) { customers.row(of: $0) } ?? -1
        let rule = ruleNames.id(of: ruleCell, in: c)
        if rule.isNew {
            digest.ruleNames.append(c.text(ruleCell))
            statusCounts += repeatElement(0, count: DigestBuilder.statusCount)
            digest.couponsByRule.append(0)
            knownActions.append([])
        }
        var campaign: Int32 = -1
        if !c.isEmpty(campaignCell) {
            let found = campaignNames.id(of: campaignCell, in: c)
            if found.isNew {
                digest.campaignNames.append(c.text(campaignCell))
                digest.spent.append(.zero)
                digest.budgetRefused.append(false)
            }
            campaign = found.id
        }
        let customerKey = customer >= 0 ? UInt64(customer) : 1 << 40 | UInt64(c.withBytes(customerCell) { unknownCustomerIDs.intern($0).id })
        guard decisions.insert(customer: customerKey, rule: rule.id) else { return false }
        statusCounts[Int(rule.id) * DigestBuilder.statusCount + status.index] += 1
        if customer < 0 { digest.unknownCustomerDecisions += 1 }
        if status == .skippedBudget, campaign >= 0 { digest.budgetRefused[Int(campaign)] = true }
        current = Current(customerCell: customerCell, ruleCell: ruleCell, campaignCell: campaignCell, status: status,
                          customer: customer, rule: rule.id, campaign: campaign, channels: [], line: line, rows: 0)
        reading = true
        return true
    }

    /// What a row's action cells say, checked.
    private struct ActionCells {
        var isCoupon: Bool
        var channel: Channel?
        /// A coupon's face value.
        var faceValue: Number?
    }

    private func check(action row: [RawCell], _ issue: Issue) -> Result<ActionCells, JournalIssue> {
        let c = cells
        let actionCell = row[Column.action.rawValue], valueCell = row[Column.value.rawValue], channelCell = row[Column.channel.rawValue]
        var action = -1
        if !c.isEmpty(actionCell) {
            guard let a = c.index(of: actionCell, in: JournalCells.actionBytes) else {
                return .failure(issue(.notAnAction(c.text(actionCell)), .action))
            }
            action = a
        }
        var channel: Channel?
        if !c.isEmpty(channelCell) {
            guard let k = c.index(of: channelCell, in: JournalCells.channelBytes) else {
                return .failure(issue(.notAChannel(c.text(channelCell)), .channel))
            }
            channel = Channel.allCases[k]
        }
        if action < 0, !c.isEmpty(valueCell) || channel != nil {
            return .failure(issue(.valueWithoutAction, .action))
        }
        guard action == 0 else { return .success(ActionCells(isCoupon: false, channel: channel, faceValue: nil)) }
        guard let faceValue = JournalFormat.faceValue(ofCouponValue: Substring(c.text(valueCell))) else {
            return .failure(issue(.notACouponValue(c.text(valueCell)), .value))
        }
        return .success(ActionCells(isCoupon: true, channel: channel, faceValue: faceValue))
    }

    /// Ends the file, taking in its last decision.
    mutating func finish() {
        closeDecision()
        let n = DigestBuilder.statusCount
        digest.statusCounts = digest.ruleNames.indices.map { Array(statusCounts[$0 * n ..< ($0 + 1) * n]) }
    }

    private mutating func closeDecision() {
        guard reading else { return }
        reading = false
        let d = current
        guard d.status.counts, d.customer >= 0, d.rule <= Int32(UInt16.max) else { return }
        digest.counted.append(CountedDecision(customer: d.customer, rule: UInt16(d.rule), status: d.status, channels: d.channels))
    }
}

/// The statuses' names, one after another in one array.
private struct StatusNames {
    private let bytes: [UInt8]
    /// Where each status's name starts in `bytes`, by `DecisionStatus.index`; one more at the end.
    private let starts: [Int]

    init() {
        var bytes: [UInt8] = [], starts = [0]
        for s in DecisionStatus.allCases {
            bytes += s.rawValue.utf8
            starts.append(bytes.count)
        }
        self.bytes = bytes
        self.starts = starts
    }

    /// The status a cell names. Each status has a length of its own, so the
    /// length picks the one candidate to compare (a test keeps that true).
    func status(of cell: RawCell, in cells: JournalCells, byLength: [DecisionStatus?]) -> DecisionStatus? {
        let length = cell.end - cell.start
        guard length < byLength.count, let candidate = byLength[length] else { return nil }
        let k = candidate.index
        return bytes.withUnsafeBufferPointer { all in
            cells.withBytes(cell) { JournalCells.same($0, UnsafeBufferPointer(rebasing: all[starts[k]..<starts[k + 1]])) }
        } ? candidate : nil
    }
}

/// The decisions of a file, as customer and rule, to find one given twice.
///
/// Perk writes a day's decisions by customer, so as long as customers come
/// in order, a repeat can only be among the current customer's few rules;
/// a file out of that order is checked against all of its decisions.
private struct DecisionKeys {
    private var lastCustomer: UInt64?
    private var rulesOfLast: [Int32] = []
    /// Every decision's key, for the set made if the order breaks.
    private var keys: [UInt64] = []
    private var all: WordSet?

    mutating func insert(customer: UInt64, rule: Int32) -> Bool {
        let key = customer << 16 | UInt64(UInt16(truncatingIfNeeded: rule))
        keys.append(key)
        if all == nil, let last = lastCustomer, customer < last {
            var set = WordSet(minimumCapacity: keys.count * 2)
            for k in keys.dropLast() { set.insert(k) }
            all = set
        }
        if all != nil { return all!.insert(key) }
        if customer == lastCustomer {
            guard !rulesOfLast.contains(rule) else { return false }
        } else {
            lastCustomer = customer
            rulesOfLast.removeAll(keepingCapacity: true)
        }
        rulesOfLast.append(rule)
        return true
    }
}

/// Names that a day file repeats on every decision but has few of (rules,
/// campaigns), each given a number in order of first appearance. A few are
/// found by comparing with where each was first written, which is cheaper
/// than hashing; past `linearLimit` names, a hash table takes over.
private struct FewNames {
    private var firstCells: [RawCell] = []
    private var hashed = ByteInterner()
    private static let linearLimit = 32

    mutating func id(of cell: RawCell, in cells: JournalCells) -> (id: Int32, isNew: Bool) {
        if firstCells.count <= FewNames.linearLimit {
            let length = cell.end - cell.start
            var i = 0
            while i < firstCells.count {
                let first = firstCells[i]
                if first.end - first.start == length, cells.equals(cell, first) { return (Int32(i), false) }
                i += 1
            }
        } else if let id = cells.withBytes(cell, { hashed.id(of: $0) }) {
            return (id, false)
        }
        firstCells.append(cell)
        _ = cells.withBytes(cell) { hashed.intern($0) }
        return (Int32(firstCells.count - 1), true)
    }
}

/// Reads cells of a day file. It holds only the file's bytes, so the checks
/// can pass it around and capture it for nothing.
struct JournalCells {
    let file: UnsafeBufferPointer<UInt8>

    func withBytes<R>(_ cell: RawCell, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if cell.encoding == .plain { return body(UnsafeBufferPointer(rebasing: file[cell.start..<cell.end])) }
        return CellValues(file: file).decodedBytes(of: cell).withUnsafeBufferPointer(body)
    }

    func text(_ cell: RawCell) -> String {
        withBytes(cell) { String(decoding: $0, as: UTF8.self) }
    }

    func isEmpty(_ cell: RawCell) -> Bool { cell.end == cell.start }

    @inline(__always)
    func equals(_ cell: RawCell, _ bytes: [UInt8]) -> Bool {
        if cell.encoding == .plain {
            return bytes.withUnsafeBufferPointer { JournalCells.same(UnsafeBufferPointer(rebasing: file[cell.start..<cell.end]), $0) }
        }
        return withBytes(cell) { x in bytes.withUnsafeBufferPointer { JournalCells.same(x, $0) } }
    }

    @inline(__always)
    func equals(_ a: RawCell, _ b: RawCell) -> Bool {
        if a.encoding == .plain, b.encoding == .plain {
            return JournalCells.same(UnsafeBufferPointer(rebasing: file[a.start..<a.end]), UnsafeBufferPointer(rebasing: file[b.start..<b.end]))
        }
        return withBytes(a) { x in withBytes(b) { y in JournalCells.same(x, y) } }
    }

    /// Byte equality by `memcmp`: called several times for each of
    /// millions of rows, and quick even in a debug build.
    ///
    /// Cells are short, so they are compared a word at a time here rather
    /// than through a call to `memcmp`.
    @inline(__always)
    static func same(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = x.count
        guard n == y.count else { return false }
        guard n > 0, let xs = x.baseAddress, let ys = y.baseAddress else { return true }
        let a = UnsafeRawPointer(xs), b = UnsafeRawPointer(ys)
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            // The last word may overlap the one before: it covers the tail.
            return i == n || a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        for i in 0..<n where xs[i] != ys[i] { return false }
        return true
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

    static let actionBytes = JournalFormat.actionNames.map { Array($0.utf8) }
    static let channelBytes = Channel.allCases.map { Array($0.rawValue.utf8) }

    /// Statuses by the length of their names.
    static let statusOfLength: [DecisionStatus?] = {
        var table = [DecisionStatus?](repeating: nil, count: 32)
        for s in DecisionStatus.allCases { table[s.rawValue.utf8.count] = s }
        return table
    }()
}
