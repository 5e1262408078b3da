import Foundation

/// Everything a journal folder remembers, read and checked: the committed
/// days, the decisions that counted on each, what each campaign spent and
/// the coupon codes issued. Commands read it once and ask it what they need.
public struct JournalHistory: Sendable {
    public let folder: JournalFolder
    /// One per committed day, in day order.
    let digests: [JournalDigest]
    /// Every coupon code issued.
    public let codes: CouponCodes

    public var days: [LocalDate] { digests.map(\.day) }
    public var latestDay: LocalDate? { digests.last?.day }
    public var isEmpty: Bool { digests.isEmpty }

    /// Reads every committed day of `folder`, on up to `workers` threads.
    /// Customers are matched to `customers` by id; the history is nil when
    /// any file is damaged, and the diagnostics say where.
    public static func read(_ folder: JournalFolder, customers: CustomerTable,
                            workers: Int = ProcessInfo.processInfo.activeProcessorCount) -> (JournalHistory?, [Diagnostic]) {
        let (days, problems) = folder.days()
        guard problems.isEmpty else { return (nil, problems) }
        let index = CustomerIndex(ids: customers.ids)
        var results = [(JournalDigest?, [Diagnostic])](repeating: (nil, []), count: days.count)
        let threads = max(1, min(workers, days.count))
        results.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for i in stride(from: thread, to: days.count, by: threads) {
                    slots[i] = readDay(days[i], of: folder, customers: index)
                }
            }
        }
        let diagnostics = results.flatMap(\.1)
        guard diagnostics.isEmpty else { return (nil, diagnostics) }
        let digests = results.compactMap(\.0)
        var codes = CouponCodes(minimumCapacity: digests.reduce(0) { $0 + $1.codes.count })
        var duplicates: [Diagnostic] = []
        for (d, digest) in digests.enumerated() {
            // Every code issued again, as a file's other problems are: the first of them listed, the rest counted.
            var again = 0
            for (k, code) in digest.codes.enumerated() where !codes.insert(code) {
                again += 1
                if again <= JournalDayReader.maxListed { duplicates.append(duplicateCode(code, at: (d, k), in: digests)) }
            }
            if again > JournalDayReader.maxListed {
                duplicates.append(Diagnostic(.moreCodesIssuedTwice(count: again - JournalDayReader.maxListed), at: .file(path: digest.path)))
            }
        }
        guard duplicates.isEmpty else { return (nil, duplicates) }
        return (JournalHistory(folder: folder, digests: digests, codes: codes), [])
    }

    private static func readDay(_ day: LocalDate, of folder: JournalFolder, customers: CustomerIndex) -> (JournalDigest?, [Diagnostic]) {
        JournalDayReader(path: folder.file(of: day), day: day, customers: customers).digest()
    }

    /// The rows of one committed day, as written.
    public func rows(of day: LocalDate, customers: CustomerTable) -> ([JournalRow]?, [Diagnostic]) {
        JournalDayReader(path: folder.file(of: day), day: day, customers: CustomerIndex(ids: customers.ids)).rows()
    }

    private static func duplicateCode(_ code: CouponCode, at second: (Int, Int), in digests: [JournalDigest]) -> Diagnostic {
        var first = second
        search: for (d, digest) in digests.enumerated() {
            for (k, c) in digest.codes.enumerated() where c == code {
                first = (d, k)
                break search
            }
        }
        let later = digests[second.0], earlier = digests[first.0]
        return Diagnostic(.codeIssuedTwice(code), at: codeLocation(code, line: Int(later.codeLines[second.1]), path: later.path),
                          notes: ["it was first issued at \(earlier.path):\(earlier.codeLines[first.1])"])
    }

    /// Where a code is on its line, with the line's text, as the day reader
    /// points at a cell. The file was read moments ago; if it cannot be read
    /// again, the line alone.
    private static func codeLocation(_ code: CouponCode, line: Int, path: String) -> Diagnostic.Location {
        guard let data = FileManager.default.contents(atPath: path) else { return .point(path: path, line: line, column: 1, lineText: nil) }
        let bytes = [UInt8](data)
        var start = 0, n = 1
        while n < line, let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            start = end + 1
            n += 1
        }
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        let text = Array(code.description.utf8)
        // The code is the row's last cell: its last occurrence on the line.
        var at = start
        if end - start >= text.count {
            for i in stride(from: end - text.count, through: start, by: -1) where bytes[i..<(i + text.count)].elementsEqual(text) {
                at = i
                break
            }
        }
        let p = DataPosition.resolve(CellLocation(rowLine: line, rowOffset: start, offset: at), in: bytes)
        return .point(path: path, line: p.line, column: p.column, lineText: p.lineText)
    }

    // MARK: What the commands ask

    /// Feeds `engine` every decision of the days before `day` (all days
    /// without one): limits and cooldowns by rule name, budgets by campaign
    /// name, contacts whatever their rule.
    public func seed(_ engine: inout DecisionEngine, program: CheckedProgram, before day: LocalDate? = nil) throws(RuntimeFailure) {
        let campaignIndex = Dictionary(program.campaigns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let ruleIndex = Dictionary(program.rules.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Most decisions change nothing later: those of rules with no limit or
        // cooldown, when no contact policy counts them. They are passed over.
        let remembersContacts = !program.contactPolicies.isEmpty
        for digest in digests where day.map({ digest.day < $0 }) ?? true {
            let rules = digest.ruleNames.map { ruleIndex[$0] }
            let limited = rules.map { r in r.map { program.rules[$0].lifetimeLimit != nil || program.rules[$0].cooldown != nil } ?? false }
            for d in digest.counted where limited[Int(d.rule)] || (remembersContacts && d.status == .sent && !d.channels.isEmpty) {
                engine.remember(PastDecision(day: digest.day, customer: Int(d.customer), rule: rules[Int(d.rule)],
                                             status: d.status, channels: d.channels))
            }
            for (k, name) in digest.campaignNames.enumerated() {
                guard let c = campaignIndex[name] else { continue }
                try engine.remember(spent: digest.spent[k], campaign: c, budgetRanOutOn: digest.budgetRefused[k] ? digest.day : nil,
                                    on: digest.day)
            }
        }
    }

    /// How many decisions the journal holds, and how many of them are for
    /// customers the data read with it does not have.
    public var decisions: (all: Int, ofCustomersNotInData: Int) {
        digests.reduce((0, 0)) { sum, d in
            (sum.0 + d.statusCounts.reduce(0) { $0 + $1.reduce(0, +) }, sum.1 + d.unknownCustomerDecisions)
        }
    }

    /// Rule names the journal holds that no rule of `program` has, sorted.
    public func rulesNotIn(_ program: CheckedProgram) -> [String] {
        let known = Set(program.rules.map(\.name))
        return Set(digests.flatMap(\.ruleNames)).subtracting(known).sorted()
    }

    /// The days on which one customer's decisions of a rule counted (sent or
    /// held out), before `day`, oldest first.
    public func countedDays(rule name: String, customer: Int, before day: LocalDate) -> [(day: LocalDate, status: DecisionStatus)] {
        var out: [(LocalDate, DecisionStatus)] = []
        for digest in digests where digest.day < day {
            guard let r = digest.ruleNames.firstIndex(of: name) else { continue }
            for d in digest.counted where Int(d.customer) == customer && Int(d.rule) == r {
                out.append((digest.day, d.status))
            }
        }
        return out
    }

    /// What a campaign spent on the days before `day`, by its name; nil past
    /// the range of exact numbers (seeding a decision engine reports that).
    public func spent(campaign name: String, before day: LocalDate) -> Number? {
        var total = Number.zero
        for digest in digests where digest.day < day {
            if let k = digest.campaignNames.firstIndex(of: name) {
                guard let sum = total.adding(digest.spent[k]) else { return nil }
                total = sum
            }
        }
        return total
    }
}

/// What one day's file holds, in a line: for `perk journal --undo-last`,
/// which can take back a day whose file is damaged, so it reads that file alone.
public struct JournalDaySummary: CustomStringConvertible {
    public var decisions: Int
    public var sent: Int
    public var codes: Int

    public var hasCodes: Bool { codes > 0 }

    /// Nil when the file cannot be read or is damaged.
    public init?(reading day: LocalDate, of folder: JournalFolder) {
        let (digest, _) = JournalDayReader(path: folder.file(of: day), day: day, customers: CustomerIndex(ids: [])).digest()
        guard let digest else { return nil }
        decisions = digest.statusCounts.reduce(0) { $0 + $1.reduce(0, +) }
        sent = digest.statusCounts.reduce(0) { $0 + $1[DecisionStatus.sent.index] }
        codes = digest.codes.count
    }

    public var description: String {
        "\(PlanReport.count(decisions, "decision")), \(PlanReport.grouped(sent)) sent, \(PlanReport.count(codes, "coupon code"))"
    }
}
