/// The columns a checked program reads, found from its checked conditions,
/// not from the words of its source: what a load must check strictly, and
/// which order fields `perk run` must load.
extension CheckedProgram {
    public var namedColumns: NamedColumns {
        var read = ColumnsRead()
        for rule in rules {
            read.visit(rule.condition)
            // Sending through a channel reads its consent column.
            for channel in rule.channels { read.columns.customers.insert(channel.consentColumn) }
        }
        return read.columns
    }
}

/// Collects the columns of a walk over checked expressions.
private struct ColumnsRead {
    var columns = NamedColumns()

    mutating func visit(_ expr: CheckedExpr) {
        switch expr.node {
        case .column(_, let name):
            columns.customers.insert(name)
        case .derived(let field):
            columns.orders.formUnion(field.orderFieldsRead)
        case .orderField(_, let name):
            columns.orders.insert(name)
        case .orderHasItem:
            columns.orders.insert("items")
        case .aggregate(_, let query):
            // An aggregate's field and filter are not among its children.
            if let name = query.fieldName { columns.orders.insert(name) }
            if let filter = query.filter { visit(filter) }
        default:
            break
        }
        for child in expr.children { visit(child) }
    }
}
