/// What makes an order's own cells valid, written once for both order loaders:
/// the parallel one keeps a row only when these succeed, and the general one
/// says why they did not.
enum OrderCells {
    /// Why a required order cell cannot be read.
    enum Problem: Error, Equatable {
        case empty
        case negative
        case invalid(CellParser.Failure)
    }

    /// `ordered_at`: a date, or a local date and time; seconds are -1 for a date.
    static func orderedAt(_ raw: UnsafeBufferPointer<UInt8>) -> Result<(day: Int32, seconds: Int32), Problem> {
        let text = CellParser.trimmed(raw)
        guard !text.isEmpty else { return .failure(.empty) }
        return CellParser.dateOrDateTime(text).mapError(Problem.invalid)
    }

    /// `amount`: an exact decimal, not below zero.
    static func amount(_ raw: UnsafeBufferPointer<UInt8>, _ cache: inout DecimalCache) -> Result<Number, Problem> {
        let text = CellParser.trimmed(raw)
        guard !text.isEmpty else { return .failure(.empty) }
        switch cache.number(text) {
        case .success(let n): return n.isNegative ? .failure(.negative) : .success(n)
        case .failure(let f): return .failure(.invalid(f))
        }
    }
}
