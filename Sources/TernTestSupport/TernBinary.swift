import Foundation

/// Runs the built `tern` executable as a user would, capturing its output.
public enum TernBinary {
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `tern` built next to the test bundle (or `TERN_BINARY`).
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["TERN_BINARY"] { return explicit }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = bundle.deletingLastPathComponent()
        if bundle.pathExtension != "xctest" {
            // swift-testing's runner may be the bundle itself or a helper beside it.
            while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("tern").path) {
                directory.deleteLastPathComponent()
            }
        }
        return directory.appendingPathComponent("tern").path
    }

    /// Runs `tern` and waits for it without blocking a thread of Swift's cooperative pool (on a
    /// 2-core machine two blocked test threads would stall every other test's timers).
    public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let exited = Exit()
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        // Both pipes drain on their own threads so a chatty child never blocks on a full pipe.
        async let outputData = readToEnd(out.fileHandleForReading)
        async let errorData = readToEnd(err.fileHandleForReading)
        let (output, error) = await (outputData, errorData)
        await exited.wait()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: error, as: UTF8.self))
    }

    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: handle.readDataToEndOfFile()) }.start()
        }
    }
}

/// The child's exit, awaited once; the termination handler may run before or after the wait.
private final class Exit: @unchecked Sendable {
    private let lock = NSLock()
    private var exited = false
    private var waiter: CheckedContinuation<Void, Never>?

    func signal() {
        let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            exited = true
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume()
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let done = lock.withLock { () -> Bool in
                if exited { return true }
                waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}
