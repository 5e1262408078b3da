/// Which loader read a data file, and, when the general one did, why.
///
/// The parallel loaders take every well-formed CSV or JSON Lines file; the general loader
/// is there to report what is wrong. A file that is well formed but read by
/// the general loader is read several times slower, so it must never happen
/// silently: `perk-bench` prints these, and the tests pin them.
public enum LoaderPath: Sendable, Equatable, CustomStringConvertible {
    case parallel
    case general(StepAside)

    public var description: String {
        switch self {
        case .parallel: return "parallel"
        case .general(let why): return "general (\(why.rawValue))"
        }
    }
}

/// Why a parallel loader left a file to the general loader.
public enum StepAside: String, Error, Sendable, Equatable {
    /// A header the parallel loaders leave: quoted names, a problem, a column missing.
    case header = "its header"
    /// A tier column with a value outside the default order (D018).
    case undeclaredTier = "a tier with no known order"
    /// A lone `\r`, a NUL byte, bytes that are not UTF-8, a quote out of place,
    /// a row with the wrong number of fields, or an unclosed quote.
    case structure = "a row that is not well-formed CSV"
    /// A cell that does not fit its column (D012, D013, or a D024 to give),
    /// an empty or listed id, a negative amount.
    case cell = "a cell that does not fit its column"
    /// Two orders or customers that may share an id.
    case repeatedID = "an id that may repeat"
    /// A header and no rows (D023).
    case noRows = "no rows"
}

/// A file read by a load, and the loader that read it.
public struct FileLoad: Sendable, Equatable {
    public var path: String
    public var loader: LoaderPath
}
