/// "Did you mean" suggestions by edit distance.
public enum Suggest {
    /// The candidate closest to `word`, if it is close enough to be a likely typo:
    /// first one equal but for case, spaces, `_` and `-` (`CustomerID` for
    /// `customer_id`), else the nearest within a few edits. Never `word` itself.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let others = candidates.filter { $0 != word }
        let key = normalized(word)
        if let same = others.first(where: { normalized($0) == key }) { return same }
        let w = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for candidate in others {
            let c = Array(candidate.lowercased().unicodeScalars)
            if abs(c.count - w.count) > 3 { continue }
            let d = distance(w, c)
            if best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) { best = (candidate, d) }
        }
        guard let (name, d) = best else { return nil }
        let limit = Swift.max(1, Swift.min(3, w.count / 3))
        return d <= limit ? name : nil
    }

    private static func normalized(_ s: String) -> String {
        String(s.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
    }

    /// Damerau–Levenshtein distance (adjacent swaps count as one edit).
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = Swift.min(cur[j], prev2[j - 2] + 1)
                }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }
}
