import Foundation
import Perk

enum SimulateCommand {
    static let usage = "Usage: perk simulate RULES... --from DATE --to DATE\n"

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: DataFlags.valued.union(["from", "to", "workers"]), switches: DataFlags.switches)
        guard let (workspace, diagnostics) = try DataFlags.open(rules: args.positional, args) else { return ExitCode.failure }
        Console.diagnostics(diagnostics)
        guard let program = workspace.program else { return 1 }
        let period = SimulationPeriod(from: try args.date("from")!, to: try args.date("to")!)!
        let t0 = Date()
        var sim = Simulator(program: program, customers: workspace.data.customers, orders: workspace.data.orders, period: period)
        sim.workers = try args.integer("workers", default: sim.workers, range: 1...64)
        var n = 0
        let r = sim.run(decision: { _ in n += 1 })
        Console.err("simulated in \(Date().timeIntervalSince(t0)) s; \(n) decisions; sent \(r.totals.decisions[.sent]) reached \(r.totals.reached.count) cost \(r.totals.coupons.cost)\n")
        return 0
    }
}
