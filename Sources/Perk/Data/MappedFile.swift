#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory.
///
/// A big orders file is read once, front to back. Mapped, its pages come and
/// go as the loader passes: `release` hands back the pages already read, so
/// a 900 MB file never needs 900 MB of memory, while any byte can still be
/// read again later (for a message's line of text).
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>

    /// Maps the regular, non-empty file at `path`; nil when it cannot, and
    /// the caller reads it the ordinary way, which explains any failure.
    init?(path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }

    /// Lets go of the whole pages inside `range`. Reading them again is still
    /// correct, as the system fetches them back from the file.
    func release(_ range: Range<Int>) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        guard start < end, let base = bytes.baseAddress else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}
