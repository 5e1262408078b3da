import Foundation

/// Lint results as text tables, JSON and SARIF. The JSON shape is documented
/// in the README and stable: fields may be added, none removed or renamed.
public enum LintReport {
    public static func json(_ diagnostics: [Diagnostic], files: Int, errors: Int? = nil, warnings: Int? = nil,
                            matches: [(rule: String, customers: Int)]? = nil, day: LocalDate? = nil) -> JSON {
        var fields: [(String, JSON)] = [
            ("files", .int(files)),
            ("errors", .int(errors ?? diagnostics.errorCount)),
            ("warnings", .int(warnings ?? diagnostics.warningCount)),
            ("diagnostics", .array(diagnostics.map(entry))),
        ]
        if let matches, let day {
            fields.append(("matches", .object([
                ("as_of", .string(day.description)),
                ("rules", .array(matches.map { .object([("rule", .string($0.rule)), ("customers", .int($0.customers))]) })),
            ])))
        }
        return .object(fields)
    }

    /// How many customers each rule matches on a day.
    public static func matchTable(_ matches: [(rule: String, customers: Int)], day: LocalDate) -> String {
        var t = TextTable(headers: ["rule", "customers matched on \(day)"], rightAligned: [1])
        for m in matches { t.add([m.rule, PlanReport.grouped(m.customers)]) }
        return "\n" + t.rendered() + "\n"
    }

    static func entry(_ d: Diagnostic) -> JSON {
        var fields: [(String, JSON)] = [("severity", .string(d.severity.rawValue)), ("code", .string(d.code)), ("message", .string(d.message))]
        if let span = Span(d) {
            fields += [("file", .string(span.path))]
            if let start = span.start { fields += [("line", .int(start.line)), ("column", .int(start.column))] }
            if let end = span.end { fields += [("end_line", .int(end.line)), ("end_column", .int(end.column))] }
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

    /// SARIF 2.1.0: one run of the `perk` tool, a rule per code, a result per diagnostic.
    /// Files under `root` (the current folder) are named relative to the `%SRCROOT%`
    /// base, so the log reads the same on every checkout and a code host can map it to
    /// its own; files elsewhere get an absolute `file:` URI. Columns count Unicode code
    /// points (`columnKind`), which is what code hosts expect, where the text report
    /// counts characters.
    public static func sarif(_ diagnostics: [Diagnostic], root: String = FileManager.default.currentDirectoryPath) -> JSON {
        let base = SARIFPaths(root: root)
        var codes: [String] = []
        for d in diagnostics where !codes.contains(d.code) { codes.append(d.code) }
        codes.sort()
        let rules = codes.map { code -> JSON in
            // No helpUri: the README has no address of its own to point at, and SARIF
            // wants an absolute one or none.
            let entry = SARIFRuleCatalogue.rules[code]
            return .object([("id", .string(code)), ("name", .string(entry?.name ?? code)),
                            ("shortDescription", .object([("text", .string(entry?.description ?? code))]))])
        }
        let results = diagnostics.map { d -> JSON in
            var fields: [(String, JSON)] = [
                ("ruleId", .string(d.code)),
                ("ruleIndex", .int(codes.firstIndex(of: d.code) ?? 0)),
                ("level", .string(d.severity == .error ? "error" : d.severity == .warning ? "warning" : "note")),
                ("message", .object([("text", .string(d.message + (d.help.map { " (\($0))" } ?? "")))])),
            ]
            if let span = SARIFSpan(d) {
                var physical: [(String, JSON)] = [("artifactLocation", base.location(of: span.path))]
                if let region = span.region { physical.append(("region", region)) }
                fields.append(("locations", .array([.object([("physicalLocation", .object(physical))])])))
            }
            if let fix = d.fixIt, case .source(let file, _)? = d.location {
                let replacement: JSON = .object([("deletedRegion", SARIFSpan.region(file, fix.range)),
                                                 ("insertedContent", .object([("text", .string(fix.replacement))]))])
                let change: JSON = .object([("artifactLocation", base.location(of: file.path)), ("replacements", .array([replacement]))])
                var fixFields: [(String, JSON)] = []
                if let help = d.help { fixFields.append(("description", .object([("text", .string(help))]))) }
                fixFields.append(("artifactChanges", .array([change])))
                fields.append(("fixes", .array([.object(fixFields)])))
            }
            return .object(fields)
        }
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([("name", .string("perk")), ("rules", .array(rules))]))])),
                ("originalUriBaseIds", .object([(SARIFPaths.baseID, .object([("uri", .string(base.rootURI))]))])),
                ("columnKind", .string("unicodeCodePoints")),
                ("results", .array(results)),
            ])])),
        ])
    }

    /// A diagnostic's file and 1-based positions (end exclusive, in characters).
    private struct Span {
        var path: String
        var start: LineColumn?
        var end: LineColumn?

        init?(_ d: Diagnostic) {
            switch d.location {
            case .source(let file, let range)?:
                path = file.path
                start = file.lineColumn(of: range.start)
                end = file.lineColumn(of: range.end)
            case .point(let p, let line, let column, _)?:
                path = p
                start = LineColumn(line: line, column: column)
            case .file(let p)?:
                path = p
            case nil:
                return nil
            }
        }
    }
}
