/// The line editor as a pure state machine: keys in, edits and actions out.
/// It never touches a terminal, so every key binding is tested without one;
/// `LineRenderer` turns its state into what a terminal shows.
public struct LineEditor: Sendable {
    /// What the caller should do after a key.
    public enum Action: Equatable, Sendable {
        /// Nothing visible changed.
        case none
        /// The line or the cursor changed: draw it again.
        case redraw
        /// Enter: the line is done.
        case submit(String)
        /// Ctrl-C: the line was dropped.
        case cancel
        /// Ctrl-D on an empty line: no more input.
        case endOfInput
        /// Ctrl-L.
        case clearScreen
        /// Tab found several completions and could not narrow them: list them.
        case showCompletions([String])
        /// The key cannot do anything here (Tab with nothing to complete).
        case bell
    }

    /// The line, as characters (grapheme clusters), so a Chinese character or
    /// an accented letter is one step of the cursor.
    public private(set) var buffer: [Character] = []
    /// Index into `buffer`: the cursor stands before `buffer[cursor]`.
    public private(set) var cursor = 0
    public private(set) var history: History
    /// The last text cut with Ctrl-K, Ctrl-U or Ctrl-W, for Ctrl-Y.
    public private(set) var killed: [Character] = []
    /// While recalling history: the entry shown, counted from the newest.
    private var recalled: Int?
    /// The line being typed before Up was pressed, restored by Down.
    private var draft: [Character] = []

    public init(history: History = History()) {
        self.history = history
    }

    public var text: String { String(buffer) }

    /// Adds a submitted line to the history (the caller decides which lines
    /// count); true when it was kept, so the caller can save it.
    @discardableResult
    public mutating func remember(_ line: String) -> Bool {
        history.add(line)
    }

    /// Starts a new line, keeping history.
    public mutating func reset() {
        buffer = []
        cursor = 0
        recalled = nil
        draft = []
    }

    /// Handles one key. `completer` is asked for completions on Tab.
    public mutating func handle(_ key: Key, completer: ((String, Int) -> Completion)? = nil) -> Action {
        switch key {
        case .text(let ch): insert([ch])
        case .enter:
            let line = text
            reset()
            return .submit(line)
        case .tab: return complete(completer)
        case .backspace: return deleteBackward()
        case .delete: return deleteForward()
        case .left: return move(to: cursor - 1)
        case .right: return move(to: cursor + 1)
        case .home: return move(to: 0)
        case .end: return move(to: buffer.count)
        case .wordLeft: return move(to: wordStart(before: cursor))
        case .wordRight: return move(to: wordEnd(after: cursor))
        case .up: return recall(older: true)
        case .down: return recall(older: false)
        case .control(let letter): return control(letter, completer: completer)
        }
        return .redraw
    }

    private mutating func control(_ letter: Character, completer: ((String, Int) -> Completion)?) -> Action {
        switch letter {
        case "a": return move(to: 0)
        case "e": return move(to: buffer.count)
        case "b": return move(to: cursor - 1)
        case "f": return move(to: cursor + 1)
        case "p": return recall(older: true)
        case "n": return recall(older: false)
        case "h": return deleteBackward()
        case "k": return kill(cursor..<buffer.count)
        case "u": return kill(0..<cursor)
        case "w": return kill(wordStart(before: cursor)..<cursor)
        case "y":
            guard !killed.isEmpty else { return .bell }
            insert(killed)
            return .redraw
        case "l": return .clearScreen
        case "c":
            reset()
            return .cancel
        case "d":
            if buffer.isEmpty { return .endOfInput }
            return deleteForward()
        default: return .none
        }
    }

    // MARK: - Edits

    private mutating func insert(_ chars: [Character]) {
        for ch in chars {
            // A combining mark typed after a letter joins it, as the terminal shows it.
            if cursor > 0, let joined = Self.joined(buffer[cursor - 1], ch) {
                buffer[cursor - 1] = joined
            } else {
                buffer.insert(ch, at: cursor)
                cursor += 1
            }
        }
        recalled = nil
    }

    static func joined(_ a: Character, _ b: Character) -> Character? {
        let s = String(a) + String(b)
        return s.count == 1 ? s.first : nil
    }

    private mutating func deleteBackward() -> Action {
        guard cursor > 0 else { return .bell }
        buffer.remove(at: cursor - 1)
        cursor -= 1
        return .redraw
    }

    private mutating func deleteForward() -> Action {
        guard cursor < buffer.count else { return .bell }
        buffer.remove(at: cursor)
        return .redraw
    }

    private mutating func kill(_ range: Range<Int>) -> Action {
        guard !range.isEmpty else { return .none }
        killed = Array(buffer[range])
        buffer.removeSubrange(range)
        cursor = range.lowerBound
        return .redraw
    }

    private mutating func move(to position: Int) -> Action {
        let clamped = Swift.max(0, Swift.min(position, buffer.count))
        guard clamped != cursor else { return .none }
        cursor = clamped
        return .redraw
    }

    private func isWordCharacter(_ ch: Character) -> Bool {
        ch.isLetter || ch.isNumber || ch == "_"
    }

    private func wordStart(before position: Int) -> Int {
        var i = position
        while i > 0, !isWordCharacter(buffer[i - 1]) { i -= 1 }
        while i > 0, isWordCharacter(buffer[i - 1]) { i -= 1 }
        return i
    }

    private func wordEnd(after position: Int) -> Int {
        var i = position
        while i < buffer.count, !isWordCharacter(buffer[i]) { i += 1 }
        while i < buffer.count, isWordCharacter(buffer[i]) { i += 1 }
        return i
    }

    // MARK: - History

    private mutating func recall(older: Bool) -> Action {
        let entries = history.entries
        guard !entries.isEmpty else { return .bell }
        let next: Int?
        switch (recalled, older) {
        case (nil, true): next = 0
        case (nil, false): return .bell
        case (let i?, true): next = Swift.min(i + 1, entries.count - 1)
        case (let i?, false): next = i == 0 ? nil : i - 1
        }
        if recalled == nil { draft = buffer }
        if next == recalled { return .bell }
        recalled = next
        buffer = next.map { Array(entries[entries.count - 1 - $0]) } ?? draft
        cursor = buffer.count
        return .redraw
    }

    // MARK: - Completion

    private mutating func complete(_ completer: ((String, Int) -> Completion)?) -> Action {
        guard let completer else { return .bell }
        let completion = completer(text, cursor)
        let start = Swift.max(0, Swift.min(completion.start, cursor))
        let typed = String(buffer[start..<cursor])
        let candidates = completion.candidates
        guard let first = candidates.first else { return .bell }
        if candidates.count == 1 {
            let ending: Set<Character> = [".", "(", "/", "["]
            let word = first + (first.last.map(ending.contains) == true ? "" : " ")
            replace(start..<cursor, with: word)
            return .redraw
        }
        let common = candidates.dropFirst().reduce(first) { $0.commonPrefix(with: $1) }
        if common.count > typed.count {
            replace(start..<cursor, with: common)
            return .redraw
        }
        return .showCompletions(candidates)
    }

    private mutating func replace(_ range: Range<Int>, with text: String) {
        buffer.replaceSubrange(range, with: Array(text))
        cursor = range.lowerBound + text.count
        recalled = nil
    }
}

/// What Tab may put in place of the word before the cursor.
public struct Completion: Equatable, Sendable {
    /// Where the word being completed starts, as an index into the line's characters.
    public var start: Int
    /// Whole words that could stand there (only those that fit what was
    /// typed), sorted.
    public var candidates: [String]

    public init(start: Int, candidates: [String]) {
        self.start = start
        self.candidates = candidates
    }

    public static let none = Completion(start: 0, candidates: [])
}

/// The lines entered, oldest first, capped so the history file stays small.
public struct History: Equatable, Sendable {
    public private(set) var entries: [String]
    public let limit: Int

    public static let defaultLimit = 1_000

    public init(_ entries: [String] = [], limit: Int = History.defaultLimit) {
        self.limit = limit
        self.entries = Array(entries.suffix(limit))
    }

    /// Keeps a line unless it is empty or the same as the one before; true
    /// when it was kept.
    @discardableResult
    public mutating func add(_ line: String) -> Bool {
        guard !line.allSatisfy(\.isWhitespace), entries.last != line else { return false }
        entries.append(line)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        return true
    }
}
