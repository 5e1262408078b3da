/// A key press, decoded from the bytes a terminal sends.
public enum Key: Equatable, Sendable {
    /// A printable character (one Unicode scalar; the editor joins combining marks).
    case text(Character)
    case enter, tab, backspace, delete
    case left, right, up, down, home, end
    /// Alt-B / Alt-F or Ctrl-Left / Ctrl-Right.
    case wordLeft, wordRight
    /// Ctrl with a letter, as the lowercase letter: Ctrl-A is `.control("a")`.
    case control(Character)
}

/// Turns terminal input bytes into keys: UTF-8 text, control keys and the
/// escape sequences of arrows, Home, End and Delete. A sequence split across
/// two reads is kept until it is complete.
public struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []
    /// Longer escape sequences are not keys we know; they are dropped.
    private static let maxSequence = 16

    public init() {}

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [Key] {
        var keys: [Key] = []
        for byte in bytes { keys += feed(byte) }
        return keys
    }

    private mutating func feed(_ byte: UInt8) -> [Key] {
        guard let first = pending.first else { return start(byte).map { [$0] } ?? [] }
        if first != 0x1B, byte & 0xC0 != 0x80 {
            // A character cut short by the next one: mark it, then read the next.
            pending = []
            return [.text("\u{FFFD}")] + (start(byte).map { [$0] } ?? [])
        }
        pending.append(byte)
        let key = first == 0x1B ? escape() : utf8()
        return key.map { [$0] } ?? []
    }

    private mutating func start(_ byte: UInt8) -> Key? {
        switch byte {
        case 0x1B, 0xC2...0xF4:
            pending = [byte]
            return nil
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(byte + 0x60)))
        case 0x20..<0x7F: return .text(Character(Unicode.Scalar(byte)))
        case 0x80...0xFF: return .text("\u{FFFD}")
        default: return nil
        }
    }

    // MARK: - UTF-8

    private mutating func utf8() -> Key? {
        let lead = pending[0]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard pending.count == length else { return nil }
        defer { pending = [] }
        let text = String(decoding: pending, as: UTF8.self)
        return text.unicodeScalars.first.map { .text(Character($0)) }
    }

    // MARK: - Escape sequences

    private mutating func escape() -> Key? {
        if pending.count > Self.maxSequence { pending = []; return nil }
        guard pending.count >= 2 else { return nil }
        switch pending[1] {
        case UInt8(ascii: "["):
            // CSI: parameters, then a final byte from @ to ~.
            guard pending.count >= 3, let final = pending.last, (0x40...0x7E).contains(final) else { return nil }
            defer { pending = [] }
            return csi(String(decoding: pending[2..<(pending.count - 1)], as: UTF8.self), final: final)
        case UInt8(ascii: "O"):
            guard pending.count >= 3 else { return nil }
            defer { pending = [] }
            return ss3(pending[2])
        default:
            defer { pending = [] }
            switch pending[1] {
            case UInt8(ascii: "b"): return .wordLeft
            case UInt8(ascii: "f"): return .wordRight
            default: return nil
            }
        }
    }

    private func csi(_ parameters: String, final: UInt8) -> Key? {
        let modified = parameters.hasSuffix(";5") || parameters.hasSuffix(";3")
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return modified ? .wordRight : .right
        case UInt8(ascii: "D"): return modified ? .wordLeft : .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "~"):
            switch parameters {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            default: return nil
            }
        default: return nil
        }
    }

    private func ss3(_ final: UInt8) -> Key? {
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return .right
        case UInt8(ascii: "D"): return .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        default: return nil
        }
    }
}
