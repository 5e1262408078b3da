#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Perk

/// Where output goes. Results go to standard output; notices, warnings and
/// errors to standard error, so `perk run --format csv > plan.csv` stays clean.
struct Console {
    /// Colour only on a terminal, and never when NO_COLOR is set.
    static var errorStyle: TextStyle {
        isatty(STDERR_FILENO) != 0 && getenv("NO_COLOR") == nil ? .ansi : .plain
    }

    static func out(_ text: String) {
        fputs(text, stdout)
    }

    static func err(_ text: String) {
        fputs(text, stderr)
    }

    /// Sends buffered output now, so a reply shows before the next prompt.
    static func flush() {
        fflush(stdout)
        fflush(stderr)
    }

    static func diagnostics(_ list: [Diagnostic]) {
        guard !list.isEmpty else { return }
        err(DiagnosticRenderer(style: errorStyle).render(list))
    }
}

/// Exit codes shared by every command.
enum ExitCode {
    static let success: Int32 = 0
    /// The rules or the data have errors.
    static let failure: Int32 = 1
    /// The command line itself was wrong.
    static let usage: Int32 = 2
    /// Stopped by SIGINT (`perk repl` reading a script): 128 + 2, as a shell
    /// reports a command the signal ended.
    static let interrupted: Int32 = 130
}
