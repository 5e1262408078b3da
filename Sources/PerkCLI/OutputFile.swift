#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Perk

/// `--out FILE` and the other files a command writes: which format a file's
/// name implies, and why a path cannot be written, said so a person knows
/// what to do. The reasons come from the system's error numbers, never from
/// Foundation, whose texts ("The operation could not be completed") say
/// nothing a user can act on.
enum OutputFile {
    /// The file name endings Perk reads as a format, with the format's usual name.
    /// A command writes some of them; an ending it does not write is still
    /// recognised, so `perk run --out plan.html` is refused rather than guessed.
    static let knownExtensions: [String: String] = ["html": "HTML", "htm": "HTML", "json": "JSON", "csv": "CSV", "txt": "text"]

    /// The report's format: `--format` when given, else the one `--out`'s
    /// name ends in (`extensions` pairs each format with its endings, the
    /// first the usual one). Without either, `fallback`. A name whose ending
    /// disagrees with `--format`, or names no format the command writes,
    /// is a usage error: a report in the wrong format would be silently
    /// unreadable by whatever opens the file. `hints` says, per ending the
    /// command does not write, where that kind of file comes from instead.
    static func format<T: RawRepresentable & CaseIterable & Equatable>(_ args: Arguments, default fallback: T,
                                                        extensions: [(format: T, endings: [String])],
                                                        command: String, hints: [String: String] = [:]) throws -> T where T.RawValue == String {
        let names = extensions.map(\.format.rawValue).joined(separator: "|")
        let given: T? = try args.value("format") == nil ? nil : try args.choice("format", default: fallback)
        guard let out = try args.value("out") else { return given ?? fallback }
        let ending = self.ending(of: out)
        let written = extensions.map { "\($0.format.rawValue) (.\($0.endings[0]))" }
        let list = written.dropLast().joined(separator: ", ") + " or " + (written.last ?? "")
        if let implied = extensions.first(where: { $0.endings.contains(ending) })?.format {
            if let given, given != implied {
                throw Arguments.UsageError(description: "--format \(given.rawValue) disagrees with --out \(out), a .\(ending) name; "
                                           + "drop --format, or end the name to match it")
            }
            return implied
        }
        if let kind = knownExtensions[ending] {
            if let given {
                throw Arguments.UsageError(description: "--format \(given.rawValue) disagrees with --out \(out), a .\(ending) name; "
                                           + "end the name to match the format")
            }
            let hint = hints[ending].map { "; \($0)" } ?? ""
            throw Arguments.UsageError(description: "--out \(out) names a\(kind == "HTML" ? "n" : "") \(kind) file, but \(command) writes \(list): "
                                       + "end the name in one of those\(hint)")
        }
        if let given { return given }
        throw Arguments.UsageError(description: "cannot tell the format of --out \(out) from its name: end it in "
                                   + extensions.map { ".\($0.endings[0])" }.joined(separator: ", ") + ", or give --format \(names)")
    }

    /// The lowercased ending after the last dot of the file name, or "".
    /// A leading dot (`.plan`) starts a hidden file's name, not an ending.
    static func ending(of path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// Why a file cannot be written at `path`, with what to do, or nil when
    /// it looks writable. Checked before any data is read, so a typo in a
    /// folder name costs a second, not a whole run; nothing is created.
    static func problem(writing path: String) -> String? {
        guard !path.isEmpty else { return "the file name is empty: give one, like plan.csv" }
        var info = stat()
        if stat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR {
                return "it is a folder: name a file in it, like \(joined(path, "report.txt"))"
            }
            return access(path, W_OK) == 0 ? nil : reason(errno, path: path)
        }
        guard errno == ENOENT || errno == ENOTDIR else { return reason(errno, path: path) }
        let folder = self.folder(of: path)
        let (existing, problem) = nearestExisting(folder, &info)
        if let problem { return problem }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            return "\(existing) is a file, not a folder: choose another path"
        }
        guard existing == folder else {
            return "the folder \(folder) does not exist: create it first (mkdir -p \(folder)), or write somewhere else"
        }
        return access(folder, W_OK | X_OK) == 0 ? nil : reason(errno, path: folder)
    }

    /// Why files cannot be written into the folder `path` (created with its
    /// parents when missing), with what to do, or nil when it looks usable.
    static func problem(writingInto path: String) -> String? {
        guard !path.isEmpty else { return "the folder name is empty: give one, like data/" }
        var info = stat()
        let (existing, problem) = nearestExisting(path, &info)
        if let problem { return problem }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            return existing == path ? "it is a file, not a folder: choose a folder name"
                : "\(existing) is a file, not a folder: choose another path"
        }
        return access(existing, W_OK | X_OK) == 0 ? nil : reason(errno, path: existing)
    }

    /// A plain reason for a failed open or write of `path`, and what to do.
    static func reason(_ code: Int32, path: String) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied: choose a folder you can write to, or change the permissions of \(path)"
        case EROFS: return "the file system is read-only: write somewhere else"
        case EISDIR: return "it is a folder: name a file in it, like \(joined(path, "report.txt"))"
        case ENOENT: return "the folder \(folder(of: path)) does not exist: create it first, or write somewhere else"
        case ENOTDIR: return "a part of the path is a file, not a folder: choose another path"
        case ENOSPC, EDQUOT: return "the disk is full: free some space, or write somewhere else"
        default: return String(cString: strerror(code))
        }
    }

    /// The one-line message for `path`: "perk run: cannot write PATH: REASON".
    static func message(_ command: String, _ path: String, _ reason: String) -> String {
        "perk \(command): cannot write \(path): \(reason)\n"
    }

    /// `path` or the nearest folder above it that exists, with its `stat`
    /// in `info`: where missing folders would be made. A problem other than
    /// a missing part (a loop of links, say) is said instead.
    private static func nearestExisting(_ path: String, _ info: inout stat) -> (String, problem: String?) {
        var existing = path
        while stat(existing, &info) != 0 {
            guard errno == ENOENT || errno == ENOTDIR, existing != "/", existing != "." else { return (existing, reason(errno, path: existing)) }
            existing = folder(of: existing)
        }
        return (existing, nil)
    }

    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func joined(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}

/// A file written in large chunks: a ledger can run to millions of rows.
/// It remembers the first failed write, so the command can say the file is
/// incomplete instead of stopping halfway through a run.
final class FileOutput {
    private let file: UnsafeMutablePointer<FILE>
    private var failure: Int32?

    /// Opens `path` for writing, or gives the system's error number.
    static func open(_ path: String) -> Result<FileOutput, OpenFailure> {
        guard let f = fopen(path, "w") else { return .failure(OpenFailure(code: errno)) }
        return .success(FileOutput(f))
    }

    struct OpenFailure: Error { var code: Int32 }

    private init(_ file: UnsafeMutablePointer<FILE>) {
        self.file = file
    }

    func write(_ text: String) {
        if fputs(text, file) < 0 { failure = failure ?? errno }
    }

    func write(_ bytes: [UInt8]) {
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        if written != bytes.count { failure = failure ?? errno }
    }

    /// Closes the file; the error number of the first failed write or of the
    /// close (a full disk, say), or nil when all of it was written.
    func close() -> Int32? {
        let closed = fclose(file) == 0
        return failure ?? (closed ? nil : errno)
    }
}
