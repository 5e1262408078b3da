#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest

/// `perk repl` in a real pseudo-terminal: typed keys, Tab completion, history,
/// Ctrl-C and Ctrl-D, as a person at a terminal would use it. The test waits
/// for what the REPL prints (never for a fixed time), so it does not depend on
/// the machine's speed; where no pseudo-terminal can be opened it is skipped.
final class ReplTerminalTests: XCTestCase {
    /// The REPL on the fixture shop, attached to a new pseudo-terminal.
    private struct TerminalSession {
        let process = Process()
        let master: Int32
        /// Kept open to read the terminal's settings after the REPL has left.
        let slave: Int32
        let settingsBefore: termios
        var screen = ""

        /// With `controllingTerminal`, the REPL runs in a session of its own
        /// with the pseudo-terminal as its controlling terminal (`setsid -c`),
        /// as in a shell, so Ctrl-C reaches it as SIGINT when it asks for that.
        init(history: String, colour: Bool = false, data: [String] = ReplCommandTests.data, controllingTerminal: Bool = false) throws {
            var master: Int32 = 0, slave: Int32 = 0
            var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
            guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw XCTSkip("no pseudo-terminal on this machine") }
            self.master = master
            self.slave = slave
            var settings = termios()
            _ = tcgetattr(slave, &settings)
            settingsBefore = settings
            if controllingTerminal {
                let setsid = "/usr/bin/setsid"
                guard FileManager.default.isExecutableFile(atPath: setsid) else { throw XCTSkip("no setsid on this machine") }
                process.executableURL = URL(fileURLWithPath: setsid)
                process.arguments = ["--ctty", "--wait", PerkProcess.binary.path, "repl"] + data
            } else {
                process.executableURL = PerkProcess.binary
                process.arguments = ["repl"] + data
            }
            process.currentDirectoryURL = Repository.root
            var env = ProcessInfo.processInfo.environment
            env["NO_COLOR"] = colour ? nil : "1"
            env["PERK_HISTORY"] = history
            process.environment = env
            let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
            process.standardInput = terminal
            process.standardOutput = terminal
            process.standardError = terminal
            try process.run()
            _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        }

        func type(_ keys: String) {
            let bytes = Array(keys.utf8)
            _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        }

        /// Reads until `text` has appeared `times` times on the screen so far.
        mutating func expect(_ text: String, times: Int = 1, file: StaticString = #filePath, line: UInt = #line) {
            let deadline = Date().addingTimeInterval(20)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while screen.components(separatedBy: text).count - 1 < times {
                guard Date() < deadline else {
                    XCTFail("never saw \(text.debugDescription); the screen:\n\(screen)", file: file, line: line)
                    return
                }
                var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else { continue }
                let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if n > 0 { screen += String(decoding: buffer[0..<n], as: UTF8.self) } else if n == 0 { break }
            }
        }

        /// Reads what the REPL prints for `seconds`, so it never waits on a
        /// full terminal while the test waits on it.
        mutating func pause(_ seconds: Double) {
            let end = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < end {
                var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 50) > 0 else { continue }
                let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if n > 0 { screen += String(decoding: buffer[0..<n], as: UTF8.self) } else if n == 0 { return }
            }
        }

        /// Waits for the REPL to leave: its exit status, and whether the
        /// terminal's settings are as they were before it started.
        func finish(file: StaticString = #filePath, line: UInt = #line) -> (status: Int32, restored: Bool) {
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning, Date() < deadline { usleep(10_000) }
            if process.isRunning {
                XCTFail("the REPL did not leave; the screen:\n\(screen)", file: file, line: line)
                process.terminate()
            }
            process.waitUntilExit()
            var after = termios()
            _ = tcgetattr(slave, &after)
            close(slave)
            close(master)
            let restored = after.c_lflag == settingsBefore.c_lflag && after.c_iflag == settingsBefore.c_iflag
                && after.c_oflag == settingsBefore.c_oflag && after.c_cflag == settingsBefore.c_cflag
            return (process.terminationStatus, restored)
        }
    }

    func testTypingCompletionHistoryAndControlKeys() throws {
        let history = FileManager.default.temporaryDirectory.appendingPathComponent("perk-history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: history) }
        var t = try TerminalSession(history: history)
        t.expect("perk> ")
        t.type("count customers where member.tier == VIP\r")
        t.expect("2 of 6 customers (33.3%)")

        // Tab completes a column after `member.` and an enum value.
        t.type("customers where member.ti\t")
        t.expect("member.tier ")
        t.type("== V\t\r")
        t.expect("2 of 6 customers (33.3%)", times: 2)
        t.expect("Emily Zhang")

        // Up twice recalls the first line; Enter runs it again.
        t.type("\u{1B}[A\u{1B}[A\r")
        t.expect("2 of 6 customers (33.3%)", times: 3)

        // Left, deletions and insertions in Chinese text: 北京 becomes 上海.
        t.type("count customers where member.city == \"北京\"\u{1B}[D\u{7F}\u{7F}上海\r")
        t.expect("3 of 6 customers (50.0%)")

        // An unfinished entry shows the continuation prompt; Ctrl-C drops it.
        t.type("2 +\r")
        t.expect("  ... ")
        t.type("\u{3}")
        t.expect("^C")
        t.type("2 + 3\r")
        t.expect("5\r\n")

        // An entry typed on two lines is one line of history.
        t.type("count customers where member.tier == MEMBER and\r")
        t.expect("  ... ")
        t.type("  member.city == \"杭州\"\r")
        t.expect("1 of 6 customers (16.7%)")
        t.type("\u{1B}[A\r")
        t.expect("1 of 6 customers (16.7%)", times: 2)

        // Ctrl-D on an empty line leaves, and the terminal's settings come back.
        t.type("\u{4}")
        let end = t.finish()
        XCTAssertEqual(end.status, 0)
        XCTAssertTrue(end.restored, "the terminal is left as it was found")
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        XCTAssertEqual(saved.split(separator: "\n").first, "count customers where member.tier == VIP")
        XCTAssertTrue(saved.contains("count customers where member.city == \"上海\"\n"), saved)
        XCTAssertTrue(saved.hasSuffix("\ncount customers where member.tier == MEMBER and member.city == \"杭州\"\n"), saved)
    }

    /// Ctrl-C while an entry runs stops it, with a note, and the prompt comes
    /// back; while a line is edited it still drops the line.
    func testCtrlCStopsARunningEntry() throws {
        var t = try TerminalSession(history: "", data: try SlowQueryShop.arguments, controllingTerminal: true)
        t.expect("perk> ")
        let query = "count customers where \(SlowQueryShop.condition)"
        t.type(query + "\r")
        // The entry runs a moment after the line is read; Ctrl-C is a signal
        // from then until it is done (a key sent earlier would wait for the
        // next prompt, and the test would fail, never hang).
        t.pause(1.5)
        let sent = Date()
        t.type("\u{3}")
        t.expect("interrupted\r\n")
        // The query alone takes half a minute in a debug build.
        XCTAssertLessThan(Date().timeIntervalSince(sent), 10, "stopped soon after Ctrl-C")
        XCTAssertFalse(t.screen.contains("customers ("), "no answer from the stopped query")
        t.type("2 + 3\r")
        t.expect("5\r\n")
        t.type("xyz\u{3}")
        t.expect("^C")
        t.type("\u{4}")
        let end = t.finish()
        XCTAssertEqual(end.status, 0)
        XCTAssertTrue(end.restored, "the terminal is left as it was found")
    }

    /// Colour on a terminal, and none at all with NO_COLOR.
    func testColourOnlyWithoutNoColor() throws {
        // Keys typed before the prompt would meet the terminal's own line
        // editing (as in any shell), so each session waits for it.
        var coloured = try TerminalSession(history: "", colour: true)
        coloured.expect("perk> ")
        coloured.type("customers where member.tier == VIPP\r\u{4}")
        coloured.expect("error[P103]")
        XCTAssertEqual(coloured.finish().status, 0)
        XCTAssertTrue(coloured.screen.contains("\u{1B}[1;36mperk> \u{1B}[0m"), "a coloured prompt")
        XCTAssertTrue(coloured.screen.contains("\u{1B}[1;31merror[P103]"), "a coloured diagnostic")

        var plain = try TerminalSession(history: "")
        plain.expect("perk> ")
        plain.type("customers where member.tier == VIPP\r\u{4}")
        plain.expect("error[P103]")
        XCTAssertEqual(plain.finish().status, 0)
        XCTAssertFalse(plain.screen.contains("\u{1B}[1;"), "no colour with NO_COLOR")
    }
}
