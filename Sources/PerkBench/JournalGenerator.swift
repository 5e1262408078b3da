import Foundation
import Perk

/// Writes a year of campaign journal for the benchmark: one file a day, rows
/// as `perk run --commit` writes them, for real customer ids and the rules'
/// real names and actions, with a spread of statuses and unique coupon codes.
///
/// The journal is made up rather than committed day by day (a year of
/// plans would take minutes), but it is read through the same checks as any
/// other, so a file the generator got wrong would fail the benchmark.
enum JournalGenerator {
    /// Decisions each status gets, out of 20: most are sent or stopped by a cooldown.
    static let statusWeights: [(DecisionStatus, Int)] = [
        (.sent, 8), (.skippedCooldown, 5), (.skippedConsent, 3), (.heldOut, 1), (.skippedLimit, 1), (.skippedBudget, 1), (.skippedExclusive, 1),
    ]

    /// Writes `days` days ending the day before `end` into `folder`, about
    /// `rowsPerDay` rows each; returns the number of rows written.
    static func write(to folder: String, program: CheckedProgram, customerIDs: [String], end: LocalDate, days: Int, rowsPerDay: Int) -> Int {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var issuer = CouponCodeIssuer(taken: [])
        var random = UInt64(0x5EED)
        func next(_ n: Int) -> Int {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Int((random >> 33) % UInt64(n))
        }
        let statuses = statusWeights.flatMap { Array(repeating: $0.0, count: $0.1) }
        let actionsPerRule = program.rules.map { max(1, $0.actions.count) }
        let meanActions = max(1, actionsPerRule.reduce(0, +) / max(1, actionsPerRule.count))
        var total = 0
        for d in 0..<days {
            let day = end.advanced(by: d - days)
            var out = CSVWriter.line(JournalFormat.columns)
            // Customers in id order, each with one or two of the rules in rule order.
            let decisions = rowsPerDay / meanActions
            let step = max(1, customerIDs.count / max(1, decisions / 2))
            var customer = next(step)
            var rows = 0
            while customer < customerIDs.count, rows < rowsPerDay {
                let first = next(program.rules.count)
                let second = next(program.rules.count)
                for r in Set([first, second]).sorted() {
                    let rule = program.rules[r], status = statuses[next(statuses.count)]
                    let campaign = rule.campaign.map { program.campaigns[$0].name } ?? ""
                    var coupons = 0
                    let actions: [(String, String, String, Bool)] = rule.actions.isEmpty ? [("", "", "", false)]
                        : rule.actions.map { ($0.name, $0.valueText, $0.channel?.rawValue ?? "", $0.coupon != nil) }
                    for (action, value, channel, isCoupon) in actions {
                        var code = ""
                        if isCoupon, status == .sent {
                            code = issuer.issue(rule: rule.name, customerID: customerIDs[customer], day: day, ordinal: coupons).description
                            coupons += 1
                        }
                        out += CSVWriter.line([day.description, customerIDs[customer], rule.name, action, value, channel, status.rawValue,
                                               "", "", campaign, code])
                        rows += 1
                    }
                }
                customer += 1 + next(step)
            }
            total += rows
            FileManager.default.createFile(atPath: folder + "/" + JournalFormat.fileName(of: day), contents: Data(out.utf8))
        }
        return total
    }
}
