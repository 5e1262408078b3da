import Dispatch
import Foundation
import Perk

/// Ctrl-C, or SIGINT from elsewhere, while an entry runs: the entry's
/// cancellation is cancelled, and the session stops it within a moment.
///
/// The signal is caught by one dispatch source for the whole session rather
/// than a handler put in place around each entry: on Linux, a second source
/// for the same signal, or any change of its disposition after the first,
/// leaves SIGINT undelivered. What a SIGINT does while no entry runs is the
/// caller's choice (`idle`): nothing at a prompt, where Ctrl-C is a key
/// anyway; the end of the run for a script.
final class Interrupts: @unchecked Sendable {
    private let lock = NSLock()
    private var running: Cancellation?
    private let idle: @Sendable () -> Void
    private let source: DispatchSourceSignal

    init(idle: @escaping @Sendable () -> Void) {
        self.idle = idle
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in self?.interrupt() }
        source.resume()
    }

    deinit {
        source.cancel()
    }

    /// Runs `entry` with a fresh cancellation, which a SIGINT meanwhile cancels.
    func during<T>(_ entry: (Cancellation) -> T) -> T {
        let cancellation = Cancellation()
        lock.lock()
        running = cancellation
        lock.unlock()
        defer {
            lock.lock()
            running = nil
            lock.unlock()
        }
        return entry(cancellation)
    }

    private func interrupt() {
        lock.lock()
        let cancellation = running
        lock.unlock()
        if let cancellation { cancellation.cancel() } else { idle() }
    }
}
