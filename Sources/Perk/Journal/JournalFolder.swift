#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The journal's folder on disk: which days it holds, and the only ways it
/// changes, each all or nothing.
///
/// A day is committed by writing its file aside (`.2025-06-12.csv.partial`),
/// flushing it to disk, renaming it into place and flushing the folder, so a
/// process killed at any instant, or a power cut, leaves either the whole day
/// or none of it; a partial file is never a committed day and the next commit
/// starts it again. Commits and undos hold a lock on `.lock` in the folder,
/// so two at once take turns and never mix; the system drops the lock when
/// its holder dies, so a crash leaves no stale lock behind.
public struct JournalFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    public func file(of day: LocalDate) -> String { path + "/" + JournalFormat.fileName(of: day) }

    private func partialFile(of day: LocalDate) -> String { path + "/." + JournalFormat.fileName(of: day) + ".partial" }

    /// What is at the folder's path.
    public enum State: Equatable {
        case folder
        case missing
        /// Something that is not a folder, or cannot be looked at.
        case unusable(String)
    }

    public var state: State {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT ? .missing : .unusable(String(cString: strerror(errno)))
        }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .folder : .unusable("it is not a folder")
    }

    /// The committed days, in order. A file named like a day that does not
    /// exist is an error; every other file is not part of the journal.
    public func days() -> ([LocalDate], [Diagnostic]) {
        switch state {
        case .missing: return ([], [])
        case .unusable(let why): return ([], [unusable(why)])
        case .folder: break
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            return ([], [unusable(String(cString: strerror(errno)))])
        }
        var days: [LocalDate] = []
        var diagnostics: [Diagnostic] = []
        for name in names.sorted() {
            switch JournalFormat.meaning(ofFileName: name) {
            case .day(let d): days.append(d)
            case .impossible:
                let stem = String(name.dropLast(4))
                diagnostics.append(Diagnostic(.impossibleDayFileName(stem), at: .file(path: path + "/" + name)))
            case .other: break
            }
        }
        return (days.sorted(), diagnostics)
    }

    func unusable(_ why: String) -> Diagnostic {
        Diagnostic(.unusableFolder(why: why), at: .file(path: path))
    }

    // MARK: Changes

    /// Why a change to the journal did not happen, or did but may not last.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        /// The day's file is in place, and later runs see it; only flushing
        /// the folder to disk failed, so a power cut could still lose it.
        public var dayIsCommitted = false
    }

    /// Writes a day's file, all or nothing. The caller holds the lock and has
    /// checked that the day is not in the journal yet.
    public func commit(_ day: LocalDate, contents: [UInt8]) throws {
        try create()
        removePartialFiles()
        let partial = partialFile(of: day), final = file(of: day)
        let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot write \(partial)") }
        do {
            try writeAll(contents, to: fd, path: partial)
            guard fsync(fd) == 0 else { throw failure("cannot flush \(partial) to disk") }
        } catch {
            close(fd)
            unlink(partial)
            throw error
        }
        guard close(fd) == 0 else {
            unlink(partial)
            throw failure("cannot write \(partial)")
        }
        guard rename(partial, final) == 0 else {
            let failed = failure("cannot rename \(partial) to \(final)")
            unlink(partial)
            throw failed
        }
        do {
            try syncFolder(path)
        } catch var failed as Failure {
            failed.dayIsCommitted = true
            throw failed
        }
    }

    /// Makes the folder when it does not exist yet, and flushes its parent,
    /// so a power cut cannot lose a new journal after its first commit.
    private func create() throws {
        guard state == .missing else { return }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw Failure(description: "cannot create the journal folder \(path): \(String(cString: strerror(errno)))")
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try syncFolder(parent.isEmpty ? "." : parent)
    }

    /// Removes the latest day's file; the caller holds the lock.
    public func remove(_ day: LocalDate) throws {
        guard unlink(file(of: day)) == 0 else { throw failure("cannot remove \(file(of: day))") }
        try syncFolder(path)
    }

    private func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let chunk = min(buffer.count - offset, 1 << 16)
                let n = write(fd, buffer.baseAddress! + offset, chunk)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write \(path)")
                }
                offset += n
            }
        }
    }

    /// Flushes a folder, so a rename, removal or new entry in it survives a power cut.
    private func syncFolder(_ folder: String) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open the folder \(folder)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("cannot flush the folder \(folder) to disk") }
    }

    /// Files a killed commit left behind; they were never committed days.
    private func removePartialFiles() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".csv.partial") {
            unlink(path + "/" + name)
        }
    }

    private func failure(_ what: String) -> Failure {
        Failure(description: "\(what): \(String(cString: strerror(errno)))")
    }

    // MARK: Lock

    /// Takes the journal's lock, waiting while another process holds it:
    /// `waiting` is told once, with that process's id when known. After
    /// `timeout` seconds the wait gives up. The lock is held until the
    /// returned value is released or the process ends.
    public func lock(timeout: Double, waiting: (_ holder: String?) -> Void) throws -> JournalLock {
        try create()
        let lockPath = path + "/.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot open the journal's lock file \(lockPath)") }
        var told = false
        let start = Date()
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let failed = failure("cannot lock the journal \(path)")
                close(fd)
                throw failed
            }
            if !told {
                waiting(JournalFolder.holder(of: fd))
                told = true
            }
            guard Date().timeIntervalSince(start) < timeout else {
                close(fd)
                throw Failure(description: "another perk has held the journal \(path) for over \(Int(timeout)) seconds; nothing was written. "
                              + "Try again when it has finished")
            }
            usleep(20_000)
        }
        // Say who holds it, for anyone who has to wait.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return JournalLock(fd: fd)
    }

    private static func holder(of fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingSpaces.split(separator: "\n").first.map(String.init)
        return text.flatMap { Int($0) }.map { "process \($0)" }
    }
}

/// The journal's lock, held until released or the process ends.
public final class JournalLock {
    private var fd: Int32

    init(fd: Int32) { self.fd = fd }

    public func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }
}
