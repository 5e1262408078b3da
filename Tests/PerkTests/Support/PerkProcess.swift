import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the built `perk` binary, as a user would from a shell.
struct PerkProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when a signal ended the process; `status` is then the signal.
        var wasKilled = false
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("perk")
    }

    /// Runs `perk` in `directory` (default: the repository), so relative
    /// paths in its output stay the same from one run to the next.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    directory: URL = Repository.root) throws -> Result {
        try start(arguments, stdin: stdin, environment: environment, directory: directory).wait()
    }

    /// Starts the binary and returns at once, so a test can watch it, or kill
    /// it, while it works. With `fileSizeLimit`, it runs under
    /// `/bin/sh -c 'ulimit -f N; exec perk ...'`: a write past N blocks fails.
    static func start(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                      directory: URL = Repository.root, fileSizeLimit: Int? = nil) throws -> Running {
        let process = Process()
        if let fileSizeLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -f \(fileSizeLimit) && exec \"$0\" \"$@\"", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        // Output goes to files, not pipes, so a large plan can never stall the child.
        let dir = try folder([:])
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        // `waitUntilExit` alone polls every 50 ms; the handler says at once.
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        return Running(process: process, ended: ended, dir: dir, out: out, err: err)
    }

    /// A started binary, not waited for yet.
    final class Running {
        private let process: Process
        private let ended: DispatchSemaphore
        private let dir: URL
        private let out: FileHandle, err: FileHandle

        fileprivate init(process: Process, ended: DispatchSemaphore, dir: URL, out: FileHandle, err: FileHandle) {
            self.process = process
            self.ended = ended
            self.dir = dir
            self.out = out
            self.err = err
        }

        var pid: Int32 { process.processIdentifier }
        var isRunning: Bool { process.isRunning }

        /// What it has written to standard error so far.
        var stderrSoFar: String {
            String(decoding: (try? Data(contentsOf: dir.appendingPathComponent("stderr"))) ?? Data(), as: UTF8.self)
        }

        /// Sends `signal` (SIGKILL unless told), as `kill -9` would.
        func kill(_ signal: Int32 = SIGKILL) {
            send(signal, to: process.processIdentifier)
        }

        /// Waits for it to end and collects what it wrote.
        func wait() throws -> Result {
            ended.wait()
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: dir) }
            try out.close()
            try err.close()
            return Result(status: process.terminationStatus,
                          stdout: String(decoding: try Data(contentsOf: dir.appendingPathComponent("stdout")), as: UTF8.self),
                          stderr: String(decoding: try Data(contentsOf: dir.appendingPathComponent("stderr")), as: UTF8.self),
                          wasKilled: process.terminationReason == .uncaughtSignal)
        }
    }

    /// A fresh temporary folder with the given files in it.
    static func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, content) in files {
            try Data(content.utf8).write(to: dir.appendingPathComponent(name))
        }
        return dir
    }
}

private func send(_ signal: Int32, to pid: Int32) {
    _ = kill(pid, signal)
}
