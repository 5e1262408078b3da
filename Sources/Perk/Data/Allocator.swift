#if canImport(Glibc)
import Glibc
#endif

/// How the C allocator treats big blocks, set once by each executable.
public enum Allocator {
    /// glibc raises its threshold for mapping big blocks after each is freed,
    /// so later column-sized arrays come from a heap that keeps freed memory.
    /// Loading moves columns between arrays of a few megabytes; with the
    /// threshold fixed, each freed array goes back to the system at once and
    /// peak memory is the data, not the data plus the columns it replaced.
    public static func returnBigBlocksPromptly() {
        #if canImport(Glibc)
        // `mallopt` is in <malloc.h>, which the Glibc module leaves out.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 256 * 1024)
        #endif
    }
}
