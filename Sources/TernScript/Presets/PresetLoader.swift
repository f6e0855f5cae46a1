import Foundation
import TernCore

/// Loads provider presets (`presets/providers/NAME.lua`): finds them on the search path, runs
/// them in the sandbox (budgeted), calls function-valued fields with a `PresetContext`, and
/// validates the result against the schema with `file:line` messages.
///
/// ```swift
/// let loader = PresetLoader()
/// let gmail = try await loader.load("gmail", context: PresetContext(user: "alice@example.com"))
/// ```
public struct PresetLoader: Sendable {
    public var searchPath: PresetSearchPath
    public var options: ScriptOptions

    public init(searchPath: PresetSearchPath = .standard, options: ScriptOptions = ScriptOptions()) {
        self.searchPath = searchPath
        self.options = options
        self.options.modulePath = searchPath.moduleDirectories
    }

    /// One preset as `tern preset list` shows it.
    public struct Listing: Sendable, Equatable {
        public var name: String
        public var description: String
        public var path: String
    }

    /// The file `nameOrFile` stands for: an existing path (anything with a `/` or ending in
    /// `.lua`), else `NAME.lua` in the first search-path folder that has it.
    public func locate(_ nameOrFile: String) throws(ScriptError) -> String {
        if nameOrFile.contains("/") || nameOrFile.hasSuffix(".lua") {
            guard FileManager.default.fileExists(atPath: nameOrFile) else {
                throw ScriptError(location: nil, message: "preset file \(nameOrFile) does not exist")
            }
            return nameOrFile
        }
        for directory in searchPath.directories {
            let path = (directory as NSString).appendingPathComponent(nameOrFile + ".lua")
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw ScriptError(location: nil, message: "no preset named '\(nameOrFile)'; searched " +
                          searchPath.directories.joined(separator: ", ") + " (try `tern preset list`)")
    }

    /// Every preset on the search path (the first of each name wins), sorted by name. Files
    /// that fail to load are listed with their error as the description.
    public func list() async -> [Listing] {
        var seen: Set<String> = []
        var listings: [Listing] = []
        for directory in searchPath.directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files.sorted() where file.hasSuffix(".lua") {
                let name = String(file.dropLast(4))
                guard seen.insert(name).inserted else { continue }
                let path = (directory as NSString).appendingPathComponent(file)
                do {
                    let preset = try await load(path, context: .example)
                    listings.append(Listing(name: name, description: preset.description, path: path))
                } catch {
                    listings.append(Listing(name: name, description: "(broken: \(error))", path: path))
                }
            }
        }
        return listings.sorted { $0.name < $1.name }
    }

    /// Loads and validates one preset; throws the first problem (use `check` for all of them).
    public func load(_ nameOrFile: String, context: PresetContext = PresetContext()) async throws(ScriptError)
        -> ProviderPreset {
        let path = try locate(nameOrFile)
        let result = await evaluate(path: path, context: context)
        if let first = result.problems.first { throw first }
        guard let preset = result.preset else { throw ScriptError(location: path, message: "preset did not load") }
        return preset
    }

    /// Every problem in a preset file (syntax, schema, unknown fields, types), in line order.
    public func check(_ path: String, context: PresetContext = .example) async -> [ScriptError] {
        await evaluate(path: path, context: context).problems
    }

    // MARK: - Evaluation

    struct Evaluation {
        var preset: ProviderPreset?
        var problems: [ScriptError]
    }

    func evaluate(path: String, context: PresetContext) async -> Evaluation {
        guard let data = FileManager.default.contents(atPath: path) else {
            return Evaluation(problems: [ScriptError(location: path, message: "cannot read the file")])
        }
        let source = String(decoding: data, as: UTF8.self)
        do {
            let state = try LuaState(limits: options.limits, context: options)
            let chunk = try await state.run(Array(data), chunkName: path)
            guard chunk.results.count == 1, case .table(let table) = chunk.results[0] else {
                let got = chunk.results.first?.typeName ?? "nothing"
                return Evaluation(problems: [ScriptError(location: "\(path):\(SourceLines(source).line(of: []) ?? 1)",
                    message: "a preset file must return one table describing the provider (it returned \(got))")])
            }
            var validator = PresetValidator(path: path, lines: SourceLines(source), state: state,
                                            context: context.luaValue)
            let resolved = await validator.resolve(table, schema: PresetSchema.root, at: [])
            for required in ["name", "description"] where resolved[required].isNil {
                validator.problem(at: [], "missing required field '\(required)' (a string)")
            }
            let preset = validator.problems.isEmpty ? Self.makePreset(resolved, path: path) : nil
            return Evaluation(preset: preset, problems: validator.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        } catch {
            return Evaluation(problems: [error])
        }
    }

    static func makePreset(_ table: LuaTable, path: String) -> ProviderPreset {
        func strings(_ value: LuaValue) -> [String] { value.tableValue?.array.compactMap(\.stringValue) ?? [] }
        let imap = table["imap"].tableValue ?? LuaTable()
        let limits = table["limits"].tableValue ?? LuaTable()
        let folders = table["folders"].tableValue ?? LuaTable()
        var specialUse: [String: String] = [:]
        for (key, value) in folders["special_use"].tableValue?.entries ?? [:] {
            if let key = key.stringValue, let value = value.stringValue { specialUse[key] = value }
        }
        let dns = table["dns"].tableValue.map { dns in
            ProviderPreset.DNS(mx: strings(dns["mx"]), spfInclude: dns["spf_include"].stringValue,
                               dkimSelector: dns["dkim_selector"].stringValue, dmarc: dns["dmarc"].stringValue)
        }
        return ProviderPreset(
            name: table["name"].stringValue ?? "",
            description: table["description"].stringValue ?? "",
            imap: ProviderPreset.IMAP(
                host: imap["host"].stringValue, port: imap["port"].integerValue.map { Int($0) },
                tls: imap["tls"].stringValue, auth: imap["auth"].isNil ? nil : strings(imap["auth"]),
                adminSeparator: imap["admin_separator"].stringValue),
            limits: ProviderPreset.Limits(
                maxConnections: limits["max_connections"].integerValue.map { Int($0) },
                bytesPerDay: limits["bytes_per_day"].integerValue,
                messagesPerSecond: limits["messages_per_second"].doubleValue,
                maxMessageSize: limits["max_message_size"].integerValue),
            folders: ProviderPreset.Folders(specialUse: specialUse, skip: strings(folders["skip"])),
            quirks: strings(table["quirks"]), dns: dns, source: path, references: strings(table["references"]))
    }
}

extension ScriptError {
    /// The line number of `location` (`file:line`), if any.
    var line: Int? { location?.split(separator: ":").last.flatMap { Int($0) } }
}
