import Synchronization

/// A run asked to stop from inside (a hook's `tern.fatal`): set once, read by the engine
/// between folders and batches and by the runner before each mailbox, so the run ends the
/// way any run ends — state recorded, summary printed — instead of exiting from a callback.
public final class RunStop: Sendable {
    private let stored = Mutex<String?>(nil)

    public init() {}

    /// Why the run stops, once asked; nil while it goes on.
    public var reason: String? { stored.withLock { $0 } }

    /// Asks the run to stop; the first reason given stands.
    public func request(_ reason: String) {
        stored.withLock { if $0 == nil { $0 = reason } }
    }
}
