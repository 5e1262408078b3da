/// Binds a checked program to one data set: the checker resolves names against
/// a schema, which may come from headers or a schema file before any row is
/// read; the binder then points them at the loaded tables. Columns are found by
/// name (the tables may order them differently from the schema), each
/// `items contains "..."` gets the item's id in these orders, and each channel
/// the column that records consent. Warnings about the data itself, such as an
/// item no order has (P115), are the binder's: they depend on the rows, not on
/// the rules.
public enum Binder {
    /// `program`, bound to data described by `data` (the schema of loaded
    /// tables: `Schema(customers:orders:)`, with the orders' item names).
    public static func bind(_ program: CheckedProgram, to data: Schema) -> (CheckedProgram, [Diagnostic]) {
        var bound = program
        var binding = Binding(checked: program.schema, data: data)
        for r in bound.rules.indices {
            let file = bound.rules[r].file
            bound.rules[r].condition = binding.bind(bound.rules[r].condition, in: file, defines: program.defines)
            for a in bound.rules[r].actions.indices {
                bound.rules[r].actions[a].consentSlot = bound.rules[r].actions[a].channel.flatMap(binding.consentSlot)
            }
        }
        for d in bound.defines.indices {
            bound.defines[d].value = binding.bind(bound.defines[d].value, in: bound.defines[d].file, defines: program.defines)
        }
        bound.schema = data
        return (bound, binding.diagnostics)
    }

    /// One expression (a REPL entry), bound like a rule's condition.
    public static func bind(_ e: CheckedExpr, in file: SourceFile, checkedAgainst schema: Schema, to data: Schema,
                            defines: [CheckedDefine] = []) -> (CheckedExpr, [Diagnostic]) {
        var binding = Binding(checked: schema, data: data)
        return (binding.bind(e, in: file, defines: defines), binding.diagnostics)
    }
}

private struct Binding {
    let checked: Schema
    let data: Schema
    /// Each checked slot's column in the data, by name.
    let columnSlots: [Int: Int]
    var diagnostics: [Diagnostic] = []
    /// Items already warned about, by place: a define's body is bound at each
    /// use, and one warning per place is enough.
    private var warned: Set<String> = []

    init(checked: Schema, data: Schema) {
        self.checked = checked
        self.data = data
        var slots: [Int: Int] = [:]
        for field in checked.customerFields {
            if let found = data.customerField(field.name) { slots[field.slot] = found.slot }
        }
        columnSlots = slots
    }

    func consentSlot(_ channel: Channel) -> Int? {
        data.customerField(channel.consentColumn).flatMap { $0.type == .bool ? $0.slot : nil }
    }

    /// `e` with its columns and items pointing at the data. `file` is where `e`
    /// is written; a define's body is in the define's file.
    mutating func bind(_ e: CheckedExpr, in file: SourceFile, defines: [CheckedDefine]) -> CheckedExpr {
        switch e.node {
        case .column(let slot, let name):
            var out = e
            out.node = .column(columnSlots[slot] ?? slot, name: name)
            return out
        case .orderField(.column, let name):
            var out = e
            out.node = .orderField(data.orderField(name)?.slot ?? .absent, name: name)
            return out
        case .orderHasItem(_, let name, let needle):
            var out = e
            out.node = .orderHasItem(itemID(name, at: needle, in: file), name: name, nameRange: needle)
            return out
        case .define(let name, _):
            let home = defines.first { $0.name == name }?.file ?? file
            return e.mapChildren { bind($0, in: home, defines: defines) }
        default:
            return e.mapChildren { bind($0, in: file, defines: defines) }
        }
    }

    /// The item's id in the orders; -1 (no order matches) when none has it,
    /// with a warning when there are orders to have it. With no items at all
    /// (no orders file, as under `perk run --matches`, or a file of no rows,
    /// which D023 reports) the warning would only repeat that.
    private mutating func itemID(_ name: String, at needle: SourceRange, in file: SourceFile) -> Int32 {
        guard let names = data.itemNames, !names.isEmpty else { return -1 }
        if let id = data.itemID(name) { return id }
        guard warned.insert("\(file.path):\(needle.start)").inserted else { return -1 }
        let guess = Suggest.closest(to: name, among: names)
        diagnostics.append(SemanticError.unknownItem(name, suggestion: guess)
            .diagnostic(in: file, needle, fixIt: guess.map { Diagnostic.FixIt(range: needle, replacement: "\"\($0)\"") }))
        return -1
    }
}
