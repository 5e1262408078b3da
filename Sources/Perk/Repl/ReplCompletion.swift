import Foundation

/// What Tab offers at the cursor: commands at the start of a line, columns
/// after `member.` and `orders.`, then derived fields, defines, enum values,
/// functions and keywords; rule names after `:run` and `:explain`, customer
/// ids after the rule, and files after `:load`.
extension ReplSession {
    public func completions(_ line: String, cursor: Int) -> Completion {
        let chars = Array(line)
        let before = Array(chars[0..<Swift.max(0, Swift.min(cursor, chars.count))])
        let beforeText = String(before)
        let leading = beforeText.prefix { $0 == " " || $0 == "\t" }
        if beforeText.dropFirst(leading.count).hasPrefix(":") {
            return commandCompletions(before, leading: leading.count)
        }
        var start = before.count
        while start > 0, Self.isNameCharacter(before[start - 1]) { start -= 1 }
        // Inside quotes there is nothing to complete.
        if before[..<start].filter({ $0 == "\"" }).count % 2 == 1 { return .none }
        if start > 0, before[start - 1] == "." {
            var owner = start - 1
            while owner > 0, Self.isNameCharacter(before[owner - 1]) { owner -= 1 }
            switch String(before[owner..<(start - 1)]) {
            case "member": return Self.matching(schema.customerFields.map(\.name), typed: before, from: start)
            case "orders": return Self.matching(schema.orderFields.map(\.name), typed: before, from: start)
            default: return .none
            }
        }
        let isFirstWord = before[..<start].allSatisfy { $0 == " " || $0 == "\t" }
        var words = isFirstWord ? Self.lineStarts : []
        words += expressionWords(inOrderFilter: Self.insideOrderFilter(String(before[..<start])))
        return Self.matching(words, typed: before, from: start)
    }

    /// The words that start with what was typed from `start`, each once, sorted.
    /// A quoted word also matches what was typed without the quote.
    static func matching(_ words: [String], typed before: [Character], from start: Int) -> Completion {
        let typed = String(before[start...])
        let fitting = words.filter { $0.hasPrefix(typed) || (!typed.hasPrefix("\"") && $0.hasPrefix("\"" + typed)) }
        return Completion(start: start, candidates: Array(Set(fitting)).sorted())
    }

    // MARK: - Words

    /// What a line can begin with.
    static let lineStarts = ["customers", "count", "customer", "top", "group", "rule", "define", "when", "campaign"]

    static let keywords = [
        "and", "or", "not", "in", "between", "contains", "starts", "with", "is", "missing", "present", "where", "next",
        "last", "within", "days", "weeks", "months", "years", "then", "by", "today", "true", "false", "member.", "orders",
        "send", "coupon", "message", "award", "points", "multiply", "set", "tier", "tag", "notify", "staff", "via",
        "max", "min", "spend", "valid", "for", "worth", "limit", "once", "per", "every", "priority", "customers",
    ] + Channel.allCases.map(\.rawValue)

    static let functions = Aggregate.allCases.map { $0.rawValue + "(" } + Builtin.allCases.map { $0.rawValue + "(" }

    private func expressionWords(inOrderFilter: Bool) -> [String] {
        var words = Self.keywords + Self.functions + DerivedField.allCases.map(\.rawValue)
        words += program.defines.map(\.name) + schema.enums.flatMap(\.cases)
        if schema.customerField("birthday") != nil { words.append("birthday") }
        if inOrderFilter { words += schema.orderFields.map(\.name) }
        return words
    }

    /// True when the cursor is inside `(orders ... where`, where order columns are names.
    static func insideOrderFilter(_ text: String) -> Bool {
        guard let orders = text.range(of: "orders", options: .backwards) else { return false }
        let after = text[orders.upperBound...]
        let opened = text[..<orders.lowerBound].filter { $0 == "(" }.count - text[..<orders.lowerBound].filter { $0 == ")" }.count
        return opened > 0 && after.contains("where") && !after.contains(")")
    }

    static func isNameCharacter(_ ch: Character) -> Bool {
        ch.isASCII && (ch.isLetter || ch.isNumber || ch == "_")
    }

    // MARK: - Commands

    private func commandCompletions(_ before: [Character], leading: Int) -> Completion {
        let text = String(before[leading...])
        guard let space = text.firstIndex(of: " ") else {
            return Self.matching(SessionCommand.allCases.map { ":" + $0.rawValue }, typed: before, from: leading)
        }
        let name = String(text[text.index(after: text.startIndex)..<space])
        let words = CommandWords.split(Array(text.utf8))
        // The word being typed starts after the last space (or at an open quote).
        let typedStart = Self.argumentStart(before)
        let isNewWord = typedStart == before.count
        let argument = words.count - (isNewWord ? 1 : 2)
        switch (name, argument) {
        case ("run", _), ("explain", 0):
            return Self.matching(program.rules.map { Self.quotedIfNeeded($0.name) }, typed: before, from: typedStart)
        case ("explain", _):
            let typed = String(before[typedStart...])
            guard !typed.isEmpty else { return .none }
            return Completion(start: typedStart, candidates: Array(data.customers.ids.filter { $0.hasPrefix(typed) }.prefix(200)))
        case ("load", _):
            return Completion(start: typedStart, candidates: Self.paths(completing: String(before[typedStart...])))
        default:
            return .none
        }
    }

    /// Where the argument under the cursor starts: after the last space that
    /// is not inside quotes.
    static func argumentStart(_ before: [Character]) -> Int {
        var start = 0
        var quoted = false
        for (i, ch) in before.enumerated() {
            if ch == "\"" {
                if !quoted { start = i }
                quoted.toggle()
            } else if ch == " ", !quoted {
                start = i + 1
            }
        }
        return start
    }

    static func quotedIfNeeded(_ name: String) -> String {
        name.allSatisfy { isNameCharacter($0) || $0 == "-" || $0 == "." || $0 == ":" } ? name : "\"\(name)\""
    }

    /// `.perk` files and folders whose path starts with `typed`.
    static func paths(completing typed: String) -> [String] {
        let folder = typed.contains("/") ? String(typed[...(typed.lastIndex(of: "/") ?? typed.startIndex)]) : ""
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        return entries.compactMap { name -> String? in
            guard !name.hasPrefix(".") else { return nil }
            var isDirectory: ObjCBool = false
            let path = folder + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return path + "/" }
            return name.hasSuffix(".perk") ? path : nil
        }.filter { $0.hasPrefix(typed) }.sorted()
    }
}
