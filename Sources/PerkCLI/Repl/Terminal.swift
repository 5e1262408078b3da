#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal on standard input and output: raw mode while a line is being
/// edited, its width, and unbuffered reads and writes.
struct Terminal {
    /// Raw mode: keys arrive one by one, unechoed, and Ctrl-C is a key rather
    /// than a signal. Output processing stays on, so `\n` still starts a new
    /// line and commands print as usual. It lasts the whole session: keys typed
    /// while a command runs then wait for the editor, instead of being edited
    /// by the terminal's own line discipline (whose Backspace would cut a
    /// Chinese character in half), and Ctrl-C cannot end the session. The
    /// settings before are restored by `restore()`, which the caller runs with
    /// `defer`, so an error cannot leave the terminal raw. While an entry runs,
    /// `interruptible(true)` lets Ctrl-C send SIGINT again to stop it.
    struct RawMode {
        private var saved = termios()
        private var raw = termios()
        private var active = false

        mutating func enable() -> Bool {
            guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return false }
            var raw = saved
            raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
            raw.c_cflag |= tcflag_t(CS8)
            raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
            withUnsafeMutableBytes(of: &raw.c_cc) { cc in
                cc[Int(VMIN)] = 1
                cc[Int(VTIME)] = 0
            }
            // TCSADRAIN, not TCSAFLUSH: keys typed (or pasted) ahead are kept.
            active = tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0
            self.raw = raw
            return active
        }

        /// Ctrl-C as a signal (while an entry runs) or as a key (while a line
        /// is edited). Only Ctrl-C: Ctrl-Z and Ctrl-\ stay plain keys, which
        /// would otherwise stop or kill the REPL with the terminal raw. With
        /// NOFLSH the terminal keeps the keys typed ahead for the editor
        /// instead of discarding them at Ctrl-C.
        func interruptible(_ on: Bool) {
            guard active else { return }
            var settings = raw
            if on {
                settings.c_lflag |= tcflag_t(ISIG | NOFLSH)
                withUnsafeMutableBytes(of: &settings.c_cc) { cc in
                    cc[Int(VQUIT)] = Terminal.disabled
                    cc[Int(VSUSP)] = Terminal.disabled
                }
            }
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        }

        mutating func restore() {
            guard active else { return }
            _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &saved)
            active = false
        }
    }

    /// A control character that no key produces (`_POSIX_VDISABLE`).
    #if os(Linux)
    static let disabled: UInt8 = 0
    #else
    static let disabled: UInt8 = 0xFF
    #endif

    /// Columns of the terminal, asked again each time so a resize is followed.
    static var columns: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// The next bytes typed; nil at the end of input.
    static func readBytes() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n < 0, errno == EINTR { continue }
            return nil
        }
    }

    static func show(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
