import XCTest

/// Runs the built `perk` binary on small data sets whose plans were worked out by hand.
final class RunCommandTests: XCTestCase {
    static let customers = """
    customer_id,name,tier,birthday,sms_opt_in,wechat_opt_in,sugar_pref,open_complaints
    C001,王芳,VIP,1990-01-03,true,true,less,0
    C002,"Li, Na",GOLD,,false,true,normal,1
    C003,Emily Zhang,VIP,1992-02-29,true,false,,0
    C004,张伟,MEMBER,1985-06-15,true,true,less,2

    """

    static let orders = """
    order_id,customer_id,ordered_at,amount,items,store,channel,discount,coupon_code
    O1,C001,2025-10-01T10:00:00,18.00,Jasmine Green Tea,SH-Jingan,store,,
    O2,C002,2025-12-20,36.50,Oolong Milk Tea;Taro Milk Tea,SH-Jingan,delivery,,
    O3,C003,2025-09-01T12:30,20.00,Jasmine Green Tea,SH-Xuhui,app,,
    O4,C004,2025-12-30T15:00:00,15.00,Jasmine Green Tea,SH-Xuhui,store,,
    O5,,2025-12-31T09:00:00,12.00,Lemon Black Tea,SH-Xuhui,store,,

    """

    static let rules = """
    when member.tier == VIP and days_since_visit > 30 then send coupon 20 via sms
    rule "Complaint" priority 5 when member.open_complaints > 0 then send coupon 10 via sms, tag "recovery"
    rule "Birthday" when birthday in next 3 days then send message "birthday" via wechat, award points 50
    rule "Sugar" when member.sugar_pref == "less" and any(orders in last 60 days where items contains "Jasmine Green Tea")
      then send coupon 15% max 10

    """

    private func shop(orders: String = RunCommandTests.orders) throws -> URL {
        try PerkProcess.folder(["customers.csv": Self.customers, "orders.csv": orders, "e2e.perk": Self.rules])
    }

    func testCSVPlanMatchesTheHandComputedOne() throws {
        let dir = try shop()
        let r = try PerkProcess.run(["run", dir.appendingPathComponent("e2e.perk").path, "--customers", dir.appendingPathComponent("customers.csv").path,
                                     "--orders", dir.appendingPathComponent("orders.csv").path, "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // As of 2026-01-01, the day after the latest order. Complaint (priority 5)
        // runs first; C002 has no sms consent; C003's Feb 29 birthday is not near.
        XCTAssertEqual(r.stdout, """
        customer_id,rule,action,value,channel
        C001,e2e.perk:1,coupon,20,sms
        C001,Birthday,message,birthday,wechat
        C001,Birthday,award_points,50,
        C003,e2e.perk:1,coupon,20,sms
        C004,Complaint,coupon,10,sms
        C004,Complaint,tag,recovery,
        C004,Sugar,coupon,15% max 10,

        """)
        XCTAssertTrue(r.stderr.contains("orders.csv:6:4: warning[D019]: 1 order has no customer_id (guest orders)"), r.stderr)
    }

    func testAsOfChangesTheDay() throws {
        let dir = try shop()
        let r = try PerkProcess.run(["run", dir.appendingPathComponent("e2e.perk").path, "--customers", dir.appendingPathComponent("customers.csv").path,
                                     "--orders", dir.appendingPathComponent("orders.csv").path, "--format", "csv", "--as-of", "2025-10-15"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // On 2025-10-15 only C003 is a lapsed VIP (C001 came on Oct 1, and bought
        // Jasmine Green Tea then, within 60 days), C004 had not bought any yet, and
        // C001's birthday is months away.
        XCTAssertEqual(r.stdout, """
        customer_id,rule,action,value,channel
        C001,Sugar,coupon,15% max 10,
        C003,e2e.perk:1,coupon,20,sms
        C004,Complaint,coupon,10,sms
        C004,Complaint,tag,recovery,

        """)
    }

    func testJSONAndTableFormats() throws {
        let dir = try shop()
        let base = ["run", dir.appendingPathComponent("e2e.perk").path, "--customers", dir.appendingPathComponent("customers.csv").path,
                    "--orders", dir.appendingPathComponent("orders.csv").path]
        let json = try PerkProcess.run(base + ["--format", "json"])
        XCTAssertEqual(json.status, 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["as_of"] as? String, "2026-01-01")
        let actions = object?["actions"] as? [[String: Any]]
        XCTAssertEqual(actions?.count, 7)
        XCTAssertEqual((actions?.last?["details"] as? [String: Any])?["face_value"] as? Int, 10)
        XCTAssertEqual((object?["decisions"] as? [String: Any])?["skipped_consent"] as? Int, 1)

        let table = try PerkProcess.run(base)
        XCTAssertEqual(table.status, 0)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        // Chinese names take two columns each; the next column still lines up.
        let header = try XCTUnwrap(lines.first { $0.hasPrefix("customer_id") })
        let ruleColumn = try XCTUnwrap(header.range(of: "rule")).lowerBound.utf16Offset(in: header)
        for line in lines where line.hasPrefix("C00") {
            let prefix = String(line.prefix { _ in true })
            var width = 0
            for ch in prefix {
                if width >= ruleColumn { break }
                width += ch.unicodeScalars.first!.value > 0x2E80 ? 2 : 1
            }
            XCTAssertEqual(width, ruleColumn, line)
        }
    }

    func testBadRulesFailWithDiagnosticsAndNoPlan() throws {
        let dir = try PerkProcess.folder(["bad.perk": "when member.tier == VIPP then send coupon 20\n"])
        let r = try PerkProcess.run(["run", dir.appendingPathComponent("bad.perk").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("bad.perk:1:21: error[P103]: `VIPP` is not a tier; did you mean `VIP`?"), r.stderr)
        XCTAssertTrue(r.stderr.contains("1 error, 0 warnings in 1 file; nothing was run."), r.stderr)
    }

    func testBadDataNamesFileLineAndColumn() throws {
        let broken = Self.orders.replacingOccurrences(of: "2025-12-20", with: "2025-02-30")
        let dir = try shop(orders: broken)
        let args = ["run", dir.appendingPathComponent("e2e.perk").path, "--customers", dir.appendingPathComponent("customers.csv").path,
                    "--orders", dir.appendingPathComponent("orders.csv").path, "--format", "csv"]
        let r = try PerkProcess.run(args)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("orders.csv:3:9: error["), r.stderr)
        XCTAssertTrue(r.stderr.contains("2025-02-30"), r.stderr)
        let skipping = try PerkProcess.run(args + ["--skip-bad-rows"])
        XCTAssertEqual(skipping.status, 0, skipping.stderr)
        XCTAssertTrue(skipping.stderr.contains("orders.csv:3:9: warning["), skipping.stderr)
        XCTAssertFalse(skipping.stdout.contains("C002"), "C002's only order was skipped")
    }

    func testBadCommandLinesExitTwoWithOneLine() throws {
        let cases: [[String]] = [["run"], ["run", "rules", "--format", "xml"], ["run", "rules", "--as-of", "2025-02-30"],
                                 ["run", "rules", "--custmers", "x.csv"], ["frobnicate"], ["sample-data"]]
        for args in cases {
            let r = try PerkProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertTrue(r.stderr.hasPrefix("perk"), "\(args): \(r.stderr)")
            XCTAssertLessThanOrEqual(r.stderr.split(separator: "\n").count, 2, "\(args): \(r.stderr)")
        }
        let typo = try PerkProcess.run(["run", "rules", "--custmers", "x.csv"])
        XCTAssertTrue(typo.stderr.contains("did you mean --customers?"), typo.stderr)
    }

    func testHelpFitsOnOneScreen() throws {
        for command in ["run", "lint", "sample-data"] {
            let r = try PerkProcess.run([command, "--help"])
            XCTAssertEqual(r.status, 0)
            XCTAssertTrue(r.stdout.hasPrefix("Usage: perk \(command)"), r.stdout)
            XCTAssertLessThanOrEqual(r.stdout.split(separator: "\n", omittingEmptySubsequences: false).count, 24, command)
        }
    }

    /// The files `sample-data` writes give the same plan as the built-in shop.
    func testSampleDataFilesMatchTheBuiltInShop() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-sample-\(UUID().uuidString)")
        let written = try PerkProcess.run(["sample-data", "--out", dir.path])
        XCTAssertEqual(written.status, 0, written.stderr)
        let fromFiles = try PerkProcess.run(["run", "rules", "--format", "csv", "--customers", dir.appendingPathComponent("customers.csv").path,
                                             "--orders", dir.appendingPathComponent("orders.csv").path])
        let builtIn = try PerkProcess.run(["run", "rules", "--format", "csv"])
        XCTAssertEqual(builtIn.status, 0, builtIn.stderr)
        XCTAssertTrue(builtIn.stderr.hasPrefix("Using the built-in sample shop"), builtIn.stderr)
        XCTAssertGreaterThan(builtIn.stdout.split(separator: "\n").count, 100)
        XCTAssertEqual(fromFiles.stdout, builtIn.stdout)
    }

    /// A customer whose orders add up past the range of exact numbers: `perk run`
    /// reports the rule's place and the customer (never "no orders", never a plan),
    /// and so do `simulate`, `explain`, `lint` with the data, and the REPL, which goes on.
    func testASumPastTheRangeIsAnErrorWithTheRuleAndTheCustomer() throws {
        let orders = Self.orders + """
        O6,C003,2025-10-02,9000000000000000000,Jasmine Green Tea,SH-Xuhui,app,,
        O7,C003,2025-10-03,9000000000000000000,Jasmine Green Tea,SH-Xuhui,app,,

        """
        let dir = try PerkProcess.folder(["customers.csv": Self.customers, "orders.csv": orders, "spend.perk": """
            # Big spenders: everyone else's total fits.
            rule "Big spenders"
              when member.tier == VIP and total_spend > 1000
              then send coupon 20

            """])
        let data = ["--customers", dir.appendingPathComponent("customers.csv").path, "--orders", dir.appendingPathComponent("orders.csv").path]
        let rules = dir.appendingPathComponent("spend.perk").path
        let expected = """
        \(rules):3:31: error[E001]: `total_spend` for customer C003 is beyond the numbers Perk can hold exactly
          |
        3 |   when member.tier == VIP and total_spend > 1000
          |                               ^^^^^^^^^^^
          = note: while evaluating rule "Big spenders" as of 2026-01-01
        """
        let run = try PerkProcess.run(["run", rules] + data + ["--format", "csv"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.contains(expected), run.stderr)
        XCTAssertTrue(run.stderr.hasSuffix("perk: a value could not be computed exactly; nothing was run.\n"), run.stderr)

        let simulate = try PerkProcess.run(["simulate", rules] + data + ["--from", "2025-12-30", "--to", "2025-12-31"])
        XCTAssertEqual(simulate.status, 1, simulate.stderr)
        XCTAssertTrue(simulate.stderr.contains("spend.perk:3:31: error[E001]: `total_spend` for customer C003"), simulate.stderr)

        let explain = try PerkProcess.run(["explain", rules] + data + ["--customer", "C003"])
        XCTAssertEqual(explain.status, 1, explain.stderr)
        XCTAssertTrue(explain.stdout.contains("└─ total_spend                          error: beyond Perk's exact numbers\n"), explain.stdout)
        XCTAssertTrue(explain.stdout.contains("Cannot decide: `total_spend` for customer C003"), explain.stdout)
        XCTAssertTrue(explain.stderr.contains(expected), explain.stderr)

        let lint = try PerkProcess.run(["lint", rules] + data)
        XCTAssertEqual(lint.status, 1, lint.stdout)
        XCTAssertTrue(lint.stdout.contains(expected), lint.stdout)

        let repl = try PerkProcess.run(["repl"] + data, stdin: "count customers where total_spend is missing\ncount customers\n")
        XCTAssertEqual(repl.status, 0, repl.stderr)
        XCTAssertTrue(repl.stderr.contains("<line 1>:1:23: error[E001]: `total_spend` for customer C003"), repl.stderr)
        XCTAssertEqual(repl.stdout, "4 of 4 customers (100.0%)\n")
    }
}
