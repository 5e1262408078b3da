import Foundation
import XCTest
@testable import Perk

/// Feeds generated and mutated rules files through the whole front end: the
/// compiler, the linter with a sample shop's data, and the interpreter on its
/// customers (conditions, the plan, an explanation), and checks that the planner
/// agrees with the interpreter on every condition. Whatever the bytes, nothing
/// may crash or hang, each input finishes within `inputTimeLimit`, and every
/// diagnostic points inside the file.
///
/// Inputs are files generated from the grammar (rules, one-line rules, defines,
/// campaigns, contact policies, expressions of every kind, well typed or not),
/// and byte and token mutations of those and of the files in `rules/`.
///
/// Now and then the generator writes what once crashed or never finished:
/// operator chains of thousands of terms (`and`, `or`, `+`), and defines that
/// each use the one before twice, up to 40 deep (a million billion parts
/// written out). These must end in a result or a clear error (P009, P116), in
/// time, like everything else. Ordinary expressions stay at depth 30 or less.
///
/// In the suite a fixed seed runs for at most `suiteSeconds`. The long mode runs
/// for as long as asked, from a fresh seed, and says how many inputs it tried:
///
///     PERK_FUZZ_SECONDS=1800 swift test --disable-swift-testing --filter RulesFuzzTests
///
/// `PERK_FUZZ_SEED=S` starts from seed S, and with `PERK_FUZZ_INPUT=N` runs
/// only input N of it: a failure prints both. The input being read is kept in
/// `$TMPDIR/perk-fuzz-input.perk` (with its seed and number in
/// `perk-fuzz-input.txt`), so a crash leaves it behind.
final class RulesFuzzTests: XCTestCase {
    /// The most one input may take, in a debug build on a busy machine.
    static let inputTimeLimit = 10.0
    /// A watchdog ends the process, printing the input, after this long on one.
    static let hangLimit = 120.0
    /// The in-suite run stops after this many inputs or seconds, whichever first.
    static let suiteInputs = 600
    static let suiteSeconds = 12.0

    func testRulesReaderSurvivesGeneratedAndMutatedFiles() throws {
        let env = ProcessInfo.processInfo.environment
        let longSeconds = env["PERK_FUZZ_SECONDS"].flatMap(Double.init)
        let seed = env["PERK_FUZZ_SEED"].flatMap { UInt64($0) }
            ?? (longSeconds != nil ? UInt64(Date().timeIntervalSince1970 * 1000) : 20_250_301)
        let only = env["PERK_FUZZ_INPUT"].flatMap { Int($0) }
        let fuzzer = try RulesFuzzer()
        let watchdog = Watchdog(limit: Self.hangLimit)
        watchdog.start()
        defer { watchdog.stop() }

        let started = Date()
        let seconds = longSeconds ?? Self.suiteSeconds
        var tried = 0, compiled = 0, failuresFound = 0
        var index = only ?? 0
        print("fuzz: seed \(seed)\(longSeconds.map { ", for \(Int($0)) s" } ?? ""); the input being read is kept in \(RulesFuzzer.inputPath)")
        while true {
            if only != nil, tried == 1 { break }
            if only == nil, Date().timeIntervalSince(started) > seconds || (longSeconds == nil && tried >= Self.suiteInputs) { break }
            let input = fuzzer.input(seed: seed, index: index)
            RulesFuzzer.keep(input, seed: seed, index: index)
            watchdog.begin(input, seed: seed, index: index)
            let clock = Date()
            let outcome = fuzzer.check(input)
            let took = Date().timeIntervalSince(clock)
            watchdog.end()
            tried += 1
            if outcome.compiled { compiled += 1 }
            failuresFound += outcome.runtimeFailures
            var problems = outcome.problems
            if took > Self.inputTimeLimit { problems.append("took \(String(format: "%.1f", took)) s, more than \(Self.inputTimeLimit) s") }
            if !problems.isEmpty {
                XCTFail("""
                fuzz input \(index) of seed \(seed) (PERK_FUZZ_SEED=\(seed) PERK_FUZZ_INPUT=\(index) to run it alone):
                \(problems.joined(separator: "\n"))
                --- input (\(input.count) bytes) ---
                \(RulesFuzzer.shown(input))
                """)
                if longSeconds == nil { break }
            }
            index += 1
        }
        print("fuzz: \(tried) inputs in \(String(format: "%.1f", Date().timeIntervalSince(started))) s from seed \(seed): "
              + "\(compiled) compiled without errors, \(failuresFound) stopped by a value that cannot be computed (E001/E002)")
        XCTAssertGreaterThan(tried, 0)
    }
}

// MARK: - Checking one input

/// What the front end made of one input.
private struct FuzzOutcome {
    var problems: [String] = []
    var compiled = false
    var runtimeFailures = 0
}

private struct RulesFuzzer {
    /// A small sample shop: the same generator and columns as the built-in one,
    /// few enough customers to evaluate every rule on each of them.
    let shop: DataSet
    let schema: Schema
    let day: LocalDate
    /// The files of `rules/`, to mutate.
    let examples: [[UInt8]]

    static var inputPath: String { FileManager.default.temporaryDirectory.appendingPathComponent("perk-fuzz-input.perk").path }

    init() throws {
        shop = DataSet.sampleShop(SampleShopConfig(customers: 40, orders: 900, seed: 7))
        schema = Schema(customers: shop.customers, orders: shop.orders)
        // The small shop reads as the built-in one does: same columns, same types.
        let full = Repository.sampleSchema
        XCTAssertEqual(schema.customerFields.map { "\($0.name): \($0.type) #\($0.slot)" }, full.customerFields.map { "\($0.name): \($0.type) #\($0.slot)" })
        XCTAssertEqual(schema.orderFields.map(\.name), full.orderFields.map(\.name))
        day = try XCTUnwrap(shop.dayAfterLatestOrder)
        let folder = Repository.path("rules")
        examples = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".perk") }.sorted().map {
            [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: folder + "/" + $0)))
        }
    }

    /// Compile, lint with the shop, evaluate every rule on every customer, plan
    /// the day and explain one rule, checking every diagnostic's place.
    func check(_ bytes: [UInt8]) -> FuzzOutcome {
        var outcome = FuzzOutcome()
        let file = SourceFile(path: "fuzz.perk", data: bytes)
        let compilation = Compiler.compile([file], schema: schema)
        outcome.problems += Self.misplaced(compilation.diagnostics, in: file, by: "compile")
        _ = DiagnosticRenderer().render(compilation.diagnostics)

        let lint = Linter.lint(compilation, population: shop, dataGiven: true, day: day)
        outcome.problems += Self.misplaced(lint.diagnostics, in: file, by: "lint")
        _ = DiagnosticRenderer().render(lint.diagnostics)
        guard let program = compilation.program else { return outcome }
        outcome.compiled = true

        let interpreter = Interpreter(customers: shop.customers, orders: shop.orders)
        // The planner must agree with the interpreter, its reference, on every value and failure.
        let plans = Planner.plan(program.rules.map(\.condition), on: interpreter)
        var frame = PlanFrame()
        for (r, rule) in program.rules.enumerated() {
            for c in 0..<shop.customers.count {
                let walked = Result { () throws(EvaluationError) in try interpreter.evaluate(rule.condition, customer: c, today: day) }
                let planned = Result { () throws(EvaluationError) in try plans[r].evaluate(&frame, customer: c, today: day) }
                switch (walked, planned) {
                case (.success(let a), .success(let b)) where a == b: break
                case (.failure(let a), .failure(let b)) where a.problem == b.problem && a.range == b.range: break
                default: outcome.problems.append("rule \(rule.name), customer \(c): the interpreter gives \(walked), the plan \(planned)")
                }
                do {
                    _ = try interpreter.holds(rule.condition, customer: c, today: day)
                } catch {
                    let failure = program.failure(error, rule: r, customer: c, customers: shop.customers, day: day)
                    outcome.problems += Self.misplaced([failure.diagnostic], in: file, by: "evaluation")
                }
            }
        }
        do {
            _ = try ActionPlan.make(program: program, interpreter: interpreter, day: day, workers: 2)
        } catch {
            outcome.runtimeFailures += 1
            outcome.problems += Self.misplaced([error.diagnostic], in: file, by: "the plan")
        }
        if !program.rules.isEmpty {
            let explanation = Explainer(program: program, interpreter: interpreter).explain(rule: 0, customer: 0, day: day)
            _ = ExplainReport(explanation).rendered()
            if let failure = explanation.failure { outcome.problems += Self.misplaced([failure.diagnostic], in: file, by: "explain") }
        }
        return outcome
    }

    /// Diagnostics that point outside the file they name.
    static func misplaced(_ diagnostics: [Diagnostic], in file: SourceFile, by phase: String) -> [String] {
        diagnostics.compactMap { d in
            guard case .source(let f, let range)? = d.location else { return nil }
            guard f === file else { return "\(phase): \(d.code) points into another file, \(f.path): \(d.message)" }
            guard range.start >= 0, range.start <= range.end, range.end <= file.bytes.count else {
                return "\(phase): \(d.code) at \(range.start)..<\(range.end), outside the file's \(file.bytes.count) bytes: \(d.message)"
            }
            return nil
        }
    }

    // MARK: Inputs

    /// Input `index` of `seed`: the same bytes every time.
    func input(seed: UInt64, index: Int) -> [UInt8] {
        var rng = SplitMix64(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        var generator = RulesGenerator()
        switch rng.below(10) {
        case 0..<4:
            return Array(generator.file(&rng).utf8)
        case 4..<7:
            var bytes = Array(generator.file(&rng).utf8)
            for _ in 0...rng.below(4) { RulesMutator.mutate(&bytes, &rng) }
            return bytes
        default:
            var bytes = examples[rng.below(examples.count)]
            for _ in 0...rng.below(6) { RulesMutator.mutate(&bytes, &rng) }
            return bytes
        }
    }

    static func keep(_ input: [UInt8], seed: UInt64, index: Int) {
        FileManager.default.createFile(atPath: inputPath, contents: Data(input))
        let note = "PERK_FUZZ_SEED=\(seed) PERK_FUZZ_INPUT=\(index)\n"
        FileManager.default.createFile(atPath: inputPath.replacingOccurrences(of: ".perk", with: ".txt"), contents: Data(note.utf8))
    }

    /// The input as text a person can read back, bytes that are not UTF-8 as `\x..`.
    static func shown(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        if Array(text.utf8) == bytes, !bytes.contains(0) { return text }
        return bytes.map { b in (b >= 0x20 && b < 0x7F) || b == 0x0A ? String(UnicodeScalar(b)) : String(format: "\\x%02X", b) }.joined()
    }
}

// MARK: - Generating rules files from the grammar

/// Random declarations of `grammar/perk.ebnf`, mostly well typed against the
/// sample shop's columns, sometimes not (so the checker's errors are read too).
struct RulesGenerator {
    static let maxDepth = 30
    static let maxChain = 200
    /// Now and then a chain of thousands of terms, far past what the parser's
    /// and the checker's recursion could take if they recursed on chains.
    static let maxLongChain = 6_000
    static let maxDoublingDefines = 40
    static let maxDefines = 10

    /// Expression nodes an expression may still grow by: a tree that branches
    /// at random would otherwise grow without bound now and then.
    static let nodesPerExpression = 120
    private var budget = 0
    /// Half the files are written without deliberate mistakes, so their rules
    /// check and run; the others have wrong names, types and values too.
    private var clean = false
    /// Every file without deliberate mistakes, for tests that run the rules
    /// (the random choices are made all the same, so seeds give the same files otherwise).
    var alwaysClean = false
    /// False while a define's body is written: it names at most one other define, added after.
    private var namesDefines = true
    private var defines: [String] = []
    private var ruleNames: [String] = []

    enum Kind: CaseIterable { case bool, number, date, text, tier }

    mutating func file(_ rng: inout SplitMix64) -> String {
        clean = rng.chance(2) || alwaysClean
        defines = (0..<rng.below(Self.maxDefines + 1)).map { "d\($0)" }
        var parts: [String] = []
        // Each define names at most one other, so a chain of them stays linear.
        for (i, name) in defines.enumerated() {
            namesDefines = false
            var body = expression(.bool, depth: 0, &rng)
            namesDefines = true
            if i > 0, rng.chance(2) { body = "\(defines[rng.below(i)]) \(rng.chance(2) ? "and" : "or") (\(body))" }
            // Now and then a define that refers to itself or one declared later: a cycle the checker must report.
            if !clean, rng.chance(25) { body = "\(defines[rng.below(defines.count)]) and \(body)" }
            parts.append("define \(name) = \(body)")
        }
        if rng.chance(15) { parts += doublingDefines(&rng) }
        for _ in 0..<(1 + rng.below(6)) {
            switch rng.below(10) {
            case 0..<6: parts.append(rule(&rng))
            case 6..<8: parts.append(oneLineRule(&rng))
            case 8: parts.append(campaign(&rng))
            default: parts.append(contactPolicy(&rng))
            }
        }
        // Declarations may come in any order; comments and blank lines anywhere.
        parts.shuffle(using: &rng)
        return parts.map { rng.chance(5) ? "# \(pick(Self.words, &rng)) \(pick(Self.texts, &rng))\n\($0)" : $0 }
            .joined(separator: rng.chance(3) ? "\n\n" : "\n") + (rng.chance(4) ? "" : "\n")
    }

    // MARK: Declarations

    /// `define x0 = ...`, `define x1 = x0 and x0`, ...: each doubles the one
    /// before, and a rule uses the last. Written out, the last has 2^n parts.
    private mutating func doublingDefines(_ rng: inout SplitMix64) -> [String] {
        let n = 2 + rng.below(Self.maxDoublingDefines - 1)
        namesDefines = false
        var parts = ["define x0 = " + expression(.bool, depth: 2, &rng)]
        namesDefines = true
        for i in 1..<n { parts.append("define x\(i) = x\(i - 1) \(rng.chance(2) ? "and" : "or") x\(i - 1)") }
        parts.append("rule \"doubled \(n)\" when x\(n - 1) then tag \"x\"")
        return parts
    }

    private mutating func rule(_ rng: inout SplitMix64) -> String {
        let name = "r\(ruleNames.count)\(rng.chance(6) ? " 茶" : "")"
        ruleNames.append(name)
        var clauses: [String] = []
        if rng.chance(2) { clauses.append("priority \(pick(options(["0", "1", "10", "-5"], ["1000000", "x"]), &rng))") }
        if !rng.chance(8) { clauses.append("when " + expression(.bool, depth: 0, &rng)) }
        if clean || !rng.chance(12) { clauses.append("then " + actions(&rng)) }
        let limited = rng.chance(2)
        if limited { clauses.append(limit(&rng)) }
        if !(clean && limited), rng.chance(5) { clauses.append("every " + period(&rng)) }
        if rng.chance(4) { clauses.shuffle(using: &rng) }
        return "rule \"\(name)\"\n  " + clauses.joined(separator: rng.chance(2) ? "\n  " : " ")
    }

    private mutating func oneLineRule(_ rng: inout SplitMix64) -> String {
        var text = "when " + expression(.bool, depth: 0, &rng) + " then " + actions(&rng)
        if rng.chance(2) { text += " " + limit(&rng) }
        if rng.chance(4) { text += " priority \(rng.below(20))" }
        return text
    }

    private mutating func campaign(_ rng: inout SplitMix64) -> String {
        var clauses: [String] = []
        if rng.chance(2) {
            let from = pick(dates, &rng), to = pick(dates, &rng)
            clauses.append(clean ? "from \(min(from, to)) to \(max(from, to))" : "from \(from) to \(to)")
        }
        if rng.chance(2) { clauses.append("budget \(pick(numbers, &rng))") }
        if rng.chance(3) { clauses.append("holdout \(pick(options(["0", "10", "12.5", "50", "99.99"], ["100", "150"]), &rng))%") }
        if rng.chance(3) { clauses.append("exclusive") }
        let named = ruleNames.isEmpty || (!clean && rng.chance(6)) ? ["missing rule"] : (0...rng.below(3)).map { _ in pick(ruleNames, &rng) }
        clauses.append("rules " + named.map { "\"\($0)\"" }.joined(separator: ", "))
        return "campaign \"c\(rng.below(4))\"\n  " + clauses.joined(separator: "\n  ")
    }

    private func contactPolicy(_ rng: inout SplitMix64) -> String {
        let count = pick(options(["once", "twice", "1 contact", "2 contacts"], ["0 contacts", "100000 contacts", "x"]), &rng)
        let via = rng.chance(2) ? " via \(pick(options(["sms", "wechat", "email", "app"], ["fax"]), &rng))" : ""
        return "contact policy\(rng.chance(2) ? ":" : "") at most \(count) per customer every \(period(&rng))\(via)"
    }

    private func limit(_ rng: inout SplitMix64) -> String {
        let times = pick(options(["once", "twice", "3", "3 times", "1 time"], ["0", "-1"]), &rng)
        return "limit \(times)\(rng.chance(3) ? "" : " per customer")\(rng.chance(2) ? " every " + period(&rng) : "")"
    }

    private mutating func actions(_ rng: inout SplitMix64) -> String {
        (0...rng.below(3)).map { _ in action(&rng) }.joined(separator: ", ")
    }

    private func action(_ rng: inout SplitMix64) -> String {
        let via = rng.chance(2) ? " via \(pick(["sms", "wechat", "email", "app"], &rng))" : ""
        switch rng.below(8) {
        case 0:
            let percent = rng.chance(3)
            var coupon = "send coupon " + (percent ? pick(options(["15%", "100%", "0.5%"], ["150%"]), &rng)
                : pick(options(["20", "0.01", "9223372036854775807", "9000000000000000000", "\"FREE\" worth 6"], ["-5"]), &rng))
            if percent ? !clean || !rng.chance(4) : !clean && rng.chance(3) { coupon += " max \(pick(amounts, &rng))" }
            if rng.chance(3) { coupon += " valid for \(period(&rng, fixed: clean))" }
            if rng.chance(3) { coupon += " min spend \(pick(numbers, &rng))" }
            return coupon + via
        case 1: return "send message \(pick(names, &rng))" + via
        case 2: return "award points \(pick(amounts, &rng))"
        case 3: return "multiply points \(pick(["2", "1.5", "0.5", "9223372036854775807"], &rng)) for \(period(&rng, fixed: clean))"
        case 4: return "set tier \(pick(tiers, &rng))"
        case 5: return "tag \(pick(names, &rng))"
        case 6: return "notify staff \(pick(names, &rng))"
        default: return "send coupon 10" + via
        }
    }

    // MARK: Expressions

    /// An expression, mostly of `kind`; at the depth limit only leaves.
    mutating func expression(_ kind: Kind, depth: Int, _ rng: inout SplitMix64) -> String {
        if depth == 0 {
            budget = Self.nodesPerExpression
            // Now and then a narrow expression as deep as allowed.
            if rng.chance(15) { return deep(kind, &rng) }
        }
        budget -= 1
        if budget <= 0 { return leaf(kind, &rng) }
        // A slip of type now and then, for the checker.
        if !clean, rng.chance(40) { return leaf(Kind.allCases[rng.below(Kind.allCases.count)], &rng) }
        if depth >= Self.maxDepth || rng.chance(depth < 3 ? 4 : 2) { return leaf(kind, &rng) }
        let d = depth + 1
        switch kind {
        case .bool:
            switch rng.below(16) {
            case 0: return chain(["and", "or"], of: .bool, depth: d, &rng)
            case 1: return "not " + expression(.bool, depth: d, &rng)
            case 2: return "(\(expression(.bool, depth: d, &rng)))"
            case 3, 4: return "\(expression(.number, depth: d, &rng)) \(pick(comparisons, &rng)) \(expression(.number, depth: d, &rng))"
            case 5: return "\(expression(.date, depth: d, &rng)) \(pick(comparisons, &rng)) \(expression(.date, depth: d, &rng))"
            case 6: return "\(expression(.tier, depth: d, &rng)) \(pick(comparisons, &rng)) \(expression(.tier, depth: d, &rng))"
            case 7: return "\(expression(.text, depth: d, &rng)) \(pick(["==", "!=", "contains", "starts with"], &rng)) \(expression(.text, depth: d, &rng))"
            case 8:
                let k = pick([Kind.number, .tier, .text], &rng)
                let items = (0..<rng.below(5)).map { _ in expression(k, depth: d, &rng) }.joined(separator: ", ")
                return "\(expression(k, depth: d, &rng))\(rng.chance(3) ? " not" : "") in [\(items)]"
            case 9: return "\(expression(.number, depth: d, &rng)) between \(expression(.number, depth: d, &rng)) and \(expression(.number, depth: d, &rng))"
            case 10:
                let k = Kind.allCases[rng.below(Kind.allCases.count)]
                return "\(expression(k, depth: d, &rng)) is \(rng.chance(2) ? "not " : "")\(pick(["missing", "present"], &rng))"
            case 11:
                let test = pick(["in next", "within", "in last"], &rng)
                return "\(expression(.date, depth: d, &rng)) \(test) \(duration(&rng, fixed: clean && test != "in last"))"
            case 12: return "\(pick(["any", "all"], &rng))(\(orders(d, &rng)))"
            case 13 where !clean: return "\(pick(Self.texts, &rng)) in items"
            default: return "\(expression(.number, depth: d, &rng)) \(pick(comparisons, &rng)) \(expression(.number, depth: d, &rng))"
            }
        case .number:
            switch rng.below(10) {
            case 0, 1: return chain(["+", "-"], of: .number, depth: d, &rng)
            case 2: return "\(expression(.number, depth: d, &rng)) \(pick(["*", "/"], &rng)) \(expression(.number, depth: d, &rng))"
            case 3: return "\(expression(.number, depth: d, &rng)) * \(pick(Self.percents, &rng))"
            case 4: return "-" + expression(.number, depth: d, &rng)
            case 5: return "(\(expression(.number, depth: d, &rng)))"
            case 6:
                let agg = pick(["count", "sum", "avg", "min", "max"], &rng)
                return "\(agg)(\(orders(d, &rng, field: agg != "count", needsField: clean && agg != "count")))"
            case 7: return "\(pick(["day", "month", "year"], &rng))(\(expression(.date, depth: d, &rng)))"
            case 8: return "\(expression(.date, depth: d, &rng)) - \(expression(.date, depth: d, &rng))"
            default: return "abs(\(expression(.number, depth: d, &rng)))"
            }
        case .date:
            switch rng.below(4) {
            case 0: return "\(expression(.date, depth: d, &rng)) \(pick(["+", "-"], &rng)) \(duration(&rng))"
            case 1: return "date(\(pick(options(Self.dateTexts, ["\"2025-02-30\"", "\"10000-01-01\"", "\"x\""]), &rng)))"
            case 2: return "\(pick(["min", "max"], &rng))(orders.ordered_at\(rng.chance(2) ? " in last " + duration(&rng) : ""))"
            default: return "\(duration(&rng)) + \(expression(.date, depth: d, &rng))"
            }
        case .text:
            return rng.chance(2) ? "weekday(\(expression(.date, depth: d, &rng)))" : leaf(.text, &rng)
        case .tier:
            return leaf(.tier, &rng)
        }
    }

    /// `not (not (... x ...))`, `abs(-(abs(... n ...)))`: `maxDepth` levels.
    private func deep(_ kind: Kind, _ rng: inout SplitMix64) -> String {
        var text = leaf(kind, &rng)
        for _ in 0..<Self.maxDepth {
            switch kind {
            case .bool: text = rng.chance(2) ? "not (\(text))" : "(\(text) and true)"
            case .number: text = rng.chance(2) ? "abs(-(\(text)))" : "(\(text) + 1)"
            case .date: text = "(\(text) + 1 day)"
            default: text = "(\(text))"
            }
        }
        return text
    }

    /// `a and b or c ...` or `a + b - c ...`: up to `maxChain` terms.
    private mutating func chain(_ ops: [String], of kind: Kind, depth: Int, _ rng: inout SplitMix64) -> String {
        // Mostly short; sometimes as long as allowed, with simple terms.
        let long = rng.chance(12)
        let veryLong = long && rng.chance(10)
        let terms = veryLong ? Self.maxChain + rng.below(Self.maxLongChain - Self.maxChain)
            : long ? 20 + rng.below(Self.maxChain - 19) : 2 + rng.below(4)
        return (0..<terms).map { _ in
            long ? leaf(kind, &rng) : expression(kind, depth: depth, &rng)
        }.joined(separator: " \(pick(ops, &rng)) ").wrappedIf(kind == .bool && ops.contains("or") && rng.chance(3))
    }

    private mutating func orders(_ depth: Int, _ rng: inout SplitMix64, field: Bool = false, needsField: Bool = false) -> String {
        var text = "orders"
        if field, needsField || rng.chance(2) { text += "." + pick(options(["amount", "discount"], ["ordered_at", "items", "store", "nope"]), &rng) }
        if rng.chance(2) { text += " in last " + duration(&rng) }
        if rng.chance(2) { text += " where " + orderCondition(depth, &rng) }
        return text
    }

    private mutating func orderCondition(_ depth: Int, _ rng: inout SplitMix64) -> String {
        switch rng.below(depth >= Self.maxDepth ? 3 : 6) {
        case 0: return "items contains \(pick(Self.texts, &rng))"
        case 1: return "channel == \(pick(["\"delivery\"", "\"store\"", "\"app\""], &rng))"
        case 2: return "amount \(pick(comparisons, &rng)) \(pick(numbers, &rng))"
        case 3: return "amount * \(pick(numbers, &rng)) > \(expression(.number, depth: depth + 1, &rng))"
        case 4: return "\(orderCondition(depth + 1, &rng)) \(pick(["and", "or"], &rng)) \(orderCondition(depth + 1, &rng))".wrappedIf(depth < Self.maxDepth)
        default: return "discount is missing or store starts with \"SH\""
        }
    }

    private func leaf(_ kind: Kind, _ rng: inout SplitMix64) -> String {
        switch kind {
        case .bool:
            if namesDefines, !defines.isEmpty, rng.chance(3) { return pick(defines, &rng) }
            return pick(["true", "false", "member.sms_opt_in", "member.wechat_opt_in", "birthday in next 3 days",
                         "days_since_visit > 30", "member.points > 100", "visit_count >= 4", "member.tier == VIP"], &rng)
        case .number:
            return pick(numbers + ["member.points", "member.open_complaints", "days_since_visit", "days_since_first_visit",
                                   "visit_count", "total_spend", "avg_order_value"] + (clean ? [] : ["member.nope"]), &rng)
        case .date:
            return pick(dates + ["today", "member.birthday", "birthday", "member.joined", "first_visit", "last_visit"], &rng)
        case .text:
            return pick(Self.texts + ["member.name", "member.city", "member.sugar_pref", "favorite_item"], &rng)
        case .tier:
            return pick(tiers + ["member.tier"], &rng)
        }
    }

    /// `fixed`: days or weeks only, as `in next` and `within` need.
    private func duration(_ rng: inout SplitMix64, fixed: Bool = false) -> String {
        "\(pick(options(["0", "1", "3", "7", "30", "90", "365", "100000"], ["100001", "2.5"]), &rng)) "
            + pick(fixed ? ["day", "days", "week", "weeks"] : options(["day", "days", "week", "weeks", "month", "months", "year", "years"], ["fortnights"]), &rng)
    }

    /// A duration of at least one day, as periods, validity and cooldowns need.
    private func period(_ rng: inout SplitMix64, fixed: Bool = false) -> String {
        guard clean else { return duration(&rng, fixed: fixed) }
        return "\(pick(["1", "3", "7", "30", "90", "365", "100000"], &rng)) "
            + pick(fixed ? ["day", "days", "week", "weeks"] : ["day", "days", "week", "weeks", "month", "months", "year", "years"], &rng)
    }

    private func options(_ valid: [String], _ wrong: [String]) -> [String] { clean ? valid : valid + wrong }
    /// More than zero, as points and `max` must be.
    private var amounts: [String] { options(["1", "30", "12.50", "0.000000000000000001", "9000000000000000000", "9223372036854775807"], ["0", "-1"]) }
    /// Text that names something, so is not empty.
    private var names: [String] { options(Self.texts.filter { $0 != "\"\"" }, ["\"\""]) }
    private var numbers: [String] { options(Self.numbers, ["9223372036854775808", "99999999999999999999999999999999"]) }
    private var dates: [String] { options(Self.dates, ["2025-02-29", "0000-01-01", "2025-13-01"]) }
    private var tiers: [String] { options(Self.tiers, ["VIPP"]) }
    private var comparisons: [String] { options(Self.comparisons, ["="]) }

    private func pick<T>(_ items: [T], _ rng: inout SplitMix64) -> T { items[rng.below(items.count)] }

    static let comparisons = ["==", "!=", "<", "<=", ">", ">=", "<>"]
    static let numbers = ["0", "1", "3", "30", "12.50", "0.000000000000000001", "9223372036854775807", "4611686018427387904",
                          "9000000000000000000", "1.5"]
    static let percents = ["15%", "0%", "100%", "12.5%", "200%", "9223372036854775807%"]
    static let dates = ["2025-03-01", "2024-02-29", "0001-01-01", "9999-12-31", "2025-01-31", "2025-12-15"]
    static let dateTexts = ["\"2025-03-01\"", "\"9999-12-31\"", "\"0001-01-01\"", "member.city", "weekday(today)"]
    static let texts = ["\"Jasmine Green Tea\"", "\"杨枝甘露\"", "\"\"", "\"less\"", "\"上海\"", "\"a \\\"quoted\\\" word\"", "\"\\\\\""]
    static let tiers = ["MEMBER", "SILVER", "GOLD", "VIP"]
    static let words = ["note", "todo", "茶", "#", "\"", "when"]
}

// MARK: - Mutations

/// Byte- and token-level changes to a file: what a slip of the keyboard, a bad
/// paste, a wrong encoding or a cut-off save does to one.
private enum RulesMutator {
    static let tokens = ["when", "then", "rule", "define", "campaign", "contact", "policy", "and", "or", "not", "(", ")", "[", "]",
                         ",", "\"", "#", "\n", "=", "==", "<=", "orders", "where", "in", "last", "next", "within", "every", "limit",
                         "per", "customer", "via", "send", "coupon", "%", "-", "+", "*", "/", ".", ":", "9223372036854775807",
                         "2024-02-29", "9999-12-31", "0001-01-01", "100000", "years", "months", "today", "member", "“", "”",
                         "&&", "||", "!", "@", "杨枝甘露", "\u{FFFD}", "\t", "\r\n"]
    static let bytes: [[UInt8]] = [[0x00], [0xFF], [0xC3], [0xE6, 0x9D], [0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                                   [0xEF, 0xBB, 0xBF], [0x0A], [0x22], [0x23], [0x5C]]

    static func mutate(_ b: inout [UInt8], _ rng: inout SplitMix64) {
        let at = b.isEmpty ? 0 : rng.below(b.count + 1)
        switch rng.below(9) {
        case 0: // delete a range
            guard !b.isEmpty else { return }
            let start = rng.below(b.count), end = min(b.count, start + 1 + rng.below(12))
            b.removeSubrange(start..<end)
        case 1: // insert a token
            b.insert(contentsOf: Array((" " + tokens[rng.below(tokens.count)] + " ").utf8), at: at)
        case 2: // insert bytes that are not UTF-8, a NUL, a quote...
            b.insert(contentsOf: bytes[rng.below(bytes.count)], at: at)
        case 3: // duplicate a range
            guard !b.isEmpty else { return }
            let start = rng.below(b.count), end = min(b.count, start + 1 + rng.below(40))
            b.insert(contentsOf: Array(b[start..<end]), at: rng.below(b.count + 1))
        case 4: // flip a bit
            guard !b.isEmpty else { return }
            b[rng.below(b.count)] ^= UInt8(1 << rng.below(8))
        case 5: // cut the file short
            guard !b.isEmpty else { return }
            b.removeSubrange(rng.below(b.count)...)
        case 6: // swap two lines
            var lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            guard lines.count > 1 else { return }
            lines.swapAt(rng.below(lines.count), rng.below(lines.count))
            b = Array(lines.joined(separator: [0x0A]))
        case 7: // replace a word with a token
            let words = wordRanges(b)
            guard let range = words.isEmpty ? nil : words[rng.below(words.count)] else { return }
            b.replaceSubrange(range, with: Array(tokens[rng.below(tokens.count)].utf8))
        default: // a random byte
            b.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
        }
    }

    /// Ranges of runs of letters, digits and `_`.
    private static func wordRanges(_ b: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int?
        for (i, c) in b.enumerated() {
            let isWord = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
            if isWord, start == nil { start = i }
            if !isWord, let s = start { out.append(s..<i); start = nil }
        }
        if let s = start { out.append(s..<b.count) }
        return out
    }
}

// MARK: - Helpers

/// Ends the process, printing the input, when one input runs far too long: a
/// hang would otherwise stall the suite without saying which input did it.
private final class Watchdog: @unchecked Sendable {
    private let limit: TimeInterval
    private let lock = NSLock()
    private var current: (input: [UInt8], seed: UInt64, index: Int, since: Date)?
    private var running = true

    init(limit: TimeInterval) { self.limit = limit }

    func start() {
        Thread.detachNewThread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 1)
                lock.lock()
                let state = current, alive = running
                lock.unlock()
                guard alive else { return }
                if let state, Date().timeIntervalSince(state.since) > limit {
                    FileHandle.standardError.write(Data("""
                    fuzz input \(state.index) of seed \(state.seed) still runs after \(Int(limit)) s \
                    (PERK_FUZZ_SEED=\(state.seed) PERK_FUZZ_INPUT=\(state.index)); it is kept in \(RulesFuzzer.inputPath):
                    \(RulesFuzzer.shown(state.input))

                    """.utf8))
                    abort()
                }
            }
        }
    }

    func begin(_ input: [UInt8], seed: UInt64, index: Int) {
        lock.lock()
        current = (input, seed, index, Date())
        lock.unlock()
    }

    func end() {
        lock.lock()
        current = nil
        lock.unlock()
    }

    func stop() {
        lock.lock()
        running = false
        lock.unlock()
    }
}

extension SplitMix64 {
    /// A number in `0..<n` (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// True one time in `n`.
    mutating func chance(_ n: Int) -> Bool { below(n) == 0 }
}

private extension String {
    func wrappedIf(_ condition: Bool) -> String { condition ? "(\(self))" : self }
}
