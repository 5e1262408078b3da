import Perk

/// `perk sample-data`: writes a synthetic tea-shop data set to CSV files.
enum SampleDataCommand {
    static let usage = """
    Usage: perk sample-data [--customers N] [--orders M] [--seed S] [--export-like] --out DIR

    Writes customers.csv and orders.csv for a realistic milk-tea chain: tiers,
    birthdays, consent flags, sugar preference, a year of orders (2025) with
    regulars, lapsed customers and guest orders. The same options always give
    the same files.

    Options:
      --customers N   number of customers (default 3000)
      --orders M      number of orders (default 60000)
      --seed S        random seed (default 42)
      --export-like   write the files as a till or CRM exports them: extra
                      columns Perk does not know (card and order numbers,
                      cashiers, notes with commas, quotes and Chinese), the
                      columns shuffled, ids without zero padding
      --out DIR       folder to write to; created if needed

    Exit status: 0 when written; 1 if DIR cannot be written; 2 for a bad command line.
    Example: perk sample-data --customers 100000 --orders 1000000 --out /tmp/big

    """

    static let options = Arguments.Options(valued: ["customers", "orders", "seed", "out"], switches: ["export-like"])

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options)
        guard args.positional.isEmpty else {
            throw Arguments.UsageError(description: "unexpected argument `\(args.positional[0])`")
        }
        guard let out = try args.value("out") else { throw Arguments.UsageError(description: "--out DIR is required") }
        if let problem = OutputFile.problem(writingInto: out) {
            Console.err(OutputFile.message("sample-data", out, problem))
            return ExitCode.failure
        }
        let defaults = SampleShopConfig()
        let config = SampleShopConfig(
            customers: try args.integer("customers", default: defaults.customers, range: 1...50_000_000),
            orders: try args.integer("orders", default: defaults.orders, range: 0...500_000_000),
            seed: UInt64(try args.integer("seed", default: Int(defaults.seed), range: 0...Int.max)),
            exportLike: args.flag("export-like"))
        switch SampleShop.write(config, to: out) {
        case .success(let paths):
            // Other commands count the orders they load; say why theirs is lower.
            let guests = config.guestOrders == 0 ? ""
                : " (other commands count \(PlanReport.grouped(config.orders - config.guestOrders)): "
                    + DataSet.guestOrdersLeftOut(config.guestOrders) + ")"
            Console.err("Wrote \(PlanReport.grouped(config.customers)) customers and \(PlanReport.grouped(config.orders)) orders\(guests):\n")
            for p in paths { Console.err("  \(p)\n") }
            return ExitCode.success
        case .failure(let error):
            Console.err("perk sample-data: \(error.description)\n")
            return ExitCode.failure
        }
    }
}
