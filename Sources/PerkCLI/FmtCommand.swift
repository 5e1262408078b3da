#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Perk

/// `perk fmt`: rewrites rules files in the one canonical layout, or with
/// `--check` says which would change and how.
enum FmtCommand {
    static let usage = """
    Usage: perk fmt PATHS... [--check]
           perk fmt -

    Rewrites .perk files (each PATH a file, or a folder searched recursively)
    in one layout: one clause a line, indented two spaces; a condition that
    would end past column \(Formatter.width) broken before its `and`s or `or`s;
    one blank line around a declaration of several lines; every comment kept
    where it was. Only the layout changes: the words, numbers as written and
    comments stay, and the result is checked to be the same program. A file
    with syntax errors is left as it is and its errors are shown. With `-`,
    formats standard input to standard output.

    Options:
      --check            change nothing: print a diff of each file that would change

    Exit status: 0 when every file is formatted (with --check, when none would change);
    1 if a file has syntax errors, cannot be read or written, or (with --check) would
    change; 2 for a bad command line.
    Example: perk fmt --check rules/

    """

    static let options = Arguments.Options(valued: [], switches: ["check"])

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options)
        let check = args.flag("check")
        guard !args.positional.isEmpty else { throw Arguments.UsageError(description: "name at least one rules file or folder, or - for standard input") }
        if args.positional.contains("-") {
            guard args.positional.count == 1 else { throw Arguments.UsageError(description: "- (standard input) cannot be mixed with files") }
            return standardInput(check: check)
        }
        let (sources, problems) = RuleSources.load(args.positional)
        Console.diagnostics(problems)
        var failed = !problems.isEmpty
        var changed = 0, untouched = 0
        for source in sources {
            guard let text = formatted(source) else {
                failed = true
                untouched += 1
                continue
            }
            guard text != source.text else { continue }
            changed += 1
            if check {
                Console.out(UnifiedDiff.diff(source.text, text, oldName: source.path, newName: source.path + " (formatted)"))
            } else if let problem = replace(source.path, with: text) {
                Console.err(OutputFile.message("fmt", source.path, problem))
                failed = true
            }
        }
        Console.err(summary(files: sources.count, changed: changed, untouched: untouched, check: check))
        return failed || (check && changed > 0) ? ExitCode.failure : ExitCode.success
    }

    /// "2 of 8 files reformatted, 1 left as it is (errors above)".
    static func summary(files: Int, changed: Int, untouched: Int, check: Bool) -> String {
        let total = files == 1 ? "1 file" : "\(files) files"
        var line = check ? (changed == 0 ? "\(total) already formatted" : "\(changed) of \(total) would be reformatted")
            : "\(changed) of \(total) reformatted"
        if untouched > 0 { line += ", \(untouched) left as \(untouched == 1 ? "it is" : "they are") (see above)" }
        return line + "\n"
    }

    private static func standardInput(check: Bool) -> Int32 {
        let source = SourceFile(path: "<stdin>", data: [UInt8](FileHandle.standardInput.readDataToEndOfFile()))
        guard let text = formatted(source) else { return ExitCode.failure }
        if check {
            Console.out(UnifiedDiff.diff(source.text, text, oldName: source.path, newName: source.path + " (formatted)"))
            return text == source.text ? ExitCode.success : ExitCode.failure
        }
        Console.out(text)
        return ExitCode.success
    }

    /// The file's formatted text, or nil after saying why there is none.
    private static func formatted(_ source: SourceFile) -> String? {
        switch Formatter.format(source) {
        case .formatted(let text):
            for note in Formatter.renamedRules(source, text) { Console.err(note + "\n") }
            return text
        case .syntaxErrors(let diagnostics):
            Console.diagnostics(diagnostics)
            Console.err("perk fmt: \(source.path) is left as it is: fix the errors above first\n")
            return nil
        case .unsafe(let problem):
            Console.err("perk fmt: \(source.path) is left as it is: \(problem); this is a bug in Perk, please report it with the file\n")
            return nil
        }
    }

    /// Writes the file aside and renames it into place, keeping its
    /// permissions, so an interrupted run leaves the old file or the new one.
    private static func replace(_ path: String, with text: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return OutputFile.reason(errno, path: path) }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let partial = folder + "." + name + ".fmt-partial"
        switch FileOutput.open(partial) {
        case .failure(let failure):
            return OutputFile.reason(failure.code, path: path)
        case .success(let file):
            file.write(text)
            if let code = file.close() {
                unlink(partial)
                return OutputFile.reason(code, path: path)
            }
        }
        chmod(partial, info.st_mode & 0o7777)
        guard rename(partial, path) == 0 else {
            let code = errno
            unlink(partial)
            return OutputFile.reason(code, path: path)
        }
        return nil
    }
}
