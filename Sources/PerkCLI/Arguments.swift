/// A small command-line parser: positional arguments, `--flag value`,
/// `--flag=value` and boolean `--switch`es. Unknown flags are errors with a
/// suggestion, so a typo never silently changes what a command does.
struct Arguments {
    private(set) var positional: [String] = []
    private var values: [String: [String]] = [:]
    private var switches: Set<String> = []

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    /// The options a command accepts, by kind. Each command keeps one as a
    /// constant, so its parser and the test that its help lists every option
    /// read the same table.
    struct Options {
        /// Flags that take one value: `--format json`, `--format=json`.
        var valued: Set<String>
        /// Flags that take no value.
        var switches: Set<String>
        /// Flags that take every following argument up to the next flag.
        var collecting: Set<String> = []

        /// Every option's name, without the dashes.
        var names: Set<String> { valued.union(switches).union(collecting) }
    }

    init(_ args: [String], _ options: Options) throws {
        try self.init(args, valued: options.valued, switches: options.switches, collecting: options.collecting)
    }

    /// Parses `args` given the flags that take a value and the switches that do not.
    /// Flags listed in `repeating` may be given several times; a flag in
    /// `collecting` takes every following argument up to the next flag.
    init(_ args: [String], valued: Set<String>, switches allowed: Set<String>, collecting: Set<String> = []) throws {
        var i = 0
        var collectingInto: String?
        while i < args.count {
            let arg = args[i]
            i += 1
            if arg == "--" {
                positional += args[i...]
                break
            }
            // `-f csv` is a mistyped option, not two files; `-` alone may name standard input.
            if arg.hasPrefix("-"), !arg.hasPrefix("--"), arg.count > 1, Double(arg) == nil {
                let known = (Array(valued) + Array(allowed) + Array(collecting)).sorted()
                let letter = arg.dropFirst().prefix(1)
                // The shortest option with that first letter, as `-o` is `--out` by habit.
                let guess = known.filter { $0.hasPrefix(letter) }.min { ($0.count, $0) < ($1.count, $1) }
                    ?? Suggest.closestFlag(String(arg.dropFirst()), among: known)
                throw UsageError(description: "unknown option \(arg)" + (guess.map { "; options are written in full, like --\($0)" } ?? ""))
            }
            guard arg.hasPrefix("--"), arg.count > 2 else {
                if let target = collectingInto { values[target, default: []].append(arg) } else { positional.append(arg) }
                continue
            }
            collectingInto = nil
            var name = String(arg.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if allowed.contains(name) {
                if inline != nil { throw UsageError(description: "--\(name) takes no value") }
                switches.insert(name)
            } else if collecting.contains(name) {
                collectingInto = name
                values[name, default: []] += inline.map { [$0] } ?? []
            } else if valued.contains(name) {
                if let inline {
                    values[name, default: []].append(inline)
                } else {
                    guard i < args.count, !args[i].hasPrefix("--") else {
                        throw UsageError(description: "--\(name) needs a value")
                    }
                    values[name, default: []].append(args[i])
                    i += 1
                }
            } else {
                let known = Array(valued) + Array(allowed) + Array(collecting)
                let guess = Suggest.closestFlag(name, among: known)
                throw UsageError(description: "unknown option --\(name)" + (guess.map { "; did you mean --\($0)?" } ?? ""))
            }
        }
    }

    func value(_ name: String) throws -> String? {
        guard let v = values[name] else { return nil }
        guard v.count == 1 else { throw UsageError(description: "--\(name) is given more than once") }
        return v[0]
    }

    func list(_ name: String) -> [String] { values[name] ?? [] }

    func flag(_ name: String) -> Bool { switches.contains(name) }

    func date(_ name: String) throws -> LocalDate? {
        guard let text = try value(name) else { return nil }
        guard let d = LocalDate(parsing: text) else {
            throw UsageError(description: "--\(name) \(text) is not a date; write it as YYYY-MM-DD\(LocalDate.problem(with: text))")
        }
        return d
    }

    func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = try value(name) else { return fallback }
        guard let n = Int(text), range.contains(n) else {
            throw UsageError(description: "--\(name) \(text) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, default fallback: T) throws -> T where T.RawValue == String {
        guard let text = try value(name) else { return fallback }
        guard let v = T(rawValue: text) else {
            throw UsageError(description: "--\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
        }
        return v
    }
}

import Perk

extension Suggest {
    static func closestFlag(_ name: String, among known: [String]) -> String? {
        closest(to: name, among: known.sorted())
    }
}
