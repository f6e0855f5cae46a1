import Foundation
import TernCore

/// A destination preset's routing functions: `create_alias(obj)`, `create_group(obj)`,
/// `create_forwarder(obj)` and `list_aliases()`, `list_groups()`, `list_forwarders()` in the
/// preset's `routing` table, which `tern routing apply` / `verify` call for providers with an
/// admin API (docs/scripting.md, "Routing functions").
///
/// The preset file is validated like any preset, then run once more in one sandboxed Lua state
/// that stays alive for every call (the preset's `local` upvalues persist between calls). Each
/// call runs under the same budgets as a hook (`ScriptOptions.limits`), may use `tern.http`,
/// and reads secrets only through `tern.env` (`--allow-env NAME`). Text that comes back out of
/// Lua (details, reasons, error messages) has the value of every allowed variable replaced by
/// `$NAME`, so an API token cannot reach the output even if a provider echoes it.
///
/// ```swift
/// guard let api = try await PresetRoutingAPI.load("routing-http-api.lua", loader: loader) else { return }
/// if await api.creates.contains(.alias) { let detail = try await api.create(object) }
/// ```
public actor PresetRoutingAPI {
    /// The routing objects a preset can make and list.
    public enum Kind: String, Sendable, CaseIterable {
        case alias, group, forwarder

        /// `create_alias`, `create_group`, `create_forwarder`.
        public var createFunction: String { "create_" + rawValue }

        /// `list_aliases`, `list_groups`, `list_forwarders`.
        public var listFunction: String {
            switch self {
            case .alias: "list_aliases"
            case .group: "list_groups"
            case .forwarder: "list_forwarders"
            }
        }
    }

    /// What a create function receives as its one argument (a Lua table, fields in snake case).
    public struct Object: Sendable, Equatable {
        public var kind: Kind
        public var address: String
        public var targets: [String]
        public var displayName: String?
        public var keepCopy: Bool
        public var notes: [String]
        /// Where the source said so (`file:line`).
        public var sources: [String]

        public init(kind: Kind, address: String, targets: [String], displayName: String? = nil, keepCopy: Bool = false,
                    notes: [String] = [], sources: [String] = []) {
            self.kind = kind
            self.address = address
            self.targets = targets
            self.displayName = displayName
            self.keepCopy = keepCopy
            self.notes = notes
            self.sources = sources
        }
    }

    /// One object a list function reported; `targets` only when the function gave them.
    public struct Listed: Sendable, Equatable {
        public var address: String
        public var targets: [String]?

        public init(address: String, targets: [String]? = nil) {
            self.address = address
            self.targets = targets
        }
    }

    /// The preset file.
    public nonisolated let path: String
    /// The kinds the preset has a create function for.
    public private(set) var creates: Set<Kind> = []
    /// The kinds the preset has a list function for.
    public private(set) var lists: Set<Kind> = []

    private let state: LuaState
    private let source: [UInt8]
    private let lines: SourceLines
    private let secrets: [(name: String, value: String)]
    private var functions: [String: LuaFunctionRef] = [:]

    /// Loads `nameOrFile` (a preset name on the loader's search path, or a file): validates it
    /// as a preset, then keeps it in its own Lua state. Nil when it has no `routing` table.
    /// Throws the preset's first problem (`file:line`).
    public static func load(_ nameOrFile: String, loader: PresetLoader = PresetLoader()) async throws(ScriptError)
        -> PresetRoutingAPI? {
        let path = try loader.locate(nameOrFile)
        _ = try await loader.load(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScriptError(location: path, message: "cannot read the file")
        }
        let api = try PresetRoutingAPI(path: path, source: Array(data), options: loader.options)
        return try await api.prepare() ? api : nil
    }

    init(path: String, source: [UInt8], options: ScriptOptions) throws(ScriptError) {
        self.path = path
        self.source = source
        lines = SourceLines(String(decoding: source, as: UTF8.self))
        secrets = options.allowedEnvironment.compactMap { name in
            options.environment[name].flatMap { $0.count >= 4 ? (name, $0) : nil }
        }.sorted { $0.value.count > $1.value.count }
        state = try LuaState(limits: options.limits, context: options)
    }

    /// Runs the file and records its routing functions; false when it has none.
    func prepare() async throws(ScriptError) -> Bool {
        let chunk = try await state.run(source, chunkName: path)
        guard case .table(let preset)? = chunk.results.first, case .table(let routing) = preset["routing"] else {
            return false
        }
        for name in PresetSchema.routingFunctions {
            if case .function(let function) = routing[name] { functions[name] = function }
        }
        creates = Set(Kind.allCases.filter { functions[$0.createFunction] != nil })
        lists = Set(Kind.allCases.filter { functions[$0.listFunction] != nil })
        return !functions.isEmpty
    }

    /// Calls the create function for `object.kind`. Returns the detail the function gave (the
    /// `detail` field of a returned table), nil for a plain `true`. Throws when the function is
    /// missing, raises (its `file:line`), returns `nil, reason` / `false, reason` (the reason, at
    /// the function's line) or returns anything else.
    public func create(_ object: Object) async throws(ScriptError) -> String? {
        let name = object.kind.createFunction
        let results = try await call(name, [object.luaValue])
        let first = results.first ?? .nilValue
        switch first {
        case .nilValue, .boolean(false):
            throw failure(name, results)
        case .boolean(true):
            return nil
        case .table(let table):
            return table["detail"].stringValue.map(redacted)
        default:
            throw ScriptError(location: location(of: name), message: "\(name) must return true or a table on success, "
                + "or nil and a reason on failure (it returned a \(first.typeName))")
        }
    }

    /// Calls the list function for `kind`: every object of that kind at the destination.
    public func list(_ kind: Kind) async throws(ScriptError) -> [Listed] {
        let name = kind.listFunction
        let results = try await call(name, [])
        let first = results.first ?? .nilValue
        func wrong(_ what: String) -> ScriptError {
            ScriptError(location: location(of: name), message: "\(name) must return a list of addresses or "
                + "{address=, targets=} tables (\(what))")
        }
        switch first {
        case .nilValue, .boolean(false):
            throw failure(name, results)
        case .table(let table):
            guard table.entries.isEmpty || table.isSequence else {
                throw wrong("it returned a table that is not a list")
            }
            var listed: [Listed] = []
            for (index, item) in table.array.enumerated() {
                switch item {
                case .string: listed.append(Listed(address: item.stringValue ?? ""))
                case .table(let fields):
                    guard let address = fields["address"].stringValue else {
                        throw wrong("item \(index + 1) has no address string")
                    }
                    var targets: [String]?
                    if let list = fields["targets"].tableValue {
                        guard list.entries.isEmpty || list.isSequence, list.array.allSatisfy({ $0.stringValue != nil })
                        else { throw wrong("item \(index + 1)'s targets are not a list of strings") }
                        targets = list.array.compactMap(\.stringValue)
                    } else if !fields["targets"].isNil {
                        throw wrong("item \(index + 1)'s targets are a \(fields["targets"].typeName)")
                    }
                    listed.append(Listed(address: address, targets: targets))
                default:
                    throw wrong("item \(index + 1) is a \(item.typeName)")
                }
            }
            return listed
        default:
            throw wrong("it returned a \(first.typeName)")
        }
    }

    // MARK: - Calling

    private func call(_ name: String, _ arguments: [LuaValue]) async throws(ScriptError) -> [LuaValue] {
        guard let function = functions[name] else {
            throw ScriptError(location: path, message: "the preset's routing table has no \(name) function")
        }
        do {
            return try await state.call(function, arguments)
        } catch {
            var redactedError = error
            redactedError.message = redacted(error.message)
            redactedError.traceback = error.traceback.map(redacted)
            if redactedError.location == nil { redactedError.location = location(of: name) }
            throw redactedError
        }
    }

    private func failure(_ name: String, _ results: [LuaValue]) -> ScriptError {
        let reason = results.dropFirst().first?.stringValue.map(redacted)
        return ScriptError(location: location(of: name), message: reason ?? "\(name) failed and gave no reason "
            + "(return nil, \"why\")")
    }

    /// `file:line` of the function's entry in the `routing` table.
    private func location(of name: String) -> String {
        "\(path):\(lines.line(of: ["routing", name]) ?? 1)"
    }

    /// `text` with the value of every allowed environment variable replaced by `$NAME`.
    func redacted(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1.value, with: "$" + $1.name) }
    }
}

extension PresetRoutingAPI.Object {
    /// `{kind=, address=, targets={...}, display_name=, keep_copy=, notes={...}, sources={...}}`.
    var luaValue: LuaValue {
        var table = LuaTable()
        table["kind"] = .string(kind.rawValue)
        table["address"] = .string(address)
        table["targets"] = .array(targets.map { .string($0) })
        if let displayName { table["display_name"] = .string(displayName) }
        table["keep_copy"] = .boolean(keepCopy)
        table["notes"] = .array(notes.map { .string($0) })
        table["sources"] = .array(sources.map { .string($0) })
        return .table(table)
    }
}
