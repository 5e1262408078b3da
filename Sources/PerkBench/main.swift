import Foundation
import Perk
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `swift run -c release perk-bench [--customers N] [--orders M] [--runs K] [--json]`
///
/// Generates a sample shop of the given size (cached under .build/perk-bench-data),
/// then times each stage as the median of several runs: `perk run rules/` end
/// to end (as the command does it, output rendered), loading customers and
/// orders, building every customer's derived fields, evaluating the `rules/`
/// folder on one core and on all of them, the action plan, `perk simulate`
/// over the last 90 days, and parsing, checking and linting 10,000 rules.
/// Peak memory is the process's maximum resident size after the end-to-end
/// runs, before the other stages: the memory `perk run` needs. Last, the
/// campaign journal: reading a year of it (365 days, about 5 million rows,
/// generated once) into a decision engine, and committing 100,000 decisions.
/// `--only journal` times the journal stages alone; `--only tests` times 1,000
/// tests of rules (`RuleTestsBench`).

struct Options {
    var customers = 100_000
    var orders = 1_000_000
    var runs = 3
    var json = false
    var rules = "rules"
    var only: String?

    init(_ args: [String]) {
        var i = 0
        func value() -> String {
            i += 1
            guard i < args.count else { fail("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--customers": customers = Int(value()) ?? customers
            case "--orders": orders = Int(value()) ?? orders
            case "--runs": runs = max(1, Int(value()) ?? runs)
            case "--rules": rules = value()
            case "--only": only = value()
            case "--json": json = true
            case "--help", "-h":
                print("Usage: perk-bench [--customers N] [--orders M] [--runs K] [--rules DIR] [--only journal|tests] [--json]")
                exit(0)
            default: fail("unknown option \(args[i])")
            }
            i += 1
        }
    }
}

func fail(_ message: String) -> Never {
    fputs("perk-bench: \(message)\n", stderr)
    exit(2)
}

/// Seconds of wall time, median of `runs`; `body` returns something to keep alive.
/// The result of Perk code that throws when a value cannot be computed: the
/// benchmark's data never makes it throw, and stops if it does.
func orFail<T, E: Error>(_ body: () throws(E) -> T) -> T {
    do { return try body() } catch {
        if let failure = error as? RuntimeFailure { fail(failure.diagnostic.description) }
        fail("\(error)")
    }
}

func median<T>(_ runs: Int, _ body: () -> T) -> (seconds: Double, result: T) {
    var times: [Double] = []
    var last: T?
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        last = body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    return (times[times.count / 2], last!)
}

/// Starts the peak-memory count afresh where the system allows it (Linux),
/// so generating the data in this process does not count towards `perk run`.
func resetPeakMemory() {
    guard let file = fopen("/proc/self/clear_refs", "w") else { return }
    fputs("5", file)
    fclose(file)
}

/// The peak resident size since `resetPeakMemory`: Linux's VmHWM, or else
/// the process's maximum resident size.
func peakMemoryBytes() -> Int {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
       let kilobytes = Int(line.dropFirst(6).filter(\.isNumber)) {
        return kilobytes * 1024
    }
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Int(usage.ru_maxrss) * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Int(usage.ru_maxrss)  // bytes on Darwin
    #endif
}

Allocator.returnBigBlocksPromptly()
let options = Options(Array(CommandLine.arguments.dropFirst()))
if options.only == "tests" {
    // Needs no generated data: the tests bring their own.
    report(RuleTestsBench.run(options: options), memory: nil, title: "perk-bench: \(RuleTestsBench.count) tests of rules, median of \(options.runs)")
    exit(0)
}
let folder = ".build/perk-bench-data/c\(options.customers)-o\(options.orders)-s42"
let customersPath = folder + "/customers.csv", ordersPath = folder + "/orders.csv"
if !FileManager.default.fileExists(atPath: ordersPath) {
    fputs("Generating \(options.customers) customers and \(options.orders) orders in \(folder)...\n", stderr)
    if case .failure(let error) = SampleShop.write(SampleShopConfig(customers: options.customers, orders: options.orders), to: folder) {
        fail(error.description)
    }
}

var rows: [(String, String, Double)] = []
resetPeakMemory()

if options.only == "journal" {
    guard let customers = DataLoader.loadCustomers(path: customersPath).0,
          let orders = DataLoader.loadOrders(path: ordersPath, customers: customers).0 else { fail("the data did not load") }
    let (sources, _) = RuleSources.load([options.rules])
    guard let program = Compiler.compile(sources, schema: Schema(customers: customers, orders: orders)).program,
          let day = orders.latestDate?.advanced(by: 1) else { fail("\(options.rules) has errors; run perk lint") }
    rows += journalStages(customers: customers, orders: orders, program: program, day: day)
    report(rows, memory: nil)
    exit(0)
} else if let only = options.only {
    fail("--only takes `journal` or `tests`, not \(only)")
}

// First, while nothing else is in memory: the whole of `perk run rules/`.
let endToEnd = median(options.runs) { () -> Int in
    let workspace = Workspace.open(Workspace.Options(rules: [options.rules], customers: customersPath, orders: ordersPath,
                                                     loadsOnlyNamedOrderFields: true)).workspace
    guard let workspace, let program = workspace.program, let day = workspace.data.dayAfterLatestOrder else {
        fail("perk run \(options.rules)/ did not get as far as a plan")
    }
    let interpreter = Interpreter(customers: workspace.data.customers, orders: workspace.data.orders)
    let plan = orFail { () throws(RuntimeFailure) in try ActionPlan.make(program: program, interpreter: interpreter, day: day) }
    return PlanReport(plan: plan, program: program, customers: workspace.data.customers).rendered(.csv).utf8.count
}
rows.append(("perk run \(options.rules)/ end to end", "\(endToEnd.result / 1024) KB of CSV plan", endToEnd.seconds))
let memory = peakMemoryBytes()

let customersLoad = median(options.runs) { DataLoader.loadCustomers(path: customersPath).0 }
guard let customers = customersLoad.result else { fail("the customers file did not load") }
rows.append(("load customers (CSV)", "\(customers.count) rows", customersLoad.seconds))

let ordersLoad = median(options.runs) { DataLoader.loadOrders(path: ordersPath, customers: customers) }
guard let orders = ordersLoad.result.0 else { fail("the orders file did not load") }
rows.append(("load orders (CSV)", "\(orders.count) rows", ordersLoad.seconds))

let data = DataSet(customers: customers, orders: orders, isSample: false, report: ordersLoad.result.1)
guard let day = data.dayAfterLatestOrder else { fail("no orders") }
let interpreter = Interpreter(customers: customers, orders: orders)

let profiles = median(options.runs) { () -> Int in
    var present = 0
    for c in 0..<customers.count {
        for field in DerivedField.allCases where !orFail({ () throws(EvaluationError) in try interpreter.derived(field, customer: c, today: day) }).isMissing {
            present += 1
        }
    }
    return present
}
rows.append(("derived fields, every customer", "\(DerivedField.allCases.count) fields", profiles.seconds))

let (sources, problems) = RuleSources.load([options.rules])
guard problems.isEmpty else { fail("cannot read \(options.rules)") }
let compilation = Compiler.compile(sources, schema: Schema(customers: customers, orders: orders))
guard let program = compilation.program else { fail("\(options.rules) has errors; run perk lint") }
// The conditions alone, as `perk run` holds them: copying whole rules per customer would be timed too.
let conditions = program.rules.map(\.condition)
let evaluations = Double(customers.count * program.rules.count)
// The tree-walking interpreter: the reference the planner is tested against.
let walked = median(options.runs) { () -> Int in
    var matched = 0
    for c in 0..<customers.count {
        for condition in conditions where orFail({ () throws(EvaluationError) in try interpreter.holds(condition, customer: c, today: day) }) {
            matched += 1
        }
    }
    return matched
}
rows.append(("evaluate, tree-walking interpreter, 1 core", "\(Int(walked.seconds / evaluations * 1e9)) ns per customer-rule", walked.seconds))
// As `perk run` evaluates: the conditions planned once, one frame kept from customer to customer.
let evaluation = median(options.runs) { () -> Int in
    let plans = Planner.plan(conditions, on: interpreter)
    var frame = PlanFrame()
    var matched = 0
    for c in 0..<customers.count {
        for k in plans.indices where orFail({ () throws(EvaluationError) in try plans.holds(k, &frame, customer: c, today: day) }) {
            matched += 1
        }
    }
    return matched
}
guard evaluation.result == walked.result else { fail("the planned conditions disagree with the interpreter") }
rows.append(("evaluate \(options.rules)/ conditions, 1 core", "\(Int(evaluation.seconds / evaluations * 1e9)) ns per customer-rule", evaluation.seconds))

// As `perk simulate` evaluates: customers split in ranges, one per core.
let cores = ProcessInfo.processInfo.activeProcessorCount
let parallelEvaluation = median(options.runs) { () -> Int in
    var matched = [Int](repeating: 0, count: cores)
    matched.withUnsafeMutableBufferPointer { slots in
        DispatchQueue.concurrentPerform(iterations: cores) { piece in
            let plans = Planner.plan(conditions, on: interpreter)
            var frame = PlanFrame()
            var n = 0
            for c in customers.count * piece / cores ..< customers.count * (piece + 1) / cores {
                for k in plans.indices where orFail({ () throws(EvaluationError) in try plans.holds(k, &frame, customer: c, today: day) }) {
                    n += 1
                }
            }
            slots[piece] = n
        }
    }
    return matched.reduce(0, +)
}
guard parallelEvaluation.result == evaluation.result else { fail("evaluation on \(cores) cores disagrees with one core") }
rows.append(("evaluate \(options.rules)/ conditions, \(cores) cores", "\(Int(parallelEvaluation.seconds / evaluations * 1e9)) ns per customer-rule",
             parallelEvaluation.seconds))

let plan = median(options.runs) { orFail { () throws(RuntimeFailure) in try ActionPlan.make(program: program, interpreter: interpreter, day: day) } }
rows.append(("action plan (perk run, after loading)", "\(plan.result.entries.count) actions", plan.seconds))

guard let lastDay = orders.latestDate, let period = SimulationPeriod(from: lastDay.advanced(by: -89), to: lastDay) else {
    fail("no orders to simulate")
}
let simulation = median(options.runs) {
    orFail { () throws(RuntimeFailure) in try Simulator(program: program, customers: customers, orders: orders, period: period).run() }
}
rows.append(("perk simulate, 90 days", "\(period.from) to \(period.to)", simulation.seconds))

let bigRules = SourceFile(path: "10000-rules.perk", text: RuleFileGenerator.source(rules: 10_000))
let sampleSchema = Schema(customers: customers, orders: orders)
let lint = median(options.runs) { () -> Int in
    let c = Compiler.compile([bigRules], schema: sampleSchema)
    return Linter.lint(c, population: nil, dataGiven: false, day: day).warningCount
}
rows.append(("parse, check and lint 10,000 rules", "\(lint.result) warnings", lint.seconds))

rows += journalStages(customers: customers, orders: orders, program: program, day: day)
report(rows, memory: memory, extra: [
    ("ns_per_customer_rule", .int(Int(evaluation.seconds / evaluations * 1e9))),
    ("ns_per_customer_rule_all_cores", .int(Int(parallelEvaluation.seconds / evaluations * 1e9))),
])

/// A year of journal read into a decision engine, and a commit of 100,000
/// decisions (its coupon codes, its file, written aside, flushed and renamed).
func journalStages(customers: CustomerTable, orders: OrderTable, program: CheckedProgram, day: LocalDate) -> [(String, String, Double)] {
    var rows: [(String, String, Double)] = []
    let journal = JournalFolder(path: ".build/perk-bench-data/journal-c\(customers.count)-365d")
    if JournalFolder(path: journal.path).days().0.count != 365 {
        fputs("Generating a year of journal in \(journal.path)...\n", stderr)
        try? FileManager.default.removeItem(atPath: journal.path)
        _ = JournalGenerator.write(to: journal.path, program: program, customerIDs: customers.ids, end: day, days: 365, rowsPerDay: 13_700)
    }
    let read = median(options.runs) { () -> (JournalHistory?, Int) in
        let (history, problems) = JournalHistory.read(journal, customers: customers)
        guard let history else { fail("the generated journal does not read: \(problems.first?.description ?? "")") }
        var engine = DecisionEngine(program: program, customers: customers.count)
        orFail { () throws(RuntimeFailure) in try history.seed(&engine, program: program, before: day) }
        return (history, problems.count)
    }
    let summary = JournalReport(history: read.result.0!, budgets: nil).json()
    rows.append(("read a year of journal into the engine", "365 days, \(decisionCount(summary)) decisions", read.seconds))

    // A rule every customer matches: 100,000 decisions with a coupon each.
    let everyone = Compiler.compile([SourceFile(path: "everyone.perk", text: "when true then send coupon 5 via sms, tag \"bench\"")],
                                    schema: Schema(customers: customers, orders: orders))
    guard let everyoneProgram = everyone.program else { fail("the commit benchmark's rule does not check") }
    let interpreter = Interpreter(customers: customers, orders: orders)
    let history = read.result.0!
    let plan = orFail { () throws(RuntimeFailure) in try ActionPlan.make(program: everyoneProgram, interpreter: interpreter, day: day) }
    let target = JournalFolder(path: ".build/perk-bench-data/journal-commit")
    let commit = median(options.runs) { () -> Int in
        try? FileManager.default.removeItem(atPath: target.path)
        var coded = plan
        var issuer = CouponCodeIssuer(taken: history.codes)
        coded.issueCouponCodes(&issuer, program: everyoneProgram)
        do { try target.commit(coded, program: everyoneProgram, customers: customers) } catch { fail("commit failed: \(error)") }
        return coded.decisions.count
    }
    try? FileManager.default.removeItem(atPath: target.path)
    rows.append(("commit a day's decisions to a journal", "\(commit.result) decisions, codes new to a year", commit.seconds))
    return rows
}

/// Decisions in a `perk journal --format json` summary.
func decisionCount(_ summary: JSON) -> Int {
    guard case .object(let fields) = summary, case .array(let days)? = fields.first(where: { $0.0 == "daily" })?.1 else { return 0 }
    return days.reduce(0) { total, day in
        guard case .object(let f) = day, case .object(let statuses)? = f.first(where: { $0.0 == "decisions" })?.1 else { return total }
        return total + statuses.reduce(0) { if case .number(let n) = $1.1 { return $0 + (Int(n) ?? 0) }; return $0 }
    }
}

func report(_ rows: [(String, String, Double)], memory: Int?, extra: [(String, JSON)] = [], title: String? = nil) {
    guard options.json else {
        var table = TextTable(headers: ["stage", "detail", "median s"], rightAligned: [2])
        for r in rows { table.add([r.0, r.1, String(format: "%.3f", r.2)]) }
        print((title ?? "perk-bench: \(options.customers) customers, \(options.orders) orders, median of \(options.runs)") + "\n")
        print(table.rendered())
        if let memory { print("peak memory of perk run: \(memory / 1_048_576) MB (\(memory / max(1, options.orders)) bytes per order)") }
        return
    }
    var fields: [(String, JSON)] = [
        ("customers", .int(options.customers)), ("orders", .int(options.orders)), ("runs", .int(options.runs)),
        ("stages", .array(rows.map { .object([("stage", .string($0.0)), ("detail", .string($0.1)), ("seconds", .number(String(format: "%.4f", $0.2)))]) })),
    ] + extra
    if let memory { fields += [("peak_memory_bytes", .int(memory)), ("bytes_per_order", .int(memory / max(1, options.orders)))] }
    print(JSON.object(fields).rendered())
}
