import Foundation

/// The REPL's engine, independent of any terminal: lines in, replies out.
///
/// It gathers lines into entries (a rule may take several lines), runs
/// queries against the data, and keeps the rules loaded from files or typed in
/// the session, compiled together as one program so rules, defines and
/// campaigns may refer to each other exactly as in a rules folder.
public struct ReplSession {
    /// What one entry produced.
    public struct Reply: Sendable {
        /// Results, for standard output.
        public var output: String
        /// Problems, rendered by the one `DiagnosticRenderer`.
        public var diagnostics: [Diagnostic]
        /// `:quit` was entered.
        public var quit: Bool
        /// The entry was stopped by its cancellation before it finished: it
        /// answers nothing and changed nothing.
        public var interrupted: Bool

        public init(output: String = "", diagnostics: [Diagnostic] = [], quit: Bool = false, interrupted: Bool = false) {
            self.output = output
            self.diagnostics = diagnostics
            self.quit = quit
            self.interrupted = interrupted
        }

        public var failed: Bool { diagnostics.hasErrors }
    }

    /// Declarations typed in the session: one entry each, named `<line N>`
    /// after the line it started on, so errors and unnamed rules say where.
    struct Entry {
        var file: RulesFile
        var text: String
        var firstLine: Int
        var lastLine: Int
    }

    public let data: DataSet
    public let schema: Schema
    /// Carries the running entry's cancellation, if any, into every evaluation.
    var interpreter: Interpreter
    /// The evaluation day: `today` in every expression, the day of `:run`.
    public internal(set) var day: LocalDate
    /// Everything loaded and declared, checked together.
    public internal(set) var program: CheckedProgram
    /// Files from `:load` and the command line.
    var loaded: [RulesFile] = []
    var entries: [Entry] = []

    private var pending: (text: String, firstLine: Int)?
    private var linesRead = 0
    /// The entry a `limit ...` line on its own would continue: the declaration
    /// entered just before it.
    private var amendable: Int?

    /// Rows of a customer table shown before "… and N more".
    static let rowsShown = 20

    public init(data: DataSet, day: LocalDate) {
        self.data = data
        self.day = day
        schema = Schema(customers: data.customers, orders: data.orders)
        interpreter = Interpreter(customers: data.customers, orders: data.orders)
        program = CheckedProgram(rules: [], campaigns: [], defines: [], schema: schema)
    }

    // MARK: - Lines and entries

    /// True while an entry is unfinished, so the prompt shows it continues.
    public var isContinuing: Bool { pending != nil }

    /// Reads one line. Returns nil while the entry it belongs to is unfinished;
    /// an empty line ends an unfinished entry as it stands. Cancelling
    /// `cancellation` (from another thread) stops the entry the line completes
    /// within a moment; its reply is then `interrupted`, and the session is as
    /// it was before the entry.
    public mutating func feed(_ line: String, cancellation: Cancellation? = nil) -> Reply? {
        linesRead += 1
        if var p = pending {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                pending = nil
                return submit(p.text, firstLine: p.firstLine, lastLine: linesRead - 1, cancellation: cancellation)
            }
            p.text += "\n" + line
            if EntryCompleteness.isUnfinished(p.text) {
                pending = p
                return nil
            }
            pending = nil
            return submit(p.text, firstLine: p.firstLine, lastLine: linesRead, cancellation: cancellation)
        }
        if EntryCompleteness.isUnfinished(line) {
            pending = (line, linesRead)
            return nil
        }
        return submit(line, firstLine: linesRead, lastLine: linesRead, cancellation: cancellation)
    }

    /// At the end of input: the unfinished entry, if any, as it stands.
    public mutating func finish(cancellation: Cancellation? = nil) -> Reply? {
        guard let p = pending else { return nil }
        pending = nil
        return submit(p.text, firstLine: p.firstLine, lastLine: linesRead, cancellation: cancellation)
    }

    /// Drops the unfinished entry (Ctrl-C at a continuation prompt).
    public mutating func cancelEntry() {
        pending = nil
    }

    /// An entry typed on several lines as the one line history keeps, so Up
    /// recalls it whole: each line without its comment and the spaces around
    /// it, joined by spaces (inside an entry a line break reads as a space).
    /// An entry of one line is kept as typed.
    public static func historyLine(_ lines: [String]) -> String {
        guard lines.count > 1 else { return lines.first ?? "" }
        return lines.map { line -> String in
            let tokens = Lexer.tokenize(SourceFile(path: "", text: line))
            let end = tokens.dropLast().last?.range.end ?? 0
            return String(decoding: Array(line.utf8)[..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    private mutating func submit(_ text: String, firstLine: Int, lastLine: Int, cancellation: Cancellation?) -> Reply {
        Self.shown(interruptible(cancellation) { $0.answer(text, firstLine: firstLine, lastLine: lastLine) })
    }

    /// A reply as it may be printed: names and values from the data and the
    /// rules (a customer's name in a profile's heading, a text's most common
    /// values) with their control characters escaped, as tables have them.
    static func shown(_ reply: Reply) -> Reply {
        var reply = reply
        reply.output = DisplayText.escaped(reply.output, keepingLineBreaks: true)
        return reply
    }

    /// Runs one entry with `cancellation` on the interpreter, so every loop
    /// over customers and orders can stop early. What an entry stopped that way
    /// computed is incomplete, so it is thrown away, and what it declared or
    /// loaded is taken back: an interrupted entry did nothing.
    mutating func interruptible(_ cancellation: Cancellation?, _ entry: (inout ReplSession) -> Reply) -> Reply {
        guard let cancellation else { return entry(&self) }
        let before = (loaded, entries, program, amendable, day)
        interpreter.cancellation = cancellation
        let reply = entry(&self)
        interpreter.cancellation = nil
        guard cancellation.isCancelled else { return reply }
        (loaded, entries, program, amendable, day) = before
        return Reply(interrupted: true)
    }

    /// True once the running entry was cancelled: loops stop at the next customer.
    var isCancelled: Bool {
        interpreter.cancellation?.isCancelled ?? false
    }

    private mutating func answer(_ text: String, firstLine: Int, lastLine: Int) -> Reply {
        let file = SourceFile(path: "<line \(firstLine)>", text: text)
        switch ReplInputParser.parse(file) {
        case .failure(let problems):
            amendable = nil
            return Reply(diagnostics: problems.diagnostics)
        case .success(.blank):
            return Reply()
        case .success(.declarations):
            return declare(file, firstLine: firstLine, lastLine: lastLine)
        case .success(.clause(let word)):
            return amend(file, word: word, firstLine: firstLine, lastLine: lastLine)
        case .success(let input):
            amendable = nil
            return run(input, in: file)
        }
    }

    // MARK: - Declarations

    /// Every file the session's program is made of.
    var rulesFiles: [RulesFile] { loaded + entries.map(\.file) }

    /// Adds the rules, defines and campaigns of one entry. A declaration with the
    /// name of one typed earlier in the session replaces it, so a rule can be
    /// refined by typing it again.
    private mutating func declare(_ file: SourceFile, firstLine: Int, lastLine: Int, replacing: Int? = nil) -> Reply {
        let (parsed, syntax) = Parser.parse(file)
        guard !syntax.hasErrors else {
            if replacing == nil { amendable = nil }
            return Reply(diagnostics: syntax)
        }
        let names = Set(parsed.declarations.compactMap(DeclarationName.init))
        var kept = entries
        if let replacing { kept.remove(at: replacing) }
        var replaced: Set<DeclarationName> = []
        for i in kept.indices {
            kept[i].file.declarations.removeAll { d in
                guard let name = DeclarationName(d), names.contains(name) else { return false }
                replaced.insert(name)
                return true
            }
        }
        kept.removeAll { $0.file.declarations.isEmpty }
        let (checked, found, _) = Compiler.checkAndBind(loaded + kept.map(\.file) + [parsed], schema: schema)
        let diagnostics = Self.news(found, about: [file.path])
        guard let checked, !diagnostics.hasErrors else {
            if replacing == nil { amendable = nil }
            return Reply(diagnostics: diagnostics)
        }
        entries = kept + [Entry(file: parsed, text: file.text, firstLine: firstLine, lastLine: lastLine)]
        program = checked
        amendable = entries.count - 1
        var failures: [Diagnostic] = []
        let lines = parsed.declarations.map { d -> String in
            let verb = replacing != nil ? "updated" : DeclarationName(d).map { replaced.contains($0) ? "replaced" : "added" } ?? "added"
            return describe(d, in: parsed.file, verb: verb, failures: &failures)
        }
        return Reply(output: lines.joined(separator: "\n") + "\n", diagnostics: diagnostics + failures)
    }

    /// `limit once per customer` on its own line: a clause of the declaration
    /// entered just before, as when a rule from a file is pasted line by line.
    private mutating func amend(_ file: SourceFile, word: String, firstLine: Int, lastLine: Int) -> Reply {
        guard let index = amendable, index < entries.count else {
            return Reply(diagnostics: [ReplError.nothingToContinue(word, at: SourceRange(0, word.utf8.count), in: file)])
        }
        let previous = entries[index]
        // Blank lines in between keep their place, so line numbers stay true.
        let gap = String(repeating: "\n", count: Swift.max(1, firstLine - previous.lastLine))
        let combined = SourceFile(path: previous.file.file.path, text: previous.text + gap + file.text)
        return declare(combined, firstLine: previous.firstLine, lastLine: lastLine, replacing: index)
    }

    /// A value the new declaration cannot compute for some customer goes into `failures`.
    private func describe(_ d: Declaration, in file: SourceFile, verb: String, failures: inout [Diagnostic]) -> String {
        switch d {
        case .rule(let r):
            let name = r.name?.value ?? "\(Checker.baseName(file.path)):\(file.lineColumn(of: r.range.start).line)"
            guard let index = program.ruleIndex(named: name) else { return "\(verb) rule \"\(name)\"" }
            let matches: Int
            do throws(Problems) { matches = try matchCount(program.rules[index]) } catch {
                failures += error.diagnostics
                return "\(verb) rule \"\(name)\": its matches on \(day) cannot be counted"
            }
            return "\(verb) rule \"\(name)\": \(ReplText.countOf(matches, data.customers.count)) match on \(day)"
        case .define(let def):
            guard let checked = program.defines.first(where: { $0.name == def.name.value }) else { return "\(verb) define \(def.name.value)" }
            guard checked.value.type == .bool else { return "\(verb) define \(def.name.value) (a \(checked.value.type.shortName))" }
            let n: Int
            do throws(Problems) { n = try selected(checked.value, in: checked.file).count } catch {
                failures += error.diagnostics
                return "\(verb) define \(def.name.value): cannot be computed for every customer on \(day)"
            }
            return "\(verb) define \(def.name.value): true for \(ReplText.countOf(n, data.customers.count)) on \(day)"
        case .campaign(let c):
            guard let campaign = program.campaigns.first(where: { $0.name == c.name.value }) else { return "\(verb) campaign \"\(c.name.value)\"" }
            let rules = campaign.rules.map { "\"\(program.rules[$0].name)\"" }.joined(separator: ", ")
            let running = campaign.isActive(on: day) ? "running on \(day)" : "not running on \(day)"
            return "\(verb) campaign \"\(campaign.name)\" with rules \(rules): \(running)"
        case .contactPolicy(let p):
            return "\(verb) contact policy: \(ExplanationText.oneLine(file.slice(p.allowanceRange)))"
        case .test(let t):
            // Tests are run by `perk test`; a session only keeps them.
            return "\(verb) test \"\(t.name.value)\" (run it with perk test)"
        }
    }

    /// What to tell about a new entry or file: every error (a replaced define
    /// can break a rule elsewhere), but only the new text's warnings, not those
    /// of every file checked again with it. Sorted and capped.
    static func news(_ diagnostics: [Diagnostic], about paths: Set<String>) -> [Diagnostic] {
        Compiler.capped(diagnostics.filter { d in
            if d.isError { return true }
            if case .source(let file, _)? = d.location { return paths.contains(file.path) }
            return true
        })
    }

    /// How many customers a rule's condition holds for on the session's day.
    func matchCount(_ rule: CheckedRule) throws(Problems) -> Int {
        try selected(rule.condition, in: rule.file, rule: rule.name).count
    }

    // MARK: - Expressions in a line

    /// Parses and checks the expression at `range` of a line, with the
    /// session's defines in scope.
    func expression(_ range: SourceRange, in file: SourceFile) -> Result<CheckedExpr, Problems> {
        let (checked, diagnostics) = check(range, in: file)
        guard let checked else { return .failure(Problems(diagnostics)) }
        return .success(checked)
    }

    private func check(_ range: SourceRange, in file: SourceFile) -> (CheckedExpr?, [Diagnostic]) {
        let (expr, syntax) = Parser.parseExpression(file, in: range)
        guard let expr else { return (nil, syntax) }
        return Compiler.checkAndBind(expr, in: file, schema: schema, context: rulesFiles)
    }

    /// The warnings about a query's expressions (an item no order has): they
    /// explain a surprising answer without stopping it.
    func warnings(_ input: ReplInput, in file: SourceFile) -> [Diagnostic] {
        let ranges: [SourceRange?]
        switch input {
        case .customers(let c), .count(let c): ranges = [c]
        case .top(_, let by, let c), .group(let by, let c): ranges = [by, c]
        case .expression(let r): ranges = [r]
        default: ranges = []
        }
        return ranges.compactMap { $0 }.flatMap { check($0, in: file).1.filter { !$0.isError } }
    }

    /// Like `expression`, for a condition: it must be true or false.
    func condition(_ range: SourceRange?, in file: SourceFile) -> Result<CheckedExpr?, Problems> {
        guard let range else { return .success(nil) }
        return expression(range, in: file).flatMap { e in
            guard e.type == .bool else {
                return .failure(Problems([SemanticError.notACondition(e.type).diagnostic(in: file, e.range)]))
            }
            return .success(e)
        }
    }
}

/// A declaration's kind and name, for replacing one typed earlier.
struct DeclarationName: Hashable {
    var kind: String
    var name: String

    init?(_ d: Declaration) {
        switch d {
        case .rule(let r):
            guard let name = r.name?.value else { return nil }
            (kind, self.name) = ("rule", name)
        case .define(let def): (kind, name) = ("define", def.name.value)
        case .campaign(let c): (kind, name) = ("campaign", c.name.value)
        // A policy has no name: one typed again is one more policy.
        case .contactPolicy: return nil
        case .test(let t): (kind, name) = ("test", t.name.value)
        }
    }
}

/// Wording shared by the REPL's replies.
enum ReplText {
    /// `312 of 3000 customers (10.4%)`. Counts are written without separators,
    /// so scripts can read them.
    static func countOf(_ n: Int, _ total: Int) -> String {
        "\(Figures.count(n)) of \(Figures.count(total)) customer\(total == 1 ? "" : "s") (\(share(n, of: total)))"
    }

    /// `10.4%`, rounded for display.
    static func share(_ n: Int, of total: Int) -> String {
        guard total > 0, let s = Number(n * 100).dividing(by: Number(total)) else { return "0.0%" }
        return s.formatted(places: 1) + "%"
    }
}
