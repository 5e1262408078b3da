import XCTest
@testable import Perk

final class OrderFieldsNamedTests: XCTestCase {
    private func named(_ rules: String...) -> OrderFieldSelection {
        .named(in: rules.enumerated().map { SourceFile(path: "r\($0.offset).perk", text: $0.element) })
    }

    func testWordsAndWhatTheirDerivedFieldsReadAreSelected() {
        let selection = named("when days_since_visit > 30 then tag \"store\"",
                              "define big = total_spend > 100\nwhen any(orders where channel == \"app\") then tag \"x\"")
        XCTAssertTrue(selection.includes("channel"))
        XCTAssertTrue(selection.includes("amount"), "total_spend is a sum of amounts")
        XCTAssertFalse(selection.includes("store"), "text in quotes names nothing")
        XCTAssertFalse(selection.includes("items"))
        XCTAssertFalse(selection.includes("discount"))
        XCTAssertTrue(named("when favorite_item == \"Taro\" then tag \"x\"").includes("items"))
        XCTAssertTrue(named("when avg_order_value > 20 then tag \"x\"").includes("amount"))
        XCTAssertFalse(named("when visit_count > 2 then tag \"x\"").includes("amount"))
        XCTAssertTrue(OrderFieldSelection.all.includes("anything"))
    }
}
