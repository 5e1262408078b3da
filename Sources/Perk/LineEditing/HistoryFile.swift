import Foundation

/// Where the REPL keeps its history between sessions: one line per entry,
/// oldest first, trimmed to the history's limit when read.
public struct HistoryFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `$PERK_HISTORY`, or `~/.perk_history`; nil when `PERK_HISTORY` is set
    /// but empty, which turns the history file off.
    public static func location(environment: [String: String]) -> HistoryFile? {
        if let chosen = environment["PERK_HISTORY"] {
            return chosen.isEmpty ? nil : HistoryFile(path: chosen)
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return HistoryFile(path: (home as NSString).appendingPathComponent(".perk_history"))
    }

    /// The saved lines. A file longer than the limit is rewritten with the
    /// newest lines only, so it never grows without bound.
    public func load(limit: Int = History.defaultLimit) -> History {
        guard let data = FileManager.default.contents(atPath: path) else { return History(limit: limit) }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let history = History(lines, limit: limit)
        if lines.count > limit { rewrite(history.entries) }
        return history
    }

    /// Adds one line at the end; a history that cannot be saved is not worth
    /// stopping the session for, so failures are ignored.
    public func append(_ line: String) {
        let bytes = Data((line.replacingOccurrences(of: "\n", with: " ") + "\n").utf8)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: bytes)
    }

    private func rewrite(_ lines: [String]) {
        let text = lines.map { $0 + "\n" }.joined()
        try? Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
