/// Colours for rendered output. Tests and pipes use `.plain`; a terminal
/// without `NO_COLOR` uses `.ansi`.
public struct TextStyle: Sendable {
    public var error: @Sendable (String) -> String
    public var warning: @Sendable (String) -> String
    public var note: @Sendable (String) -> String
    public var emphasis: @Sendable (String) -> String
    public var gutter: @Sendable (String) -> String

    public static let plain = TextStyle(
        error: { $0 }, warning: { $0 }, note: { $0 }, emphasis: { $0 }, gutter: { $0 })

    public static let ansi = TextStyle(
        error: { "\u{1B}[1;31m\($0)\u{1B}[0m" },
        warning: { "\u{1B}[1;33m\($0)\u{1B}[0m" },
        note: { "\u{1B}[1;36m\($0)\u{1B}[0m" },
        emphasis: { "\u{1B}[1m\($0)\u{1B}[0m" },
        gutter: { "\u{1B}[34m\($0)\u{1B}[0m" })
}

/// Renders diagnostics the one way Perk shows them everywhere:
///
///     rules/winback.perk:3:29: error[P102]: unknown field `days_since_vist`
///       |
///     3 | when member.tier == VIP and days_since_vist > 30 then send coupon 20
///       |                             ^^^^^^^^^^^^^^^
///       = help: did you mean `days_since_visit`?
public struct DiagnosticRenderer: Sendable {
    public var style: TextStyle

    public init(style: TextStyle = .plain) {
        self.style = style
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    public func render(_ d: Diagnostic) -> String {
        let label: String
        switch d.severity {
        case .error: label = style.error("error[\(d.code)]")
        case .warning: label = style.warning("warning[\(d.code)]")
        case .note: label = style.note("note[\(d.code)]")
        }
        var out = ""
        // Messages quote names and values from rules and data.
        if let position = d.position { out += style.emphasis(DisplayText.escaped(position)) + ": " }
        out += label + ": " + style.emphasis(DisplayText.escaped(d.message)) + "\n"

        var gutterWidth = 1
        switch d.location {
        case .source(let file, let range)?:
            gutterWidth = excerpt(file: file, range: range, into: &out, severity: d.severity)
        case .point(_, let line, let column, let text?)?:
            gutterWidth = excerpt(lineNumber: line, text: text, column: column, length: 1, into: &out, severity: d.severity)
        default:
            break
        }
        let pad = String(repeating: " ", count: gutterWidth)
        for note in d.notes { out += "\(pad) \(style.gutter("=")) note: \(DisplayText.escaped(note))\n" }
        if let help = d.help { out += "\(pad) \(style.gutter("=")) help: \(DisplayText.escaped(help))\n" }
        return out
    }

    /// One summary line: `2 errors, 3 warnings in 4 files`.
    public static func summary(_ diagnostics: [Diagnostic], files: Int) -> String {
        summary(errors: diagnostics.errorCount, warnings: diagnostics.warningCount, files: files)
    }

    public static func summary(errors e: Int, warnings w: Int, files: Int) -> String {
        let parts = [plural(e, "error"), plural(w, "warning")]
        return parts.joined(separator: ", ") + " in " + plural(files, "file")
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    // MARK: - Excerpts

    private func excerpt(file: SourceFile, range: SourceRange, into out: inout String, severity: Diagnostic.Severity) -> Int {
        let start = file.lineColumn(of: range.start)
        let lineText = file.lineText(start.line)
        // A span that runs past its first line is underlined to the line's end.
        let lineEndOffset = file.lineStart(start.line) + Array(lineText.utf8).count
        let endOffset = Swift.min(range.end, lineEndOffset)
        let end = file.lineColumn(of: Swift.max(range.start, endOffset))
        let length = Swift.max(1, end.column - start.column)
        return excerpt(lineNumber: start.line, text: lineText, column: start.column, length: length, into: &out, severity: severity)
    }

    private func excerpt(lineNumber: Int, text: String, column: Int, length: Int, into out: inout String, severity: Diagnostic.Severity) -> Int {
        let number = String(lineNumber)
        let width = number.count
        let pad = String(repeating: " ", count: width)
        // A very long line is shown as a window around the column, so the caret
        // stays under the problem.
        let chars = Array(text)
        let first = column - 1 > Self.windowLead * 2 ? column - 1 - Self.windowLead : 0
        let last = Swift.min(chars.count, first + Self.windowWidth)
        let lead = first > 0 ? "…" : ""
        let tail = last < chars.count ? "…" : ""
        let visible = Array(chars[Swift.min(first, chars.count)..<last])
        let offset = Swift.max(0, column - 1 - first)
        let before = lead + Self.printable(String(visible.prefix(offset)))
        let under = Self.printable(String(visible.dropFirst(offset).prefix(length)))
        let shown = lead + Self.printable(String(visible)) + tail
        let indent = String(repeating: " ", count: DisplayWidth.of(before))
        let caretCount = Swift.max(1, DisplayWidth.of(under))
        let carets = String(repeating: "^", count: caretCount)
        let colored = severity == .error ? style.error(carets) : severity == .warning ? style.warning(carets) : style.note(carets)
        out += "\(pad) \(style.gutter("|"))\n"
        out += "\(style.gutter(number)) \(style.gutter("|")) \(shown)\n"
        out += "\(pad) \(style.gutter("|")) \(indent)\(colored)\n"
        return width
    }

    static let windowLead = 60
    static let windowWidth = 160

    /// Tabs become one space and other control characters are escaped, so
    /// the caret line stays aligned with what the terminal shows.
    static func printable(_ text: String) -> String {
        DisplayText.escaped(text.contains("\t") ? String(text.map { $0 == "\t" ? " " : $0 }) : text)
    }
}
