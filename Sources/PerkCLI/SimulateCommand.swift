#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Perk

/// `perk simulate`: replays a period of orders with the rules switched on and
/// reports who would have received what, what it would have cost, and whether
/// budgets hold.
enum SimulateCommand {
    static let usage = """
    Usage: perk simulate RULES... --from DATE --to DATE [--format text|json|html] [--out FILE]
                         [--ledger FILE] [--compare RULES...] [--journal DIR] [--customers FILE] [--orders FILE]

    Replays the orders from --from to --to with the rules switched on: who would have received
    what, at what cost, whether the budgets hold. Nobody is contacted. RULES: .perk files, folders.

    Options:
      --from DATE        the first day to replay (YYYY-MM-DD)
      --to DATE          the last day to replay, included
      --format FORMAT    text (default), json, or html (one page with charts, to print)
      --out FILE         write the report to FILE, not standard output; without --format, its
                         name ends in the format: .txt (text), .json or .html
      --ledger FILE      also write every decision as CSV, one row per action
      --compare RULES... simulate these rules too, and show what changes
      --journal DIR      start from a campaign journal: its days before --from count
    \(DataFlags.help)

    Exit status: 0 with a report; 1 if the rules or data have errors or a file cannot be written;
    2 for a bad command line.
    Example: perk simulate rules/ --from 2025-10-01 --to 2025-12-31 --out report.html

    """

    /// Longer periods are almost surely a typo in a year.
    static let maxDays = 3660

    static let options = Arguments.Options(valued: DataFlags.valued.union(["from", "to", "format", "out", "ledger", "journal"]),
                                           switches: DataFlags.switches, collecting: ["compare"])

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options)
        guard !args.positional.isEmpty else { throw Arguments.UsageError(description: "name at least one rules file or folder") }
        let period = try self.period(args)
        let format: SimulationReport.Format = try OutputFile.format(
            args, default: .text, extensions: [(.text, ["txt"]), (.json, ["json"]), (.html, ["html", "htm"])], command: "simulate",
            hints: ["csv": "for every decision as CSV, use --ledger FILE"])
        let out = try args.value("out"), ledgerPath = try args.value("ledger")
        let compareRules = args.list("compare")
        if argv.contains(where: { $0 == "--compare" || $0.hasPrefix("--compare=") }), compareRules.isEmpty {
            throw Arguments.UsageError(description: "--compare needs the rules files or folders to compare with")
        }

        for path in [out, ledgerPath].compactMap({ $0 }) {
            if let problem = OutputFile.problem(writing: path) {
                Console.err(OutputFile.message("simulate", path, problem))
                return ExitCode.failure
            }
        }

        guard let (workspace, opening) = try DataFlags.open(rules: args.positional, args, nothingWas: "simulated"),
              let program = DataFlags.program(of: workspace, opening, nothingWas: "simulated") else { return ExitCode.failure }
        var compared: CheckedProgram?
        if !compareRules.isEmpty {
            let (other, fileProblems) = workspace.with(rules: compareRules)
            guard let p = DataFlags.program(of: other, loadDiagnostics: fileProblems,
                                            nothingWas: "simulated; the errors are in the --compare rules") else {
                return ExitCode.failure
            }
            compared = p
        }

        let data = workspace.data
        var history: JournalHistory?
        if let path = try args.value("journal") {
            guard let read = JournalCommand.read(JournalFolder(path: path), customers: data.customers, nothingWas: "simulated") else {
                return ExitCode.failure
            }
            JournalCommand.warnAboutWhatTheRulesAndDataLack(read, program: program, customers: data.customers)
            let later = read.days.filter { $0 >= period.from }
            if let first = later.first {
                let days = later.count == 1 ? "day \(first) is" : "\(PlanReport.grouped(later.count)) days from \(first) on are"
                Console.err("perk: the journal's \(days) not counted: the simulation decides \(later.count == 1 ? "it" : "them") itself.\n")
            }
            history = read
        }

        // Open the files first, so a bad path fails before a long run.
        var ledger: LedgerStream?
        if let ledgerPath {
            switch FileOutput.open(ledgerPath) {
            case .success(let file): ledger = LedgerStream(file, SimulationLedger(program: program, customers: data.customers))
            case .failure(let failure): return cannotWrite(ledgerPath, failure.code)
            }
        }
        var report: FileOutput?
        if let out {
            switch FileOutput.open(out) {
            case .success(let file): report = file
            case .failure(let failure): return cannotWrite(out, failure.code)
            }
        }

        var progress = ProgressLine(runs: compared == nil ? 1 : 2)
        let result: SimulationResult
        var comparison: SimulationComparison?
        do throws(RuntimeFailure) {
            result = try Simulator(program: program, customers: data.customers, orders: data.orders, period: period, history: history)
                .run(progress: { progress.show($0, of: $1, from: period.from) }, decision: { ledger?.add($0) })
            if let compared {
                progress.nextRun()
                let other = try Simulator(program: compared, customers: data.customers, orders: data.orders, period: period, history: history)
                    .run(progress: { progress.show($0, of: $1, from: period.from) })
                comparison = SimulationComparison(base: result, compared: other)
            }
        } catch {
            progress.clear()
            if let ledger, let ledgerPath, ledger.finish() == nil {
                Console.err("perk: \(ledgerPath) holds the decisions up to the failure only.\n")
            }
            return DataFlags.stopped(by: error, nothingWas: "reported")
        }
        progress.clear()
        if let ledger, let ledgerPath {
            if let code = ledger.finish() { return cannotWrite(ledgerPath, code) }
        }

        let labels = (args.positional.joined(separator: " "), compareRules.joined(separator: " "))
        let text = SimulationReport(result: result, comparison: comparison, dataSummary: data.summary, labels: labels).rendered(format)
        if let report, let out {
            report.write(text)
            if let code = report.close() { return cannotWrite(out, code) }
            Console.err("Wrote the \(format.rawValue) report to \(out).\n")
        } else {
            Console.out(text)
        }
        if let ledgerPath { Console.err("Wrote the ledger to \(ledgerPath).\n") }
        return ExitCode.success
    }

    // MARK: Command line

    private static func period(_ args: Arguments) throws -> SimulationPeriod {
        let from = try args.date("from"), to = try args.date("to")
        guard let from, let to else {
            let missing = [from == nil ? "--from DATE" : nil, to == nil ? "--to DATE" : nil].compactMap { $0 }
            throw Arguments.UsageError(description: "\(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") required: the days to replay")
        }
        guard let period = SimulationPeriod(from: from, to: to) else {
            throw Arguments.UsageError(description: "--from \(from) is after --to \(to)")
        }
        guard period.dayCount <= maxDays else {
            throw Arguments.UsageError(description: "--from \(from) to --to \(to) is \(period.dayCount) days; simulate at most \(maxDays) (ten years)")
        }
        return period
    }

    private static func cannotWrite(_ path: String, _ code: Int32) -> Int32 {
        Console.err(OutputFile.message("simulate", path, OutputFile.reason(code, path: path)))
        return ExitCode.failure
    }
}

/// The ledger, written as the decisions are made, a megabyte at a time.
private final class LedgerStream {
    private let file: FileOutput
    private var rows: SimulationLedger
    private var buffer: [UInt8] = []

    init(_ file: FileOutput, _ rows: SimulationLedger) {
        self.file = file
        self.rows = rows
        file.write(SimulationLedger.headerLine)
    }

    func add(_ decision: SimulatedDecision) {
        rows.write(decision, to: &buffer)
        if buffer.count >= 1 << 20 {
            file.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is left and closes the file; the error number of the
    /// first write that failed, or nil.
    func finish() -> Int32? {
        file.write(buffer)
        return file.close()
    }
}

/// "Simulating 2025-10-15 (day 15 of 90)" on standard error, rewritten in
/// place, when it is a terminal and the run has taken more than a second.
private struct ProgressLine {
    private let enabled = isatty(STDERR_FILENO) != 0
    private let start = Date()
    private let runs: Int
    private var run = 1
    private var shown = false

    init(runs: Int) { self.runs = runs }

    mutating func show(_ done: Int, of days: Int, from: LocalDate) {
        guard enabled, Date().timeIntervalSince(start) > 1 else { return }
        let which = runs > 1 ? " (\(run == 1 ? "base rules" : "--compare rules"))" : ""
        Console.err("\rSimulating \(from.advanced(by: done - 1)): day \(done) of \(days)\(which)   ")
        shown = true
    }

    mutating func nextRun() { run += 1 }

    mutating func clear() {
        guard shown else { return }
        Console.err("\r" + String(repeating: " ", count: 72) + "\r")
        shown = false
    }
}
