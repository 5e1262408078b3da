import Foundation

/// Artifact locations for SARIF: relative to `%SRCROOT%` when under the root,
/// an absolute `file:` URI otherwise; both percent-encoded, as URIs must be.
struct SARIFPaths {
    static let baseID = "%SRCROOT%"
    /// The root folder, absolute and without a trailing slash.
    let root: String

    init(root: String) {
        self.root = SARIFPaths.normalized(root)
    }

    /// `file:///work/shop/`: SARIF requires a base URI to end with a slash.
    var rootURI: String { "file://" + SARIFPaths.encoded(root == "/" ? "/" : root + "/") }

    func location(of path: String) -> JSON {
        let absolute = SARIFPaths.normalized(path.hasPrefix("/") ? path : root + "/" + path)
        let prefix = root == "/" ? "/" : root + "/"
        if absolute.hasPrefix(prefix) {
            return .object([("uri", .string(SARIFPaths.encoded(String(absolute.dropFirst(prefix.count))))), ("uriBaseId", .string(SARIFPaths.baseID))])
        }
        return .object([("uri", .string("file://" + SARIFPaths.encoded(absolute)))])
    }

    /// `a/./b/../c` → `a/c`, without touching the file system (a diagnostic may name
    /// a file that does not exist, and links are the user's to resolve).
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// Percent-encodes every byte but the unreserved characters and `/` (RFC 3986),
    /// so spaces and Chinese file names make valid URIs.
    static func encoded(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += (byte < 16 ? "%0" : "%") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

/// A diagnostic's file and region in SARIF terms: 1-based lines, columns in
/// Unicode code points, end exclusive.
struct SARIFSpan {
    var path: String
    var region: JSON?

    init?(_ d: Diagnostic) {
        switch d.location {
        case .source(let file, let range)?:
            path = file.path
            region = SARIFSpan.region(file, range)
        case .point(let p, let line, let column, _)?:
            path = p
            region = .object([("startLine", .int(line)), ("startColumn", .int(column))])
        case .file(let p)?:
            path = p
        case nil:
            return nil
        }
    }

    static func region(_ file: SourceFile, _ range: SourceRange) -> JSON {
        let start = position(file, range.start), end = position(file, range.end)
        return .object([("startLine", .int(start.line)), ("startColumn", .int(start.column)),
                        ("endLine", .int(end.line)), ("endColumn", .int(end.column))])
    }

    /// Line and code-point column of a byte offset; `SourceFile.lineColumn` counts
    /// characters, which differ from code points for combining marks and emoji.
    private static func position(_ file: SourceFile, _ offset: Int) -> (line: Int, column: Int) {
        let line = file.lineColumn(of: offset).line
        let start = file.lineStart(line)
        let end = Swift.max(start, Swift.min(offset, file.bytes.count))
        return (line, String(decoding: file.bytes[start..<end], as: UTF8.self).unicodeScalars.count + 1)
    }
}
