/// Every problem the journal reports, with its code, message and help: the
/// journal's one catalogue of texts. Readers say which problem they found and
/// where; what a person reads about it is written here, once.
enum JournalProblem {
    // J000
    case moreProblemsNotShown(count: Int)
    case moreCodesIssuedTwice(count: Int)
    // J001
    case unreadableDayFile
    case unusableFolder(why: String)
    // J002
    case notADayFile
    // J003: a row's CSV is broken; the CSV reader's own words.
    case brokenRow(RowProblem)
    // J004
    case notADate(String, fileDay: LocalDate)
    case otherDay(LocalDate, fileDay: LocalDate)
    // J005
    case emptyCell(String)
    case notAStatus(String)
    case notARedemptionDate(String)
    case notACost(String)
    case notAnAction(String)
    case notAChannel(String)
    case valueWithoutAction
    case notACouponValue(String)
    case spendingBeyondExact
    // J006
    case sentCouponWithoutCode
    case notACouponCode(String)
    case codeOnUnsentRow
    case codeIssuedTwice(CouponCode)
    // J007
    case statusDiffers(DecisionStatus, from: DecisionStatus, line: Int)
    case campaignDiffers(line: Int)
    case secondDecision(customer: String, rule: String)
    // J008
    case impossibleDayFileName(String)

    var code: JournalCode {
        switch self {
        case .moreProblemsNotShown, .moreCodesIssuedTwice: .moreNotShown
        case .unreadableDayFile, .unusableFolder: .unreadable
        case .notADayFile: .badHeader
        case .brokenRow: .badRow
        case .notADate, .otherDay: .badDate
        case .emptyCell, .notAStatus, .notARedemptionDate, .notACost, .notAnAction, .notAChannel,
             .valueWithoutAction, .notACouponValue, .spendingBeyondExact: .badValue
        case .sentCouponWithoutCode, .notACouponCode, .codeOnUnsentRow, .codeIssuedTwice: .badCouponCode
        case .statusDiffers, .campaignDiffers, .secondDecision: .badDecision
        case .impossibleDayFileName: .badFileName
        }
    }

    /// Counting notes are notes; everything else stops the command.
    var severity: Diagnostic.Severity {
        switch self {
        case .moreProblemsNotShown, .moreCodesIssuedTwice: .note
        default: .error
        }
    }

    var message: String {
        switch self {
        case .moreProblemsNotShown(let n): "\(n) more problems in this file are not shown"
        case .moreCodesIssuedTwice(let n): "\(n) more coupon codes in this file are issued twice and not shown"
        case .unreadableDayFile: "cannot read the journal's day file"
        case .unusableFolder(let why): "cannot use the journal folder: \(why)"
        case .notADayFile: "this is not a journal day file: its columns must be \(JournalFormat.columns.joined(separator: ","))"
        case .brokenRow(let problem): problem.message
        case .notADate(let text, _): "`\(text)` is not a date" + LocalDate.problem(with: text)
        case .otherDay(let written, let day): "this row is dated \(written), but the file holds the decisions of \(day)"
        case .emptyCell(let column): "the \(column) is empty"
        case .notAStatus(let text): "`\(text)` is not a decision status" + Self.didYouMean(text, DecisionStatus.allCases.map(\.rawValue))
        case .notARedemptionDate(let text): "`\(text)` is not a date"
        case .notACost(let text): "`\(text)` is not an amount"
        case .notAnAction(let text): "`\(text)` is not an action" + Self.didYouMean(text, JournalFormat.actionNames)
        case .notAChannel(let text): "`\(text)` is not a channel" + Self.didYouMean(text, Channel.allCases.map(\.rawValue))
        case .valueWithoutAction: "the action is empty but the row has a value or channel"
        case .notACouponValue(let text): "`\(text)` is not a coupon's value"
        case .spendingBeyondExact: "the campaign's spending on this day, with this coupon, is beyond the numbers Perk can hold exactly"
        case .sentCouponWithoutCode: "a sent coupon without a coupon code"
        case .notACouponCode(let text): "`\(text)` is not a coupon code"
        case .codeOnUnsentRow: "a coupon code on a row that is not a sent coupon"
        case .codeIssuedTwice(let code): "coupon code \(code) is issued twice"
        case .statusDiffers(let status, let first, let line):
            "this row's status `\(status.rawValue)` differs from `\(first.rawValue)` on line \(line), for the same decision (customer and rule)"
        case .campaignDiffers(let line): "this row's campaign differs from line \(line)'s, for the same decision (customer and rule)"
        case .secondDecision(let customer, let rule): "customer \(customer) has a second decision of rule \"\(rule)\" on this day"
        case .impossibleDayFileName(let stem): "the file is named like a journal day, but \(stem) is not a date\(LocalDate.problem(with: stem))"
        }
    }

    var help: String? {
        switch self {
        case .notADayFile: "a journal folder holds only the files `perk run --commit` wrote; move other files elsewhere"
        case .brokenRow(let problem): problem.help
        case .notADate(_, let day): "every row of this file is dated \(day), the day its name gives"
        case .otherDay: "each committed day has its own file, named after it; a row of another day does not belong here"
        case .notAStatus: "a status is one of " + DecisionStatus.allCases.map(\.rawValue).joined(separator: ", ")
        case .notAnAction: "an action is one of " + JournalFormat.actionNames.joined(separator: ", ")
        case .notAChannel: "a channel is one of " + Channel.allCases.map(\.rawValue).joined(separator: ", ")
        case .valueWithoutAction: "only a rule without actions has a row with no action, and then no value either"
        case .notACouponValue: "a coupon's value is written as in the plan: `20`, `15% max 10` or `FREE-TOPPING worth 6`"
        case .spendingBeyondExact: "face values add up exactly; one this large or with this many decimals was not written by perk run"
        case .sentCouponWithoutCode: "every coupon sent has the code it was issued with"
        case .notACouponCode: "codes are ten characters in two groups, like 7KQ3M-X9PTH, without 0, O, 1 or I"
        case .codeOnUnsentRow: "only coupons with status `sent` are issued codes"
        case .codeIssuedTwice: "a coupon code is issued once; the file may have been edited or copied from another day"
        case .statusDiffers: "a decision has one status for all of its actions"
        case .secondDecision: "a rule decides once per customer and day; the file may have been edited or joined with another"
        case .impossibleDayFileName: "a committed day's file is named YYYY-MM-DD.csv; rename or move this one"
        case .moreProblemsNotShown, .moreCodesIssuedTwice, .unreadableDayFile, .unusableFolder, .notARedemptionDate, .notACost,
             .emptyCell, .campaignDiffers: nil
        }
    }

    private static func didYouMean(_ text: String, _ names: [String]) -> String {
        Suggest.closest(to: text, among: names).map { "; did you mean `\($0)`?" } ?? ""
    }
}

extension JournalProblem: DiagnosticMessage {}

extension Diagnostic {
    init(_ problem: JournalProblem, at location: Location, notes: [String] = []) { self.init(entry: problem, at: location, notes: notes) }
}
