import Foundation
import Logging
import Synchronization
@testable import TernScript
import TernCore

/// Collects `tern.log` lines for assertions.
final class CapturedLog: LogHandler, @unchecked Sendable {
    let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let location = event.metadata?["script.location"].map { " @\($0)" } ?? ""
        lines.withLock { $0.append("\(event.level): \(event.message)\(location)") }
    }

    var all: [String] { lines.withLock { $0 } }
}

enum LuaTest {
    static func options(log: CapturedLog? = nil, limits: LuaLimits = .default, allowEnv: Set<String> = [],
                        environment: [String: String] = [:], modulePath: [String] = []) -> ScriptOptions {
        var logger = Logger(label: "test")
        if let log {
            logger = Logger(label: "test") { _ in log }
        }
        return ScriptOptions(logger: logger, allowedEnvironment: allowEnv, environment: environment,
                             modulePath: modulePath, limits: limits)
    }

    /// Runs `source` as a file named `name` and returns what it returned.
    static func run(_ source: String, name: String = "test.lua", options: ScriptOptions = options())
        async throws(ScriptError) -> [LuaValue] {
        let state = try LuaState(limits: options.limits, context: options)
        return try await state.run(Array(source.utf8), chunkName: name).results
    }

    /// The error `source` raises (fails the test if none).
    static func failure(_ source: String, name: String = "test.lua", options: ScriptOptions = options())
        async -> ScriptError? {
        do {
            _ = try await run(source, name: name, options: options)
            return nil
        } catch {
            return error
        }
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
