import XCTest
@testable import Perk

final class CheckerTests: XCTestCase {
    private func firstProblem(_ source: String) -> String? {
        TestShop.compile(source).diagnostics.first.map { d in d.description + (d.help.map { " | help: \($0)" } ?? "") }
    }

    func testMustWorkExamplesCheck() throws {
        XCTAssertEqual(TestShop.compile(Examples.smallest).diagnostics.map(\.description), [])
        let spring = TestShop.compile(Examples.springWinback)
        XCTAssertEqual(spring.diagnostics.map(\.description), [])
        let program = try XCTUnwrap(spring.program)
        // Priority 10 runs first, then file order.
        XCTAssertEqual(program.rules.map(\.name), ["VIP win-back", "Birthday treat", "Less-sugar fans", "Complaint recovery"])
        XCTAssertEqual(program.rules[0].cooldown, Cooldown(count: 1, period: Duration(30, .days)))
        XCTAssertNil(program.rules[0].lifetimeLimit)
        XCTAssertEqual(program.campaigns[0].rules.map { program.rules[$0].name }, ["VIP win-back", "Complaint recovery"])
        XCTAssertEqual(program.rules[2].actions[0].coupon, Coupon(value: .percent(Number(15), max: Number(10)), validDays: 14, minSpend: nil))
        XCTAssertEqual(program.rules[0].actions[0].channel, .sms)
        XCTAssertNotNil(program.rules[0].actions[0].consentSlot, "sms_opt_in is a column of the test shop")
    }

    func testOneLineRuleIsNamedAfterFileAndLine() throws {
        let c = TestShop.compile("# header\n\nwhen visit_count > 1 then tag \"x\"\n", path: "rules/winback.perk")
        XCTAssertEqual(c.program?.rules.map(\.name), ["winback.perk:3"])
    }

    func testDeclarationsInAnyOrder() {
        let source = """
        campaign "c"
          rules "late"
        rule "late"
          when early
          then tag "x"
        define early = later and visit_count > 0
        define later = member.tier >= GOLD
        """
        XCTAssertEqual(TestShop.compile(source).diagnostics.map(\.description), [])
    }

    func testErrors() {
        let cases: [(String, String)] = [
            ("when days_since_vist > 30 then send coupon 20",
             "t.perk:1:6: error[P101]: unknown name `days_since_vist`; did you mean `days_since_visit`?"),
            ("when member.tier > 30 then send coupon 20",
             "t.perk:1:6: error[P102]: cannot compare `member.tier` (a tier) with `30` (a number) | help: tier is one of MEMBER, SILVER, GOLD, VIP, like `member.tier >= GOLD`"),
            ("when days_since_visit == \"VIP\" then send coupon 20",
             "t.perk:1:6: error[P102]: cannot compare `days_since_visit` (a number) with `\"VIP\"` (a text)"),
            ("when member.tier == VIPP then tag \"x\"",
             "t.perk:1:21: error[P103]: `VIPP` is not a tier; did you mean `VIP`? | help: tier is one of MEMBER, SILVER, GOLD, VIP"),
            ("when member.tier in [GOLD, Vip] then tag \"x\"",
             "t.perk:1:28: error[P103]: `Vip` is not a tier; did you mean `VIP`? | help: tier is one of MEMBER, SILVER, GOLD, VIP"),
            ("when member.teir == VIP then tag \"x\"",
             "t.perk:1:13: error[P101]: unknown field `member.teir`; did you mean `member.tier`? | help: the customer columns come from test customers"),
            ("when member.days_since_visit > 3 then tag \"x\"",
             "t.perk:1:6: error[P101]: `days_since_visit` is derived from orders, not a customer column | help: write `days_since_visit` without `member.`"),
            ("when points > 3 then tag \"x\"",
             "t.perk:1:6: error[P101]: unknown name `points`; did you mean `member.points`? | help: customer columns are written `member.points`"),
            ("when days_since_visit > 30 days then tag \"x\"",
             "t.perk:1:6: error[P102]: cannot compare `days_since_visit` (a number) with `30 days` (a duration) | help: `days_since_visit` is a number of days; write `> 30`"),
            ("when visit_count then tag \"x\"",
             "t.perk:1:6: error[P112]: a condition must be true or false, but this is a number | help: compare it with something, like `> 30` or `== VIP`"),
            ("when count(orders in last 30) > 1 then tag \"x\"",
             "t.perk:1:27: error[P117]: `30` needs a unit after `in last`: days, weeks, months or years | help: write `30 days`"),
            ("when orders > 1 then tag \"x\"",
             "t.perk:1:6: error[P110]: `orders` is a list of orders, not a value | help: wrap it in count, sum, avg, min, max, any or all, like `count(orders in last 30 days)`"),
            ("when sum(orders in last 30 days) > 1 then tag \"x\"",
             "t.perk:1:6: error[P111]: `sum` needs a number column to add up | help: like `sum(orders.amount in last 90 days)`"),
            ("when any(orders where chanel == \"app\") then tag \"x\"",
             "t.perk:1:23: error[P101]: unknown name `chanel`; did you mean `channel`?"),
            ("when member.birthday == missing then tag \"x\"",
             "t.perk:1:25: error[P101]: unknown name `missing` | help: to test for a missing value, write `x is missing` or `x is present`"),
            ("when true then send coupon 20 via sns",
             "t.perk:1:35: error[P105]: unknown channel `sns`; did you mean `sms`? | help: channels are sms, wechat, email and app"),
            ("when true then send coupon -5",
             "t.perk:1:28: error[P104]: a coupon must be worth more than 0, not -5"),
            ("when true then send coupon 150%",
             "t.perk:1:28: error[P104]: a percentage coupon must take off more than 0% and at most 100%, not 150%"),
            ("when true then set tier PLATINUM",
             "t.perk:1:25: error[P103]: `PLATINUM` is not a tier | help: tier is one of MEMBER, SILVER, GOLD, VIP"),
            ("when true then send coupon \"FREE-TOPPING\"",
             "t.perk:1:28: error[P104]: a named coupon needs its face value, so budgets and costs add up | help: write `send coupon \"FREE-TOPPING\" worth 6`"),
            ("define a = b\ndefine b = a\nwhen a then tag \"x\"",
             "t.perk:1:8: error[P108]: define `a` refers to itself through `b` | help: a define must be built from other fields"),
            ("define a = a and true\nwhen a then tag \"x\"",
             "t.perk:1:8: error[P108]: define `a` refers to itself | help: a define must be built from other fields"),
            ("rule \"r\" when true then tag \"x\"\nrule \"r\" when true then tag \"y\"",
             "t.perk:2:6: error[P106]: rule \"r\" is declared twice | help: give each rule its own name"),
            ("rule \"r\" when true then tag \"x\"\ncampaign \"c\" rules \"R\"",
             "t.perk:2:20: error[P107]: campaign names rule \"R\", which does not exist; did you mean \"r\"?"),
            ("rule \"r\" when true then tag \"x\"\ncampaign \"c\" from 2025-03-31 to 2025-03-01 holdout 10% rules \"r\"",
             "t.perk:2:19: error[P104]: the campaign ends (2025-03-01) before it starts (2025-03-31) | help: swap the dates"),
            ("rule \"r\" when true then tag \"x\"\ncampaign \"c\" holdout 150% rules \"r\"",
             "t.perk:2:22: error[P104]: a holdout must be at least 0% and less than 100%, not 150%"),
            ("when date(\"2025-02-30\") < today then tag \"x\"",
             "t.perk:1:11: error[P118]: \"2025-02-30\" is not a date: February 2025 has 28 days | help: write dates as YYYY-MM-DD"),
            ("when date(\"0000-12-31\") < today then tag \"x\"",
             "t.perk:1:11: error[P118]: \"0000-12-31\" is not a date: years run from 0001 to 9999 | help: write dates as YYYY-MM-DD"),
            ("when member.joined > 0000-01-01 then tag \"x\"",
             "t.perk:1:22: error[P007]: 0000-01-01 is not a date: years run from 0001 to 9999"),
            ("when visit_count / 0 > 1 then tag \"x\"",
             "t.perk:1:20: error[P104]: division by zero"),
            ("when today + 3 > today then tag \"x\"",
             "t.perk:1:6: error[P102]: cannot apply `+` to `today` (a date) and `3` (a number) | help: add a duration to a date, like `today + 3 days`"),
            ("when member.points > 3 and member.nme == \"x\" and member.tier == VIPP then tag \"x\"",
             "t.perk:1:35: error[P101]: unknown field `member.nme`; did you mean `member.name`? | help: the customer columns come from test customers"),
        ]
        for (source, expected) in cases {
            XCTAssertEqual(firstProblem(source), expected, source)
        }
    }

    func testItemNamesResolveToIdsAndTyposAreWarned() throws {
        let ok = TestShop.compile("when any(orders where items contains \"Oolong Milk Tea\") then tag \"x\"")
        XCTAssertEqual(ok.diagnostics.map(\.description), [])
        guard case .aggregate(_, let plan)? = ok.program?.rules.first?.condition.node,
              case .orderHasItem(let id, _, _)? = plan.filter?.node else { return XCTFail("expected an item id test") }
        XCTAssertEqual(TestShop.orderTable.itemNames[Int(id)], "Oolong Milk Tea")

        let typo = TestShop.compile("when any(orders where items contains \"Oolong Milk Tee\") then tag \"x\"")
        XCTAssertNotNil(typo.program, "a warning does not stop the rules")
        XCTAssertEqual(typo.diagnostics.map(\.description),
                       ["t.perk:1:38: warning[P115]: no order has the item \"Oolong Milk Tee\"; did you mean \"Oolong Milk Tea\"?"])
        XCTAssertEqual(typo.diagnostics.first?.fixIt?.replacement, "\"Oolong Milk Tea\"")
    }

    func testBirthdayWithoutABirthdayColumn() {
        var customers = TestShop.customers
        customers.columns.remove(at: 2)
        let schema = Schema(customers: customers, orders: TestShop.orderTable)
        let c = Compiler.compile([SourceFile(path: "t.perk", text: "when birthday in next 3 days then tag \"x\"")], schema: schema)
        XCTAssertEqual(c.diagnostics.first?.help, "`birthday` reads the customers' birthday column, which test customers does not have")
    }

    func testIndependentErrorsAreAllReported() {
        let source = """
        when member.nme == "x" then tag "a"
        when member.tier == VIPP then tag "b"
        when days_since_vist > 3 then tag "c"
        """
        XCTAssertEqual(TestShop.compile(source).diagnostics.map(\.code), ["P101", "P103", "P101"])
    }

    func testEnumSymbolsResolveOnEitherSide() {
        for s in ["when VIP == member.tier then tag \"x\"", "when member.tier >= GOLD then tag \"x\"",
                  "when member.tier == \"VIP\" then tag \"x\"", "when GOLD in [member.tier] then tag \"x\""] {
            XCTAssertEqual(TestShop.compile(s).diagnostics.map(\.description), [], s)
        }
    }
}
