/// Which order fields a command will read, besides the dates and customers
/// that every command reads.
///
/// `perk run` reads only the fields its rules name, as a database reads only
/// the columns a query names, and the parallel loader leaves the others out
/// of the table: interning a million orders' items is most of a load. Every
/// cell is still checked, so a file gives the same errors whatever the rules.
public enum OrderFieldSelection: Sendable, Equatable {
    case all
    /// `amount`, `items` and the other columns, by name.
    case only(Set<String>)

    public func includes(_ field: String) -> Bool {
        switch self {
        case .all: return true
        case .only(let names): return names.contains(field)
        }
    }
}
