@testable import Perk

/// Feeds lines to a REPL session over the test shop and returns what a user
/// would read: each reply's diagnostics (rendered) and output, in order.
struct ReplTranscript {
    var session: ReplSession

    init(day: LocalDate = TestShop.today) {
        let data = DataSet(customers: TestShop.customers, orders: TestShop.orderTable, isSample: false, report: LoadReport())
        session = ReplSession(data: data, day: day)
    }

    /// Every line of `text` in turn, then (unless `more` is coming) the end of input.
    mutating func run(_ text: String, more: Bool = false) -> String {
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let reply = session.feed(String(line)) { out += Self.shown(reply) }
        }
        if !more, let reply = session.finish() { out += Self.shown(reply) }
        return out
    }

    static func shown(_ reply: ReplSession.Reply) -> String {
        DiagnosticRenderer().render(reply.diagnostics) + reply.output
    }
}
