import Foundation

/// The front door of the language: rules in, a checked program and diagnostics
/// out. It never throws for a user's mistake; each phase runs only if the one
/// before found no errors, so one typo gives one diagnostic, not a cascade.
public struct Compilation: Sendable {
    public var files: [RulesFile]
    public var program: CheckedProgram?
    public var diagnostics: [Diagnostic]
    /// Defines some rule or define refers to (the linter reports the rest).
    public var usedDefines: Set<String>
    /// The declarations that checked, even when others have errors: what the
    /// linter reasons over. Equal to `program` when there are no errors; never
    /// to be run, as rules with errors are missing from it.
    public var checkedPart: CheckedProgram?
    /// Counts over every diagnostic, including those past the display cap.
    public var errorCount = 0
    public var warningCount = 0
}

extension Compilation {
    /// This compilation with its program bound to `data` (see `Binder`), the
    /// binder's warnings among the others, in order.
    func bound(to data: DataSet) -> Compilation {
        guard let program else { return self }
        let (bound, warnings) = Binder.bind(program, to: Schema(customers: data.customers, orders: data.orders))
        var out = self
        out.program = bound
        out.checkedPart = bound
        guard !warnings.isEmpty else { return out }
        let listed = diagnostics.filter { $0.code != SyntaxCode.moreNotShown.rawValue }
        if listed.count < diagnostics.count {
            // Already capped: the warnings join the ones not shown.
            let hidden = errorCount + warningCount - listed.count
            out.diagnostics = listed + [SyntaxError.moreNotShown(hidden + warnings.count)]
        } else {
            out.diagnostics = Compiler.capped(listed + warnings)
        }
        out.warningCount += warnings.warningCount
        return out
    }
}

public enum Compiler {
    /// Diagnostics past this many are summarised, not listed.
    public static let maxDiagnostics = 100

    public static func compile(_ sources: [SourceFile], schema: Schema) -> Compilation {
        let (files, diagnostics) = parse(sources)
        // The checker still runs on what parsed, skipping broken declarations,
        // so a typo in one rule does not hide a wrong field in another.
        let (program, found, used) = checkAndBindWhatChecks(files, schema: schema)
        let all = diagnostics + found
        return Compilation(files: files, program: all.hasErrors ? nil : program, diagnostics: capped(all), usedDefines: used,
                           checkedPart: program, errorCount: all.errorCount, warningCount: all.warningCount)
    }

    /// `checkAndBind`, keeping the program of what checked when there are errors.
    static func checkAndBindWhatChecks(_ files: [RulesFile], schema: Schema) -> (CheckedProgram, [Diagnostic], usedDefines: Set<String>) {
        var (program, found, used) = Checker.checkWhatChecks(files, schema: schema)
        if schema.itemNames != nil {
            let (bound, dataWarnings) = Binder.bind(program, to: schema)
            program = bound
            found += dataWarnings
        }
        return (program, found, used)
    }

    /// Checks parsed files; when `schema` is loaded data's (it knows the orders'
    /// items), binds the program to that data at once, with the binder's warnings.
    static func checkAndBind(_ files: [RulesFile], schema: Schema) -> (CheckedProgram?, [Diagnostic], usedDefines: Set<String>) {
        let (program, found, used) = checkAndBindWhatChecks(files, schema: schema)
        return (found.hasErrors ? nil : program, found, used)
    }

    /// One checked expression, bound like `checkAndBind` binds a program.
    static func checkAndBind(_ expr: Expr, in file: SourceFile, schema: Schema, context: [RulesFile]) -> (CheckedExpr?, [Diagnostic]) {
        let (checked, found) = Checker.checkExpression(expr, in: file, schema: schema, context: context)
        guard let checked, schema.itemNames != nil else { return (checked, found) }
        let (bound, dataWarnings) = Binder.bind(checked, in: file, checkedAgainst: schema, to: schema)
        return (bound, found + dataWarnings)
    }

    /// Every file parsed, in order, with all their syntax diagnostics.
    static func parse(_ sources: [SourceFile]) -> ([RulesFile], [Diagnostic]) {
        var files: [RulesFile] = []
        var diagnostics: [Diagnostic] = []
        for source in sources {
            let (file, found) = Parser.parse(source)
            files.append(file)
            diagnostics += found
        }
        return (files, diagnostics)
    }

    /// Sorted by position and capped, with a last line saying how many were left out.
    static func capped(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let sorted = diagnostics.sortedByPosition()
        guard sorted.count > maxDiagnostics else { return sorted }
        var kept = Array(sorted.prefix(maxDiagnostics))
        kept.append(SyntaxError.moreNotShown(sorted.count - maxDiagnostics))
        return kept
    }
}

/// Finds and reads `.perk` files: each argument is a file or a folder, whose
/// `.perk` files are read in name order. Unreadable paths become diagnostics.
public enum RuleSources {
    public static func load(_ paths: [String]) -> (files: [SourceFile], diagnostics: [Diagnostic]) {
        var files: [SourceFile] = []
        var diagnostics: [Diagnostic] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(FileError.noSuchFile(path))
                continue
            }
            if isDirectory.boolValue {
                let found = perkFiles(in: path)
                if found.isEmpty {
                    diagnostics.append(FileError.noRulesInFolder(path))
                }
                for file in found {
                    if let source = read(file, into: &diagnostics) { files.append(source) }
                }
            } else if let source = read(path, into: &diagnostics) {
                files.append(source)
            }
        }
        return (files, diagnostics)
    }

    /// `.perk` files under a folder and its subfolders, sorted by path, named
    /// from the folder as given. A folder given as a symbolic link is walked
    /// where it leads, as the enumerator does not follow the link itself.
    static func perkFiles(in folder: String) -> [String] {
        let target = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: target) else { return [] }
        var out: [String] = []
        while let entry = walker.nextObject() as? String {
            if entry.hasSuffix(".perk") {
                out.append(folder.hasSuffix("/") ? folder + entry : folder + "/" + entry)
            }
        }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
    }

    static func read(_ path: String, into diagnostics: inout [Diagnostic]) -> SourceFile? {
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.append(FileError.unreadable(path))
            return nil
        }
        return SourceFile(path: path, data: [UInt8](data))
    }
}

extension Compiler {
    /// Parses and checks one expression, such as a REPL line.
    public static func compileExpression(_ source: SourceFile, schema: Schema, context: [RulesFile] = []) -> (CheckedExpr?, [Diagnostic]) {
        let (expr, syntax) = Parser.parseExpression(source)
        guard let expr else { return (nil, syntax) }
        return checkAndBind(expr, in: source, schema: schema, context: context)
    }
}
