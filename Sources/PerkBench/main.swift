import Foundation
import Perk
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `swift run -c release perk-bench [--customers N] [--orders M] [--runs K] [--json]`
///
/// Generates a sample shop of the given size in both shapes (`perk sample-data`
/// and `perk sample-data --export-like`, cached under .build/perk-bench-data),
/// then times each stage as the median of several runs: for each shape, `perk
/// run rules/` end to end (as the command does it, output rendered), loading
/// customers and orders and `perk simulate` over the last 90 days, with the
/// loader that read each file (a file the general loader read is counted:
/// it should be none); then, on the standard shape, building every
/// customer's derived fields, evaluating the `rules/` folder on one core and
/// on all of them, the action plan, and parsing, checking and linting 10,000
/// rules. Peak memory is the process's maximum resident size during each
/// shape's end-to-end runs: the memory `perk run` needs. Last, the
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
    report(RuleTestsBench.run(options: options), memory: [], generalLoads: [],
           title: "perk-bench: \(RuleTestsBench.count) tests of rules, median of \(options.runs)")
    exit(0)
}
/// A data set of the benchmark's size in one shape, generated once.
struct DataShape {
    var name: String
    var folder: String
    var exportLike: Bool
    var customersPath: String { folder + "/customers.csv" }
    var ordersPath: String { folder + "/orders.csv" }

    func generateIfMissing() {
        guard !FileManager.default.fileExists(atPath: ordersPath) else { return }
        fputs("Generating \(options.customers) customers and \(options.orders) \(name) orders in \(folder)...\n", stderr)
        let config = SampleShopConfig(customers: options.customers, orders: options.orders, exportLike: exportLike)
        if case .failure(let error) = SampleShop.write(config, to: folder) { fail(error.description) }
    }
}

let standard = DataShape(name: "sample-data", folder: ".build/perk-bench-data/c\(options.customers)-o\(options.orders)-s42",
                         exportLike: false)
let exportLike = DataShape(name: "export-like", folder: standard.folder + "-export-like", exportLike: true)
let shapes = [standard, exportLike]
for shape in shapes { shape.generateIfMissing() }
let customersPath = standard.customersPath, ordersPath = standard.ordersPath

var rows: [(String, String, Double)] = []
resetPeakMemory()

if options.only == "journal" {
    guard let customers = DataLoader.loadCustomers(path: customersPath).0,
          let orders = DataLoader.loadOrders(path: ordersPath, customers: customers).0 else { fail("the data did not load") }
    let (sources, _) = RuleSources.load([options.rules])
    guard let program = Compiler.compile(sources, schema: Schema(customers: customers, orders: orders)).program,
          let day = orders.latestDate?.advanced(by: 1) else { fail("\(options.rules) has errors; run perk lint") }
    rows += journalStages(customers: customers, orders: orders, program: program, day: day)
    report(rows, memory: [], generalLoads: [])
    exit(0)
} else if let only = options.only {
    fail("--only takes `journal` or `tests`, not \(only)")
}

/// Files the general loader read, though a parallel one exists for them:
/// well-formed files should never go there, so this is a count to keep at zero.
var generalLoads: [String] = []
func noteLoaders(_ loads: [FileLoad]) {
    for load in loads where load.loader != .parallel {
        let entry = "\(load.path): \(load.loader)"
        if !generalLoads.contains(entry) { generalLoads.append(entry) }
    }
}

// First, while nothing else is in memory: the whole of `perk run rules/`, in each shape.
var memory: [(shape: String, bytes: Int)] = []
for shape in shapes {
    resetPeakMemory()
    let endToEnd = median(options.runs) { () -> Int in
        let workspace = Workspace.open(Workspace.Options(rules: [options.rules], customers: shape.customersPath,
                                                         orders: shape.ordersPath, loadsOnlyNamedOrderFields: true)).workspace
        guard let workspace, let program = workspace.program, let day = workspace.data.dayAfterLatestOrder else {
            fail("perk run \(options.rules)/ did not get as far as a plan on the \(shape.name) files")
        }
        noteLoaders(workspace.data.report.loads)
        let interpreter = Interpreter(customers: workspace.data.customers, orders: workspace.data.orders)
        let plan = orFail { () throws(RuntimeFailure) in try ActionPlan.make(program: program, interpreter: interpreter, day: day) }
        return PlanReport(plan: plan, program: program, customers: workspace.data.customers).rendered(.csv).utf8.count
    }
    rows.append(("perk run \(options.rules)/ end to end, \(shape.name)", "\(endToEnd.result / 1024) KB of CSV plan", endToEnd.seconds))
    memory.append((shape.name, peakMemoryBytes()))
}

/// Both tables of a shape, loaded as every command but `perk run` loads them.
func loadStages(_ shape: DataShape) -> (CustomerTable, OrderTable, LoadReport) {
    let customersLoad = median(options.runs) { DataLoader.loadCustomers(path: shape.customersPath) }
    guard let customers = customersLoad.result.0 else { fail("the \(shape.name) customers file did not load") }
    noteLoaders(customersLoad.result.1.loads)
    rows.append(("load customers (CSV), \(shape.name)", "\(customers.count) rows", customersLoad.seconds))
    let ordersLoad = median(options.runs) { DataLoader.loadOrders(path: shape.ordersPath, customers: customers) }
    guard let orders = ordersLoad.result.0 else { fail("the \(shape.name) orders file did not load") }
    noteLoaders(ordersLoad.result.1.loads)
    rows.append(("load orders (CSV), \(shape.name)", "\(orders.count) rows", ordersLoad.seconds))
    return (customers, orders, ordersLoad.result.1)
}

/// `perk simulate` over the last 90 days of orders, on loaded tables.
func simulationStage(_ shape: DataShape, customers: CustomerTable, orders: OrderTable) {
    let compilation = Compiler.compile(RuleSources.load([options.rules]).files, schema: Schema(customers: customers, orders: orders))
    guard let program = compilation.program else { fail("\(options.rules) has errors; run perk lint") }
    guard let lastDay = orders.latestDate, let period = SimulationPeriod(from: lastDay.advanced(by: -89), to: lastDay) else {
        fail("no orders to simulate")
    }
    let simulation = median(options.runs) {
        orFail { () throws(RuntimeFailure) in try Simulator(program: program, customers: customers, orders: orders, period: period).run() }
    }
    rows.append(("perk simulate, 90 days, \(shape.name)", "\(period.from) to \(period.to)", simulation.seconds))
}

do {
    let (exportCustomers, exportOrders, _) = loadStages(exportLike)
    simulationStage(exportLike, customers: exportCustomers, orders: exportOrders)
}
let (customers, orders, ordersReport) = loadStages(standard)

let data = DataSet(customers: customers, orders: orders, isSample: false, report: ordersReport)
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

simulationStage(standard, customers: customers, orders: orders)

let bigRules = SourceFile(path: "10000-rules.perk", text: RuleFileGenerator.source(rules: 10_000))
let sampleSchema = Schema(customers: customers, orders: orders)
let lint = median(options.runs) { () -> Int in
    let c = Compiler.compile([bigRules], schema: sampleSchema)
    return Linter.lint(c, population: nil, dataGiven: false, day: day).warningCount
}
rows.append(("parse, check and lint 10,000 rules", "\(lint.result) warnings", lint.seconds))

rows += journalStages(customers: customers, orders: orders, program: program, day: day)
report(rows, memory: memory, generalLoads: generalLoads, extra: [
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

func report(_ rows: [(String, String, Double)], memory: [(shape: String, bytes: Int)], generalLoads: [String],
            extra: [(String, JSON)] = [], title: String? = nil) {
    guard options.json else {
        var table = TextTable(headers: ["stage", "detail", "median s"], rightAligned: [2])
        for r in rows { table.add([r.0, r.1, String(format: "%.3f", r.2)]) }
        print((title ?? "perk-bench: \(options.customers) customers, \(options.orders) orders, median of \(options.runs)") + "\n")
        print(table.rendered())
        for (shape, bytes) in memory {
            print("peak memory of perk run, \(shape): \(bytes / 1_048_576) MB (\(bytes / max(1, options.orders)) bytes per order)")
        }
        if !memory.isEmpty {
            print("files read by the general loader: \(generalLoads.count)" + generalLoads.map { "\n  \($0)" }.joined())
        }
        return
    }
    var fields: [(String, JSON)] = [
        ("customers", .int(options.customers)), ("orders", .int(options.orders)), ("runs", .int(options.runs)),
        ("stages", .array(rows.map { .object([("stage", .string($0.0)), ("detail", .string($0.1)), ("seconds", .number(String(format: "%.4f", $0.2)))]) })),
    ] + extra
    for (shape, bytes) in memory {
        fields += [("peak_memory_bytes \(shape)", .int(bytes)), ("bytes_per_order \(shape)", .int(bytes / max(1, options.orders)))]
    }
    if !memory.isEmpty {
        fields += [("general_loads", .int(generalLoads.count)), ("general_load_files", .array(generalLoads.map(JSON.string)))]
    }
    print(JSON.object(fields).rendered())
}
