import XCTest
@testable import Perk

/// The word-at-a-time shortcuts against the plain byte-by-byte rules they replace.
final class CleanCSVTests: XCTestCase {
    /// Where a plain field ends, one byte at a time (nil: the scan must stop).
    private func referenceFieldEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var pos = start
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: ",") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") { return pos }
            if b == UInt8(ascii: "\"") || b == 0 { return nil }
            if b >= 0x80 {
                guard let n = bytes.withUnsafeBufferPointer({ UTF8Validation.sequenceLength($0, at: pos) }) else { return nil }
                pos += n
                continue
            }
            pos += 1
        }
        return pos
    }

    func testPlainFieldEndAgreesWithTheByteByByteRule() {
        // Bytes on both sides of every boundary the word test draws.
        let alphabet: [[UInt8]] = [[0x20], [0x21], [0x22], [0x23], [0x2B], [0x2C], [0x2D], [0x09], [0x0A], [0x0D], [0x00],
                                   [0x41], [0x7F], Array("é".utf8), Array("王".utf8), [0xFF], [0xC3]]
        var random = SampleRandom(seed: 7)
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            let length = random.between(0...24)
            while bytes.count < length {
                // Mostly plain letters, so runs are long enough for whole words.
                bytes += random.below(4) == 0 ? alphabet[random.below(alphabet.count)] : [UInt8(ascii: "a")]
            }
            for start in 0...bytes.count {
                let fast = bytes.withUnsafeBufferPointer { CleanCSV.plainFieldEnd(in: $0, from: start) }
                XCTAssertEqual(fast, referenceFieldEnd(bytes, from: start), "\(bytes) from \(start)")
            }
        }
    }

    func testKeyWordsAreTheKeysBytesZeroPadded() {
        let key = Array("abcdefghijklmnopqrstu".utf8)
        for length in 0...key.count {
            let prefix = Array(key.prefix(length))
            for from in [0, 8, 16] {
                var expected: UInt64 = 0
                for (i, b) in prefix.enumerated() where i >= from && i < from + 8 { expected |= UInt64(b) << UInt64(8 * (i - from)) }
                let word = prefix.withUnsafeBufferPointer { ByteInterner.Probe.word($0, from: from) }
                XCTAssertEqual(word, expected, "length \(length) from \(from)")
            }
        }
    }
}
