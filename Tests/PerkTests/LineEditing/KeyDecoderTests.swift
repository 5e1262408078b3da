import XCTest
@testable import Perk

/// Bytes a terminal sends → keys.
final class KeyDecoderTests: XCTestCase {
    func testBytesBecomeKeys() {
        let cases: [([UInt8], [Key])] = [
            (Array("ab".utf8), [.text("a"), .text("b")]),
            ([0x0D], [.enter]),
            ([0x0A], [.enter]),
            ([0x09], [.tab]),
            ([0x7F], [.backspace]),
            ([0x08], [.backspace]),
            ([0x01, 0x05, 0x0B, 0x15, 0x17, 0x0C, 0x03, 0x04], [.control("a"), .control("e"), .control("k"), .control("u"),
                                                               .control("w"), .control("l"), .control("c"), .control("d")]),
            // Arrows, in both the CSI and the SS3 (application mode) forms.
            (Array("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D".utf8), [.up, .down, .right, .left]),
            (Array("\u{1B}OA\u{1B}OD".utf8), [.up, .left]),
            // Home and End as xterm, VT220 and rxvt send them; Delete.
            (Array("\u{1B}[H\u{1B}[F\u{1B}OH\u{1B}OF".utf8), [.home, .end, .home, .end]),
            (Array("\u{1B}[1~\u{1B}[4~\u{1B}[7~\u{1B}[8~\u{1B}[3~".utf8), [.home, .end, .home, .end, .delete]),
            (Array("\u{1B}[1;5C\u{1B}[1;5D\u{1B}b\u{1B}f".utf8), [.wordRight, .wordLeft, .wordLeft, .wordRight]),
            // Unknown sequences are dropped, and what follows still reads.
            (Array("\u{1B}[15~x".utf8), [.text("x")]),
            // UTF-8: Chinese is one key per character.
            (Array("上海".utf8), [.text("上"), .text("海")]),
            (Array("é".utf8), [.text("é")]),
            (Array("🍵".utf8), [.text("🍵")]),
            // A character cut short by another is marked, not lost silently.
            ([0xE4, 0xB8, 0x41], [.text("\u{FFFD}"), .text("A")]),
            ([0xFF], [.text("\u{FFFD}")]),
        ]
        for (bytes, keys) in cases {
            var decoder = KeyDecoder()
            XCTAssertEqual(decoder.decode(bytes), keys, "\(bytes)")
        }
    }

    /// A read may end in the middle of a character or an escape sequence.
    func testSequencesSplitAcrossReadsAreJoined() {
        var decoder = KeyDecoder()
        let bytes = Array("海".utf8)
        XCTAssertEqual(decoder.decode(bytes.prefix(2)), [])
        XCTAssertEqual(decoder.decode(bytes.suffix(1)), [.text("海")])
        XCTAssertEqual(decoder.decode([0x1B]), [])
        XCTAssertEqual(decoder.decode([UInt8(ascii: "[")]), [])
        XCTAssertEqual(decoder.decode([UInt8(ascii: "D")]), [.left])
    }
}
