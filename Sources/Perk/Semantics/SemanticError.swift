/// Every message the checker can produce, with its stable code.
/// Codes P101–P199 are errors in meaning; the README lists them.
enum SemanticError {
    static func unknownName(_ name: String, suggestion: String?, help: String? = nil) -> (String, String, String?) {
        ("P101", "unknown name `\(name)`\(suggestion.map { "; did you mean `\($0)`?" } ?? "")", help)
    }

    static func unknownField(_ name: String, suggestion: String?, source: String) -> (String, String, String?) {
        ("P101", "unknown field `member.\(name)`\(suggestion.map { "; did you mean `member.\($0)`?" } ?? "")",
         "the customer columns come from \(source)")
    }

    static func typeMismatch(_ message: String, help: String? = nil) -> (String, String, String?) {
        ("P102", message, help)
    }

    static func unknownSymbol(_ symbol: String, of e: EnumType, suggestion: String?) -> (String, String, String?) {
        ("P103", "`\(symbol)` is not a \(e.name)\(suggestion.map { "; did you mean `\($0)`?" } ?? "")",
         "\(e.name) is one of \(e.cases.joined(separator: ", "))")
    }

    static func invalidValue(_ message: String, help: String? = nil) -> (String, String, String?) {
        ("P104", message, help)
    }

    static func unknownChannel(_ name: String) -> (String, String, String?) {
        let guess = Suggest.closest(to: name, among: Channel.allCases.map(\.rawValue))
        return ("P105", "unknown channel `\(name)`\(guess.map { "; did you mean `\($0)`?" } ?? "")",
                "channels are sms, wechat, email and app")
    }

    static func duplicate(_ what: String, _ name: String) -> (String, String, String?) {
        ("P106", "\(what) \"\(name)\" is declared twice", "give each \(what) its own name")
    }

    static func unknownRule(_ name: String, suggestion: String?) -> (String, String, String?) {
        ("P107", "campaign names rule \"\(name)\", which does not exist\(suggestion.map { "; did you mean \"\($0)\"?" } ?? "")", nil)
    }

    /// P116: a condition or define too large to evaluate, explain or reason about.
    static func tooLarge(_ what: String, _ e: Expansion) -> (String, String, String?) {
        if e.depth > Expansion.maxDepth {
            return ("P116", "\(what) is nested more than \(Expansion.maxDepth) levels deep once its defines are written out",
                    "build it from fewer layers of defines")
        }
        return ("P116", "\(what) is too large: written out with its defines, it has more than \(PlanReport.grouped(Expansion.maxSize)) parts",
                "a define used twice counts twice, so defines built on defines that each use the one before twice double at every step; "
                + "use each define once, or test the parts in separate rules")
    }

    static func definesTooDeep(_ name: String, below stack: [String]) -> (String, String, String?) {
        let chain = ([name] + stack.suffix(2).reversed()).map { "`\($0)`" }.joined(separator: " in ")
        return ("P116", "define `\(name)` is built from defines more than \(Expansion.maxDepth) deep (\(chain), ...)",
                "build it from fewer layers of defines")
    }

    static func cycle(_ path: [String]) -> (String, String, String?) {
        if path.count == 1 {
            return ("P108", "define `\(path[0])` refers to itself", "a define must be built from other fields")
        }
        return ("P108", "define `\(path[0])` refers to itself through \(path.dropFirst().map { "`\($0)`" }.joined(separator: ", "))",
                "a define must be built from other fields")
    }

    static func duplicateDefine(_ name: String) -> (String, String, String?) {
        ("P109", "define `\(name)` is declared twice", nil)
    }

    static func ordersOutsideAggregate() -> (String, String, String?) {
        ("P110", "`orders` is a list of orders, not a value",
         "wrap it in count, sum, avg, min, max, any or all, like `count(orders in last 30 days)`")
    }

    static func aggregateMisuse(_ message: String, help: String?) -> (String, String, String?) {
        ("P111", message, help)
    }

    static func notACondition(_ type: PerkType) -> (String, String, String?) {
        ("P112", "a condition must be true or false, but this is a \(type.shortName)",
         "compare it with something, like `> 30` or `== VIP`")
    }

    static func ruleInTwoCampaigns(_ rule: String, first: String) -> (String, String, String?) {
        ("P113", "rule \"\(rule)\" is already in campaign \"\(first)\"", "a rule belongs to at most one campaign")
    }
}
