#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Perk

/// The REPL in a terminal: a prompt, line editing with history and Tab
/// completion, and a continuation prompt while an entry is unfinished.
struct InteractiveRepl {
    var session: ReplSession
    let output: ReplOutput
    let interrupts: Interrupts

    /// What reading a line ended with.
    private enum Read {
        case line(String)
        /// Ctrl-C: the line (and an unfinished entry) is dropped.
        case cancelled
        /// Ctrl-D on an empty line, or the terminal closed.
        case end
    }

    private var editor = LineEditor()
    private var decoder = KeyDecoder()
    /// Keys read but not yet handled: the rest of a paste, after Enter.
    private var queued: [Key] = []
    /// The lines of the entry being typed, kept in history as one line once it is whole.
    private var entryLines: [String] = []
    private let historyFile = HistoryFile.location(environment: ProcessInfo.processInfo.environment)

    init(session: ReplSession, output: ReplOutput, interrupts: Interrupts) {
        self.session = session
        self.output = output
        self.interrupts = interrupts
        editor = LineEditor(history: historyFile?.load() ?? History())
    }

    mutating func run() -> Int32 {
        var raw = Terminal.RawMode()
        let editing = raw.enable()
        defer { raw.restore() }
        while true {
            switch editing ? readLine() : fallbackRead() {
            case .end:
                if !entryLines.isEmpty, case let entry = ReplSession.historyLine(entryLines), editor.remember(entry) {
                    historyFile?.append(entry)
                }
                if let reply = run(raw, { $0.finish(cancellation: $1) }) { output.show(reply) }
                return ExitCode.success
            case .cancelled:
                session.cancelEntry()
                entryLines = []
            case .line(let line):
                entryLines.append(line)
                let clock = ContinuousClock(), start = clock.now
                guard let reply = run(raw, { $0.feed(line, cancellation: $1) }) else { continue }
                let entry = ReplSession.historyLine(entryLines)
                entryLines = []
                if editor.remember(entry) { historyFile?.append(entry) }
                output.show(reply, took: clock.now - start)
                if reply.quit { return ExitCode.success }
            }
        }
    }

    /// One entry, which Ctrl-C may stop: the terminal turns Ctrl-C into SIGINT
    /// again until it is done.
    private mutating func run(_ raw: Terminal.RawMode, _ entry: (inout ReplSession, Cancellation) -> ReplSession.Reply?) -> ReplSession.Reply? {
        raw.interruptible(true)
        defer { raw.interruptible(false) }
        return interrupts.during { entry(&session, $0) }
    }

    private var prompt: LineRenderer.Prompt {
        let plain = session.isContinuing ? "  ... " : "perk> "
        return LineRenderer.Prompt(plain, styled: output.colour ? "\u{1B}[1;36m\(plain)\u{1B}[0m" : nil)
    }

    /// Edits one line; the terminal is in raw mode.
    private mutating func readLine() -> Read {
        var renderer = LineRenderer(columns: Terminal.columns)
        let prompt = self.prompt
        let session = self.session
        let completer: (String, Int) -> Completion = { session.completions($0, cursor: $1) }
        editor.reset()
        Terminal.show(renderer.draw(prompt, buffer: editor.buffer, cursor: editor.cursor))
        while true {
            if queued.isEmpty {
                guard let bytes = Terminal.readBytes() else {
                    Terminal.show(renderer.finish())
                    return .end
                }
                queued = decoder.decode(bytes)
                continue
            }
            let key = queued.removeFirst()
            renderer.columns = Terminal.columns
            let typed = editor.buffer
            switch editor.handle(key, completer: completer) {
            case .none:
                break
            case .redraw:
                Terminal.show(renderer.draw(prompt, buffer: editor.buffer, cursor: editor.cursor))
            case .submit(let line):
                Terminal.show(renderer.finish())
                return .line(line)
            case .cancel:
                // The dropped line stays on screen, marked, with the cursor at its end.
                Terminal.show(renderer.draw(prompt, buffer: typed, cursor: typed.count) + "^C" + renderer.finish())
                queued = []
                return .cancelled
            case .endOfInput:
                Terminal.show(renderer.finish())
                return .end
            case .clearScreen:
                renderer.forget()
                Terminal.show("\u{1B}[H\u{1B}[2J" + renderer.draw(prompt, buffer: editor.buffer, cursor: editor.cursor))
            case .showCompletions(let candidates):
                Terminal.show(renderer.finish() + CompletionList(candidates, columns: renderer.columns).rendered())
                Terminal.show(renderer.draw(prompt, buffer: editor.buffer, cursor: editor.cursor))
            case .bell:
                Terminal.show("\u{07}")
            }
        }
    }

    /// When the terminal refuses raw mode: plain line reading, still a session.
    private mutating func fallbackRead() -> Read {
        Terminal.show(prompt.text)
        guard let line = Swift.readLine(strippingNewline: true) else { return .end }
        editor.reset()
        return .line(line)
    }
}

/// Completions listed in columns under the line, as shells do.
struct CompletionList {
    let candidates: [String]
    let columns: Int
    /// More than this many are counted, not listed.
    static let maxShown = 100

    init(_ candidates: [String], columns: Int) {
        self.candidates = candidates
        self.columns = columns
    }

    func rendered() -> String {
        let shown = candidates.prefix(Self.maxShown).map { DisplayText.escaped($0) }
        let width = (shown.map(DisplayWidth.of).max() ?? 0) + 2
        let perRow = Swift.max(1, columns / width)
        var out = ""
        for (i, word) in shown.enumerated() {
            out += i % perRow == perRow - 1 || i == shown.count - 1 ? word + "\n" : DisplayWidth.padRight(word, to: width)
        }
        if candidates.count > shown.count { out += "… and \(candidates.count - shown.count) more\n" }
        return out
    }
}
