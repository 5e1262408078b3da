/// Where a column's type comes from.
enum ColumnTypeOrigin: Equatable {
    /// A schema file declares it.
    case declared
    /// Perk knows the column by its name (`store` is text, `discount` a number).
    case known
    /// Proposed by the first rows of the file (`ColumnSample`).
    case sampled
}

/// What a column's type is before its rows are loaded, and what a cell that
/// does not fit it means.
///
/// A *strict* column's misfit is a bad row (D012 and its kin): the column is
/// declared, known, standard (`birthday`, `tier`, `points`, consent columns),
/// or a rule reads it. Any other column's type was only proposed by the
/// sample and nothing reads it, so a misfit must not stop a run: the column
/// is read as text, with a warning naming the first cell that does not fit
/// (D024, see `ConformancePass`). Never silently.
enum ColumnTyping {
    /// Customer columns Perk gives meaning to, wherever a rule names them or not.
    static func isStandardCustomerColumn(_ name: String) -> Bool {
        name == "birthday" || name == "tier" || name == "points" || name.hasSuffix("_opt_in")
    }

    /// Optional order columns whose type is known without looking at them.
    static let knownOrderTypes: [String: PerkType] = [
        "store": .text, "channel": .text, "coupon_code": .text, "discount": .number,
    ]

    /// The type of the column `name`: declared, known, or proposed by `sample`
    /// (text when the sample has not seen the column).
    static func type(of name: String, declared: [String: PerkType], known: [String: PerkType] = [:],
                     sample: ColumnSample) -> (type: PerkType, origin: ColumnTypeOrigin) {
        if let type = declared[name] { return (type, .declared) }
        if let type = known[name] { return (type, .known) }
        return (sample.proposed[name]?.type ?? .text, .sampled)
    }

    /// A `tier` column's value with no known rank, seen in the sample: the
    /// load stops with D018 until a schema declares the order.
    static func undeclaredTier(_ name: String, origin: ColumnTypeOrigin, sample: ColumnSample) -> InferenceProblem? {
        guard origin == .sampled, let problem = sample.proposed[name]?.problem,
              problem.kind == .tierOutsideDefaultOrder else { return nil }
        return problem
    }

    static func isStrict(_ name: String, origin: ColumnTypeOrigin, standard: Bool, named: Set<String>) -> Bool {
        origin != .sampled || standard || named.contains(name)
    }
}

/// The columns of each table that the rules read, so their cells must fit.
public struct NamedColumns: Sendable, Equatable {
    public var customers: Set<String>
    public var orders: Set<String>

    public init(customers: Set<String> = [], orders: Set<String> = []) {
        self.customers = customers
        self.orders = orders
    }
}

// MARK: - Columns no rule names

/// The loaders' first pass over the rows, for the columns whose type the
/// sample proposed and no rule reads: the first cell that does not fit makes
/// the column text, with a warning (D024) that names that cell. Strict
/// columns are not looked at here; their misfits are bad rows.
enum ConformancePass {
    static func conform<S: RecordSource, P: ColumnPlan>(_ source: inout S, _ columns: inout [P], prefix: String,
                                                       with diagnostics: DataDiagnostics) -> [Diagnostic] {
        var open = columns.indices.filter { !columns[$0].isStrict && columns[$0].isTyped && columns[$0].type != .text }
        guard !open.isEmpty else { return [] }
        var misfits: [(column: Int, text: String, location: CellLocation)] = []
        var converter = CellConverter()
        var row = RawRow()
        let bytes = source.bytes
        bytes.withUnsafeBufferPointer { file in
            let cells = CellValues(file: file)
            while !open.isEmpty, source.next(into: &row) {
                if row.isMisaligned { continue }
                open.removeAll { c in
                    let cell = row.cells[columns[c].index]
                    // A list is a bad row in any column but items; that is the row check's.
                    guard cell.encoding != .list,
                          case .failure = cells.withValue(of: cell, { converter.value($0, as: columns[c].type) }) else { return false }
                    misfits.append((c, cells.text(of: cell), row.location(of: cell)))
                    return true
                }
            }
        }
        source.rewind()
        return misfits.sorted { $0.column < $1.column }.map { misfit in
            let name = columns[misfit.column].name
            let type = columns[misfit.column].type
            columns[misfit.column].type = .text
            // A spreadsheet's format, not a stray: say how to export it again.
            if let mistake = CellMistake.of(misfit.text, type: type) {
                let holding = mistake.holding(CellMessages.shown(misfit.text))
                return diagnostics.warning(
                    .columnReadAsText,
                    "column `\(name)` holds \(holding)\(holding.hasSuffix(",") ? "" : ",") which Perk cannot read as "
                        + "\(TypeWords.plural(type)); no rule reads it, so it is read as text",
                    at: misfit.location, help: mistake.help)
            }
            return diagnostics.warning(
                .columnReadAsText,
                "column `\(name)` holds \(TypeWords.plural(type)) in its first rows, but this cell is \(CellMessages.shown(misfit.text)); no rule reads it, so it is read as text",
                at: misfit.location,
                help: "declare the column in a schema file, as `\(prefix)\(name): text` to read it as text, or with its type to have every cell checked")
        }
    }
}

/// Types in words, for messages about what a column holds.
enum TypeWords {
    static func plural(_ type: PerkType) -> String {
        switch type {
        case .number, .percent: return "numbers"
        case .date: return "dates"
        case .datetime: return "dates and times"
        case .bool: return "yes/no values"
        case .enumeration(let e): return "values of \(e.cases.joined(separator: " < "))"
        case .text, .duration, .list, .unknown: return "text"
        }
    }
}
