import XCTest

final class UnknownTextValueTests: XCTestCase {
    func testAColumnValueTheDataNeverHolds() {
        XCTAssertEqual(lintWarnings("rule \"Sugar\" when member.sugar_pref == \"Less\" then tag \"x\"").filter { $0.contains("P216") }, [
            "t.perk:1:40: warning[P216]: no customer has `member.sugar_pref` equal to \"Less\", so this test never holds as written | help: the data has \"less\"; text compares exactly, case included",
        ])
        XCTAssertEqual(lintWarnings("rule \"Sugar\" when member.sugar_pref in [\"less\", \"sweet\"] then tag \"x\"").filter { $0.contains("P216") }, [
            "t.perk:1:49: warning[P216]: no customer has `member.sugar_pref` equal to \"sweet\", so this test never holds as written | help: the data has \"less\", \"normal\"",
        ])
        XCTAssertEqual(lintWarnings("rule \"Sugar\" when member.sugar_pref == \"less\" then tag \"x\"").filter { $0.contains("P216") }, [])
    }

    func testWeekdayNames() {
        let bad = """
        define weekend = weekday(today) == "saturday" or weekday(today) == "Funday"
        rule "Weekend" when weekend then tag "weekend"
        """
        XCTAssertEqual(lintWarnings(bad).filter { $0.contains("P216") }, [
            "t.perk:1:36: warning[P216]: weekday() never gives \"saturday\", so this test never holds as written | help: did you mean \"Saturday\"? weekday() gives Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday",
            "t.perk:1:68: warning[P216]: weekday() never gives \"Funday\", so this test never holds as written | help: did you mean \"Sunday\"? weekday() gives Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday",
        ])
        XCTAssertEqual(lintWarnings("rule \"Weekdays\" when weekday(today) != \"sunday\" then tag \"x\"").filter { $0.contains("P216") }, [
            "t.perk:1:40: warning[P216]: weekday() never gives \"sunday\", so this test is always true as written | help: did you mean \"Sunday\"? weekday() gives Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday",
        ])
        XCTAssertEqual(lintWarnings("rule \"Weekend\" when weekday(today) in [\"Saturday\", \"Sunday\"] then tag \"weekend\"").filter { $0.contains("P216") }, [])
    }
}
