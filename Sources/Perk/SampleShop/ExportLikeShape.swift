/// The sample shop written as a real point-of-sale or CRM export writes it
/// (`perk sample-data --export-like`), so benchmarks and tests see the files
/// Perk meets in a shop, not only its own tidy ones:
///
/// - columns Perk does not know: numbers (a loyalty card, a store id, a
///   terminal, an external order number) and free text (a cashier, notes with
///   commas, quotes written `""`, accents and Chinese, and empty cells);
/// - the columns in a shuffled order, the same for every row;
/// - customer ids without zero padding (`C17317`, not `C017317`);
/// - orders in time order, as a till writes them (the sample's already are),
///   and a few item names with accents.
///
/// The rows are the standard sample's, rewritten one at a time as the
/// generator hands them over, so a file of any size takes no more memory than
/// the standard one. Deterministic: one seed, one pair of files.
struct ExportLikeShape {
    /// A column the export adds, and how to draw a cell of it (CSV bytes).
    struct ExtraColumn {
        var name: String
        var cell: (inout SampleRandom) -> [UInt8]

        /// One of `texts`, each quoted once here rather than per row.
        static func choice(_ name: String, _ texts: [String]) -> ExtraColumn {
            let fields = texts.map { text -> [UInt8] in
                var buffer = SampleRowBuffer()
                buffer.appendField(text)
                return buffer.bytes
            }
            return ExtraColumn(name: name) { fields[$0.below(fields.count)] }
        }

        static func number(_ name: String, _ range: ClosedRange<Int>) -> ExtraColumn {
            ExtraColumn(name: name) { Array(String($0.between(range)).utf8) }
        }
    }

    static let customerExtras: [ExtraColumn] = [
        .number("loyalty_card", 6_200_000_000_000_000...6_200_000_999_999_999),
        .number("store_id", 1...399),
        .choice("note", notes),
    ]

    static let orderExtras: [ExtraColumn] = [
        .number("terminal", 1...8),
        .choice("cashier", cashiers),
        .number("external_no", 0...999_999_999_999),
        .choice("memo", memos),
    ]

    /// Free text as tills and CRMs hold it: empty, commas, quotes, accents, Chinese.
    static let notes = ["", "vip \"gold\", see CRM", "café crème; 少糖", "n/a", "allergic to nuts, \"no\" peanuts"]
    static let memos = ["", "no ice, \"extra\" boba", "à emporter", "外卖", "", "请少冰, thanks"]
    static let cashiers = ["李娜", "José", "Anne-Marie", "王伟", "Zoë"]
    /// Item names the export writes with their accents, as a French menu would.
    static let itemNames: [(standard: String, export: String)] = [("Matcha Latte", "Matcha Latté"), ("Pudding", "Crème Pudding")]
}

/// Rewrites one table of the standard sample, row by row, into its export
/// shape. Fed the generator's chunks, which always end at a row's end.
struct ExportLikeRewriter {
    private let extras: [ExportLikeShape.ExtraColumn]
    /// Output position `k` holds input column `order[k]`; the extras follow
    /// the input's columns.
    private var order: [Int] = []
    private var customerColumn: Int?
    private var itemsColumn: Int?
    private var rng: SampleRandom
    private var header = true
    private var fields: [Range<Int>] = []
    private var out: [UInt8] = []

    init(extras: [ExportLikeShape.ExtraColumn], seed: UInt64, stream: SampleRandom.Stream) {
        self.extras = extras
        rng = SampleRandom(seed: seed, stream: stream)
    }

    /// The rewritten rows of `chunk`, whole rows in, whole rows out.
    mutating func rewrite(_ chunk: [UInt8]) -> [UInt8] {
        out.removeAll(keepingCapacity: true)
        var start = 0
        while start < chunk.count {
            var end = start
            while end < chunk.count, chunk[end] != UInt8(ascii: "\n") { end += 1 }
            rewriteRow(chunk, start..<end)
            start = end + 1
        }
        return out
    }

    private mutating func rewriteRow(_ bytes: [UInt8], _ row: Range<Int>) {
        split(bytes, row)
        if header {
            header = false
            let names = fields.map { String(decoding: bytes[$0], as: UTF8.self) } + extras.map(\.name)
            customerColumn = names.firstIndex(of: "customer_id")
            itemsColumn = names.firstIndex(of: "items")
            order = Array(names.indices)
            // Fisher–Yates with the sample's own integer random numbers.
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
            for (k, column) in order.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out += Array(names[column].utf8)
            }
            out.append(UInt8(ascii: "\n"))
            return
        }
        // The extras are drawn in column order, whatever order they are written in.
        var drawn: [[UInt8]] = []
        for extra in extras { drawn.append(extra.cell(&rng)) }
        for (k, column) in order.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            guard column < fields.count else {
                out += drawn[column - fields.count]
                continue
            }
            let cell = bytes[fields[column]]
            if column == customerColumn {
                out += Self.unpadded(cell)
            } else if column == itemsColumn {
                out += Self.exportItems(cell)
            } else {
                out += cell
            }
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// The fields of a row the standard sample wrote: quoted fields may hold
    /// commas, never a line break.
    private mutating func split(_ bytes: [UInt8], _ row: Range<Int>) {
        fields.removeAll(keepingCapacity: true)
        var start = row.lowerBound, quoted = false
        for i in row {
            if bytes[i] == UInt8(ascii: "\"") { quoted.toggle() }
            if bytes[i] == UInt8(ascii: ","), !quoted {
                fields.append(start..<i)
                start = i + 1
            }
        }
        fields.append(start..<row.upperBound)
    }

    /// `C000123` as `C123`: a letter prefix, then the number without its zeros.
    static func unpadded(_ id: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let digits = id.firstIndex(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return id }
        var first = digits
        while first + 1 < id.endIndex, id[first] == UInt8(ascii: "0") { first += 1 }
        return id[id.startIndex..<digits] + id[first...]
    }

    private static let exportItemNames = ExportLikeShape.itemNames.map { (Array($0.standard.utf8), Array($0.export.utf8)) }

    /// The items with the names the export gives them.
    static func exportItems(_ items: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard exportItemNames.contains(where: { items.firstRange(of: $0.0) != nil }) else { return items }
        var names = items.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map(Array.init)
        for i in names.indices {
            if let renamed = exportItemNames.first(where: { $0.0 == names[i] }) { names[i] = renamed.1 }
        }
        return ArraySlice(names.joined(separator: [UInt8(ascii: ";")]))
    }
}
