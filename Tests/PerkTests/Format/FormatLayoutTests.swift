import XCTest
@testable import Perk

/// One row per layout decision: the input, and the file `perk fmt` makes of it
/// (README: `perk fmt`). Each expected text is itself formatted (checked below).
final class FormatLayoutTests: XCTestCase {
    private let rows: [(name: String, input: String, expected: String)] = [
        ("a named rule on one line gets one clause a line, indented two",
         #"rule "VIP win-back" priority 10 when member.tier==VIP and days_since_visit>60 then send coupon 20.00 via sms limit once per customer every 30 days"# + "\n",
         """
         rule "VIP win-back"
           priority 10
           when member.tier == VIP and days_since_visit > 60
           then send coupon 20.00 via sms
           limit once per customer every 30 days

         """),
        ("a one-line rule stays on one line while its condition fits, its actions past the width",
         "when member.tier == VIP and days_since_visit > 60   then send coupon 20 via sms limit once per customer every 30 days\n",
         "when member.tier == VIP and days_since_visit > 60 then send coupon 20 via sms limit once per customer every 30 days\n"),
        ("a long condition breaks before each `and`, the operands aligned under the first",
         #"rule "Less-sugar fans" when member.sugar_pref == "less" and any(orders in last 60 days where items contains "Jasmine Green Tea") then tag "x""# + "\n",
         """
         rule "Less-sugar fans"
           when member.sugar_pref == "less"
            and any(orders in last 60 days where items contains "Jasmine Green Tea")
           then tag "x"

         """),
        ("a one-line rule whose condition breaks takes one clause a line",
         #"when visit_count between 1 and 3 and total_spend between 100 and 2000 and days_since_visit between 10 and 20 then tag "x" limit once per customer"# + "\n",
         """
         when visit_count between 1 and 3
          and total_spend between 100 and 2000
          and days_since_visit between 10 and 20
         then tag "x"
         limit once per customer

         """),
        ("`or` binds loosest: a chain breaks at its `or`s, and an `and` chain inside one breaks under its first operand",
         #"when (member.tier == VIP or member.tier == GOLD and visit_count > 3 and total_spend > 1000 and days_since_visit < 30 and avg_order_value > 20) and days_since_visit > 60 then tag "x""# + "\n",
         """
         when (member.tier == VIP
            or member.tier == GOLD
               and visit_count > 3
               and total_spend > 1000
               and days_since_visit < 30
               and avg_order_value > 20)
          and days_since_visit > 60
         then tag "x"

         """),
        ("groups in brackets break inside only when still too long; a `where` chain aligns after `where`",
         #"rule "c" when count(orders in last 30 days where (channel == "delivery" or channel == "app") and amount >= 30 and (store == "SH-Jingan" or store == "SH-Xuhui")) >= 4 then tag "c""# + "\n",
         """
         rule "c"
           when count(orders in last 30 days where (channel == "delivery" or channel == "app")
                                               and amount >= 30
                                               and (store == "SH-Jingan"
                                                 or store == "SH-Xuhui")) >= 4
           then tag "c"

         """),
        ("a define's long value breaks the same way; CJK column names and quoted ones are kept",
         #"define d = member.tier == VIP and (days_since_visit > 60 or visit_count < 2) and member.城市 == "上海" and member."store name" == "静安寺店""# + "\n",
         """
         define d = member.tier == VIP
                and (days_since_visit > 60 or visit_count < 2)
                and member.城市 == "上海"
                and member."store name" == "静安寺店"

         """),
        ("spacing: calls, brackets, signs, lists, the policy's colon; numbers as written",
         "when a > -3 and b - 3 > 2*( 4 + -1 ) and x in [1,2,3] and not(y) then award points -5\ndefine c = count ( orders ) > 0\ncontact policy : at most 2 contacts per customer every 30 days\n",
         """
         when a > -3 and b - 3 > 2 * (4 + -1) and x in [1, 2, 3] and not (y) then award points -5
         define c = count(orders) > 0
         contact policy: at most 2 contacts per customer every 30 days

         """),
        ("comments: above a declaration, trailing a clause, between clauses, inside a broken condition, at the end",
         "# header\n\n# about a\nrule \"a\"\n  when member.tier == VIP # vip\n    # lapsed ones\n    and days_since_visit > 60 # lapsed\n  # the action\n  then tag \"x\" # tag\n# end\n",
         """
         # header

         # about a
         rule "a"
           when member.tier == VIP  # vip
            # lapsed ones
            and days_since_visit > 60  # lapsed
           # the action
           then tag "x"  # tag
         # end

         """),
        ("a comment inside an operand breaks the line there and the operand goes on deeper",
         "define d = days_since_visit > # days\n 60\n",
         """
         define d = days_since_visit >  # days
                      60

         """),
        ("indented comments right under a rule stay with its clauses; the next declaration's stay above it",
         "rule \"a\"\n  when x > 1\n  then tag \"y\"\n  # limit once per customer\n  # every 3 days\n# about b\nrule \"b\" when x > 2 then tag \"z\"\n    # end of b\n\n  # not b\n",
         """
         rule "a"
           when x > 1
           then tag "y"
           # limit once per customer
           # every 3 days

         # about b
         rule "b"
           when x > 2
           then tag "z"
           # end of b

         # not b

         """),
        ("a comment inside a one-line declaration breaks it there, the rest indented two",
         "contact policy: at most 2 # c\n contacts per customer every 30 days\n",
         "contact policy: at most 2  # c\n  contacts per customer every 30 days\n"),
        ("a comment inside a one-line rule gives it one clause a line",
         "when a > 1 # c1\nthen tag \"x\"\n",
         """
         when a > 1  # c1
         then tag "x"

         """),
        ("one blank line around declarations of several lines; runs of one-line ones keep the author's choice",
         "define a = 1 > 0\ndefine b = 2 > 0\n\n\n\ndefine c = 3 > 0\nrule \"r\" when a then tag \"x\"\ncampaign \"c\" from 2025-03-01 to 2025-03-31 rules \"r\"\nwhen b then tag \"y\"\n",
         """
         define a = 1 > 0
         define b = 2 > 0

         define c = 3 > 0

         rule "r"
           when a
           then tag "x"

         campaign "c"
           from 2025-03-01 to 2025-03-31
           rules "r"

         when b then tag "y"

         """),
        ("a named rule's `when` after its `then` stays on that line: at a line's start it would begin a new rule",
         #"rule "b" then tag "x" when visit_count > 1 limit 3 times per customer every 2 days"# + "\n",
         """
         rule "b"
           then tag "x" when visit_count > 1
           limit 3 times per customer every 2 days

         """),
        ("CRLF line ends, tabs and trailing spaces are layout",
         "rule \"a\"\r\n\twhen   member.tier == VIP   \r\n\tthen tag \"x\"  # t  \r\n",
         "rule \"a\"\n  when member.tier == VIP\n  then tag \"x\"  # t\n"),
        ("an empty file stays empty", "", ""),
        ("blank lines alone are nothing", "\n\n  \n", ""),
        ("a file of comments keeps them and one blank line between blocks",
         "# one\n# two\n\n\n\n   # three\n", "# one\n# two\n\n# three\n"),
        ("text keeps its escapes and money its decimals",
         #"rule "say \"hi\"" when member.name == "a\\b" then send coupon 20.50 min spend 30.00"# + "\n",
         """
         rule "say \\"hi\\""
           when member.name == "a\\\\b"
           then send coupon 20.50 min spend 30.00

         """),
    ]

    func testEachLayoutDecision() {
        for row in rows {
            XCTAssertEqual(format(row.input), row.expected, row.name)
            XCTAssertEqual(format(row.expected), row.expected, "formatted already: \(row.name)")
        }
    }

    /// The fallback for a new kind of declaration: its lines as written, only
    /// the spaces at their ends and before the first dropped.
    func testADeclarationLaidOutAsWrittenKeepsItsLines() {
        let text = "define a = 1 > 0\n  campaign \"c\"   from 2025-03-01 to 2025-03-31  \n      rules \"r\"  # r\nrule \"r\" when a then tag \"x\"\n"
        let source = SourceFile(path: "t.perk", text: text)
        var printer = FilePrinter(tokens: SourceTokens(source), width: Formatter.width)
        printer.layout = { declaration, tokens in
            if case .campaign(let c) = declaration { return .asWritten(tokens.indices(of: c.range)) }
            return DeclarationLayout(declaration, tokens: tokens)
        }
        XCTAssertEqual(printer.print(Parser.parse(source).0.declarations), """
            define a = 1 > 0

            campaign "c"   from 2025-03-01 to 2025-03-31
                  rules "r"  # r

            rule "r"
              when a
              then tag "x"

            """)
    }

    func testAFileWithSyntaxErrorsIsLeftAsItIsWithItsErrors() {
        let source = SourceFile(path: "broken.perk", text: "rule \"a\"\n  when member.tier == \n  then tag \"x\"\n")
        guard case .syntaxErrors(let diagnostics) = Formatter.format(source) else { return XCTFail("formatted a broken file") }
        XCTAssertEqual(DiagnosticRenderer().render(diagnostics).split(separator: "\n").first,
                       "broken.perk:2:22: error[P004]: expected a value after `==`, found the end of the line")
    }

    func testAnUnnamedRuleThatMovesIsNoted() {
        let source = SourceFile(path: "w.perk", text: "define a = 1 > 0\nrule \"r\" when a then tag \"x\"\nwhen a then tag \"y\"\n")
        guard case .formatted(let text) = Formatter.format(source) else { return XCTFail() }
        XCTAssertEqual(Formatter.renamedRules(source, text), [
            "perk fmt: note: the rule without a name at w.perk:3 is now on line 7, so plans and journals will call it w.perk:7; "
                + "give it a name (rule \"...\") to keep one name",
        ])
    }

    private func format(_ text: String) -> String? {
        switch Formatter.format(SourceFile(path: "t.perk", text: text)) {
        case .formatted(let out): return out
        case .syntaxErrors(let d): return "syntax errors: \(DiagnosticRenderer().render(d))"
        case .unsafe(let why): return "unsafe: \(why)"
        }
    }
}
