/// A file's syntax tree written out without positions or node ids: two files
/// with the same fingerprint are the same program, whatever their layout.
/// It reads the tree by reflection, so a new kind of declaration or node is
/// covered without a line here.
enum SyntaxFingerprint {
    /// Where a node was written, and its id, are not what it says.
    private static let positional: Set<String> = ["range", "id", "allowanceRange"]

    static func of(_ declarations: [Declaration]) -> String {
        var out = ""
        for declaration in declarations {
            write(declaration, into: &out)
            out += "\n"
        }
        return out
    }

    /// Any value written out the same way, leaving out the properties named
    /// in `skipping` too (a checked rule's `schema`, say).
    static func describe(_ value: Any, skipping: Set<String> = []) -> String {
        var out = ""
        write(value, into: &out, skipping: skipping)
        return out
    }

    private static func write(_ value: Any, into out: inout String, skipping: Set<String> = []) {
        // A range under another name (`exclusive`) says that it was written,
        // not where; the source file is the same file.
        if value is SourceRange || value is SourceFile {
            out += "@"
            return
        }
        let mirror = Mirror(reflecting: value)
        guard !mirror.children.isEmpty else {
            out += String(describing: value)
            return
        }
        out += "\(mirror.subjectType)("
        for child in mirror.children {
            if let label = child.label, positional.contains(label) || skipping.contains(label) { continue }
            out += (child.label ?? "") + ":"
            write(child.value, into: &out, skipping: skipping)
            out += ","
        }
        out += ")"
    }
}
