import Foundation
import Logging
import TernCore

/// The operator's `--script` files, validated once at startup, from which each mailbox worker
/// makes its own `LuaRules` (one Lua state per worker) and the run makes one `LuaHooks`.
///
/// ```swift
/// let scripts = try await ScriptSet.load(paths: options.scripts, options: ScriptOptions(
///     logger: logger, allowedEnvironment: Set(options.allowEnv)))
/// // per mailbox worker:
/// let rules: any Rules = scripts.hasRules
///     ? try await scripts.makeRules(logger: mailboxLogger) : NoRules()
/// // once per run:
/// let hooks = try await scripts.makeHooks(onFatal: { error in cancelBatch(error) })
/// ```
public struct ScriptSet: Sendable {
    /// One loaded script file.
    public struct File: Sendable, Equatable {
        public var path: String
        var source: [UInt8]
        public var mapsFolders: Bool
        public var filtersMessages: Bool
        public var mapsLabels: Bool = false
        public var hasHooks: Bool
    }

    public let files: [File]
    public let options: ScriptOptions

    public var mapsFolders: Bool { files.contains { $0.mapsFolders } }
    public var filtersMessages: Bool { files.contains { $0.filtersMessages } }
    public var mapsLabels: Bool { files.contains { $0.mapsLabels } }
    /// Whether a mailbox worker needs its own `LuaRules` (any of the per-mailbox functions).
    public var hasRules: Bool { mapsFolders || filtersMessages || mapsLabels }
    public var hasHooks: Bool { files.contains { $0.hasHooks } }
    public var isEmpty: Bool { files.isEmpty }

    /// No scripts.
    public static let none = ScriptSet(files: [], options: ScriptOptions())

    init(files: [File], options: ScriptOptions) {
        self.files = files
        self.options = options
    }

    /// Reads and validates every file (syntax, sandbox, top-level errors, that each defines at
    /// least one of `map_folder`, `filter_message`, `on_event` as functions). Throws the first
    /// problem with its `file:line`; nothing should start when this throws.
    public static func load(paths: [String], options: ScriptOptions) async throws(ScriptError) -> ScriptSet {
        var files: [File] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ScriptError(location: path, message: "cannot read the script file")
            }
            let problems = await check(source: Array(data), path: path, options: options)
            if let first = problems.problems.first { throw first }
            files.append(File(path: path, source: Array(data), mapsFolders: problems.functions.contains("map_folder"),
                              filtersMessages: problems.functions.contains("filter_message"),
                              mapsLabels: problems.functions.contains("map_labels"),
                              hasHooks: problems.functions.contains("on_event")))
        }
        return ScriptSet(files: files, options: options)
    }

    /// Every problem in a script file (for `tern preset check`), and which functions it defines.
    static func check(source: [UInt8], path: String, options: ScriptOptions) async
        -> (problems: [ScriptError], functions: Set<String>) {
        do {
            let state = try LuaState(limits: options.limits, context: options)
            let chunk = try await state.run(source, chunkName: path, declared: Sandbox.scriptGlobals)
            var functions: Set<String> = []
            for name in Sandbox.scriptGlobals
            where try state.function(named: name, in: chunk.environment, chunkName: path) != nil {
                functions.insert(name)
            }
            if functions.isEmpty {
                return ([ScriptError(location: path, message: "the script defines none of map_folder, filter_message, " +
                                     "map_labels, on_event (a preset file returns a table instead)")], [])
            }
            if !chunk.results.isEmpty {
                return ([ScriptError(location: path, message: "a script defines functions and returns nothing " +
                                     "(it returned a \(chunk.results[0].typeName))")], functions)
            }
            return ([], functions)
        } catch {
            return ([error], [])
        }
    }

    /// A fresh `LuaRules` (its own Lua state) for one mailbox worker. `logger` receives
    /// `tern.log` lines (pass the mailbox logger); defaults to the options' logger.
    public func makeRules(logger: Logger? = nil) async throws(ScriptError) -> LuaRules {
        var options = self.options
        if let logger { options.logger = logger }
        let rules = try LuaRules(files: files.filter { $0.mapsFolders || $0.filtersMessages || $0.mapsLabels },
                                 options: options)
        try await rules.prepare()
        return rules
    }

    /// The run's hook dispatcher, or nil when no script defines `on_event`. `onFatal` is called
    /// (once) when a hook calls `tern.fatal(message)`: the run should stop.
    public func makeHooks(logger: Logger? = nil, events: Set<MigrationEvent.Kind> = LuaHooks.defaultKinds,
                          queueLimit: Int = 10_000, onFatal: (@Sendable (ScriptError) -> Void)? = nil) -> LuaHooks? {
        guard hasHooks else { return nil }
        var options = self.options
        if let logger { options.logger = logger }
        return LuaHooks(files: files.filter(\.hasHooks), options: options, kinds: events, queueLimit: queueLimit,
            onFatal: onFatal)
    }
}
