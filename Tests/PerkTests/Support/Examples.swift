import Foundation

/// The brief's "must work" examples, verbatim.
enum Examples {
    /// Every rules file of `rules/`, then every perk block of the README and
    /// every example of the grammar: the rules the docs promise work.
    static func rulesAndDocs() throws -> [String] {
        var sources: [String] = []
        let folder = Repository.path("rules")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".perk") {
            sources.append(try String(contentsOfFile: folder + "/" + name, encoding: .utf8))
        }
        sources += DocsTests.blocks(in: try Repository.read("README.md"), from: "```perk", to: "```")
        sources += DocsTests.blocks(in: try Repository.read("grammar/perk.ebnf"), from: "(* Example:", to: "*)")
        return sources
    }

    static let smallest = "when member.tier == VIP and days_since_visit > 30 then send coupon 20\n"

    static let springWinback = """
    # rules/spring-winback.perk
    define lapsed = days_since_visit > 60
    define regular = count(orders in last 30 days) >= 4

    rule "VIP win-back"
      priority 10
      when member.tier == VIP and lapsed
      then send coupon 20 via sms
      limit once per customer every 30 days

    rule "Birthday treat"
      when birthday in next 3 days
      then send message "birthday" via wechat, award points 50

    rule "Less-sugar fans"
      when member.sugar_pref == "less" and any(orders in last 60 days where items contains "Jasmine Green Tea")
      then send coupon 15% max 10 valid for 14 days

    rule "Complaint recovery"
      when member.open_complaints > 0 and not lapsed
      then send coupon 20 via sms, tag "recovery", notify staff "call within 24 hours"

    campaign "Spring win-back"
      from 2025-03-01 to 2025-03-31
      budget 5000
      holdout 10%
      exclusive
      rules "VIP win-back", "Complaint recovery"

    """
}
