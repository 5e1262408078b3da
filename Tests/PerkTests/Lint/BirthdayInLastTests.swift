import XCTest

final class BirthdayInLastTests: XCTestCase {
    func testBadAndFixed() {
        XCTAssertEqual(lintWarnings("rule \"Birthday\" when birthday in last 7 days then tag \"bday\"").filter { $0.contains("P217") }, [
            "t.perk:1:22: warning[P217]: `birthday in last 7 days` compares the date of birth itself, years back, so it holds for nobody | help: for a birthday in the past 7 days or the coming ones, write `birthday within 7 days`; for the coming ones only, `birthday in next 7 days`",
        ])
        XCTAssertEqual(lintWarnings("rule \"Birthday\" when member.birthday in last 2 weeks then tag \"bday\"").filter { $0.contains("P217") }, [
            "t.perk:1:22: warning[P217]: `member.birthday in last 2 weeks` compares the date of birth itself, years back, so it holds for nobody | help: for a birthday in the past 14 days or the coming ones, write `member.birthday within 14 days`; for the coming ones only, `member.birthday in next 14 days`",
        ])
        for fixed in [
            "rule \"Birthday\" when birthday within 7 days then tag \"bday\"",
            "rule \"Birthday\" when birthday in next 7 days then tag \"bday\"",
            "rule \"New\" when member.joined in last 7 days then tag \"new\"",
        ] {
            XCTAssertEqual(lintWarnings(fixed).filter { $0.contains("P217") }, [], fixed)
        }
    }
}
