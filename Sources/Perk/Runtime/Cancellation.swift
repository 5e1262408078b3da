#if canImport(Synchronization) && !canImport(Darwin)
import Synchronization
#else
import Foundation
#endif

/// Asks a long evaluation to stop: `cancel()` from any thread (a signal
/// handler's queue, a test), `isCancelled` read where the work can stop
/// early, per customer and per order. One token per piece of work, never
/// reset, so a late `cancel()` cannot stop the next one.
///
/// Work that sees the token cancelled stops where it stands and returns
/// whatever it has, which means nothing: whoever handed in the token checks it
/// afterwards and throws the result away.
public final class Cancellation: Sendable {
    #if canImport(Synchronization) && !canImport(Darwin)
    // A relaxed load is a plain load, cheap enough to read once per order.
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
    #else
    // `Atomic` needs macOS 15 on Darwin, which the package does not require.
    private let state = Locked()

    public init() {}

    public func cancel() { state.set() }

    public var isCancelled: Bool { state.value }

    private final class Locked: @unchecked Sendable {
        private let lock = NSLock()
        private var flag = false
        var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
        func set() { lock.lock(); flag = true; lock.unlock() }
    }
    #endif
}
