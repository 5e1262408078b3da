extension OrderFieldSelection {
    /// The order fields that rules can read: each word of their sources that
    /// names one (`amount`, `store`), and what the derived fields they name
    /// are computed from (`total_spend` reads `amount`). Every word counts,
    /// whatever it means where it stands, so the selection may hold more than
    /// the rules read but never less; it is worked out from the text alone,
    /// before the data the checker needs is loaded.
    public static func named(in sources: [SourceFile]) -> OrderFieldSelection {
        var names: Set<String> = []
        for source in sources {
            var lexer = Lexer(source)
            while true {
                let token = lexer.next()
                if token.kind == .end { break }
                guard token.kind == .word else { continue }
                names.insert(token.text)
                if let derived = DerivedField(rawValue: token.text) { names.formUnion(derived.orderFieldsRead) }
            }
        }
        return .only(names)
    }
}
