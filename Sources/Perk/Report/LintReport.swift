/// Diagnostics as JSON, for editors and CI. The shape is documented in the README
/// and stable: new fields may be added, none removed or renamed.
public enum LintReport {
    public static func json(_ diagnostics: [Diagnostic], files: Int) -> JSON {
        .object([
            ("files", .int(files)),
            ("errors", .int(diagnostics.errorCount)),
            ("warnings", .int(diagnostics.warningCount)),
            ("diagnostics", .array(diagnostics.map(entry))),
        ])
    }

    static func entry(_ d: Diagnostic) -> JSON {
        var fields: [(String, JSON)] = [("severity", .string(d.severity.rawValue)), ("code", .string(d.code)), ("message", .string(d.message))]
        switch d.location {
        case .source(let file, let range)?:
            let start = file.lineColumn(of: range.start), end = file.lineColumn(of: range.end)
            fields += [("file", .string(file.path)), ("line", .int(start.line)), ("column", .int(start.column)),
                       ("end_line", .int(end.line)), ("end_column", .int(end.column))]
        case .point(let path, let line, let column, _)?:
            fields += [("file", .string(path)), ("line", .int(line)), ("column", .int(column))]
        case .file(let path)?:
            fields += [("file", .string(path))]
        case nil:
            break
        }
        fields.append(("notes", .array(d.notes.map(JSON.string))))
        fields.append(("help", .optional(d.help)))
        if let fix = d.fixIt, case .source(let file, _)? = d.location {
            let start = file.lineColumn(of: fix.range.start), end = file.lineColumn(of: fix.range.end)
            fields.append(("fix", .object([("line", .int(start.line)), ("column", .int(start.column)), ("end_line", .int(end.line)),
                                           ("end_column", .int(end.column)), ("replacement", .string(fix.replacement))])))
        }
        return .object(fields)
    }
}
