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

    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
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
        try process.run()
        // Drain stderr concurrently so a chatty child cannot block on a full pipe.
        let errorData = Mutexed(Data())
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData.value, as: UTF8.self))
    }
}

private final class Mutexed: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Data
    private var done = false
    init(_ value: Data) { stored = value }
    func set(_ value: Data) { lock.withLock { stored = value; done = true } }
    var isSet: Bool { lock.withLock { done } }
    var value: Data { lock.withLock { stored } }
}
