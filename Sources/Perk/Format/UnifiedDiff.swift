/// A unified diff of two texts by lines (`---`/`+++` headers, `@@` hunks with
/// three lines of context), from a shortest edit script found by Myers's
/// O((N+M)D) algorithm, which stays fast when a big file changes little.
public enum UnifiedDiff {
    /// A line kept (old, new index), deleted (old index, and the new side's
    /// position there) or inserted (new index, and the old side's position).
    enum Edit: Equatable { case same(Int, Int), delete(Int, at: Int), insert(Int, at: Int) }

    public static func diff(_ old: String, _ new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        let edits = script(a, b)
        guard edits.contains(where: { if case .same = $0 { return false } else { return true } }) else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        for hunk in hunks(edits, context: context) {
            out += header(hunk)
            for edit in hunk {
                switch edit {
                case .same(let i, _): out += " " + a[i] + "\n"
                case .delete(let i, _): out += "-" + a[i] + "\n"
                case .insert(let j, _): out += "+" + b[j] + "\n"
                }
            }
        }
        return out
    }

    static func lines(_ text: String) -> [String] {
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    /// The edits from `a` to `b`, in order.
    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count, m = b.count, offset = n + m + 1
        var v = [Int](repeating: 0, count: 2 * offset + 1)
        var trace: [[Int]] = []
        search: for d in 0...(n + m) {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n, y >= m { break search }
            }
        }
        // Walk back through the saved frontiers.
        var edits: [Edit] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
            let previousX = d == 0 ? 0 : v[offset + previousK]
            let previousY = previousX - previousK
            while x > previousX, y > previousY { x -= 1; y -= 1; edits.append(.same(x, y)) }
            if d > 0 {
                if x == previousX { y -= 1; edits.append(.insert(y, at: x)) } else { x -= 1; edits.append(.delete(x, at: y)) }
            }
        }
        while x > 0, y > 0 { x -= 1; y -= 1; edits.append(.same(x, y)) }
        return edits.reversed()
    }

    /// Runs of edits with up to `context` unchanged lines around each change;
    /// changes closer than twice that share a hunk.
    static func hunks(_ edits: [Edit], context: Int) -> [ArraySlice<Edit>] {
        let changed = edits.indices.filter { if case .same = edits[$0] { return false } else { return true } }
        var out: [ArraySlice<Edit>] = []
        var k = 0
        while k < changed.count {
            let start = Swift.max(0, changed[k] - context)
            var last = changed[k]
            while k + 1 < changed.count, changed[k + 1] - last <= 2 * context + 1 { k += 1; last = changed[k] }
            out.append(edits[start..<Swift.min(edits.count, last + context + 1)])
            k += 1
        }
        return out
    }

    /// `@@ -l,s +l,s @@`: where the hunk starts on each side (1-based) and
    /// how many lines it covers; an empty side names the line before it, as
    /// diff does.
    private static func header(_ hunk: ArraySlice<Edit>) -> String {
        var oldCount = 0, newCount = 0
        for edit in hunk {
            switch edit {
            case .same: oldCount += 1; newCount += 1
            case .delete: oldCount += 1
            case .insert: newCount += 1
            }
        }
        let (oldAt, newAt) = position(before: hunk.first)
        return "@@ -\(side(oldAt, oldCount)) +\(side(newAt, newCount)) @@\n"
    }

    /// `l,s`; as GNU diff writes it, `l` alone for one line, and the line
    /// before for none.
    private static func side(_ at: Int, _ count: Int) -> String {
        switch count {
        case 0: return "\(at),0"
        case 1: return "\(at + 1)"
        default: return "\(at + 1),\(count)"
        }
    }

    /// The lines of each side before an edit.
    private static func position(before edit: Edit?) -> (Int, Int) {
        switch edit {
        case .same(let i, let j)?: return (i, j)
        case .delete(let i, let j)?: return (i, j)
        case .insert(let j, let i)?: return (i, j)
        case nil: return (0, 0)
        }
    }
}
