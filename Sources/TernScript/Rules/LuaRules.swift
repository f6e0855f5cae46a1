import CLua
import Foundation
import TernCore

/// `map_folder` and `filter_message` from the operator's scripts, in one Lua state owned by
/// one mailbox worker (make one per worker with `ScriptSet.makeRules`). Several scripts apply
/// in order, like `ChainedRules`: the first folder decision other than "keep" wins; a message
/// is copied only if every filter copies it, and flag changes add up.
///
/// Errors carry the script's `file:line`; a failing filter is reported by the engine as a
/// failed message, never as a silent skip.
public actor LuaRules: Rules {
    public nonisolated let mapsFolders: Bool
    public nonisolated let filtersMessages: Bool
    public nonisolated let mapsLabels: Bool

    private let state: LuaState
    private let files: [ScriptSet.File]
    private var mappers: [(function: LuaFunctionRef, path: String)] = []
    private var filters: [(function: LuaFunctionRef, path: String)] = []
    private var labelMappers: [(function: LuaFunctionRef, path: String)] = []

    init(files: [ScriptSet.File], options: ScriptOptions) throws(ScriptError) {
        self.files = files
        mapsFolders = files.contains { $0.mapsFolders }
        filtersMessages = files.contains { $0.filtersMessages }
        mapsLabels = files.contains { $0.mapsLabels }
        state = try LuaState(limits: options.limits, context: options)
    }

    func prepare() async throws(ScriptError) {
        for file in files {
            let chunk = try await state.run(file.source, chunkName: file.path, declared: Sandbox.scriptGlobals)
            if let map = try state.function(named: "map_folder", in: chunk.environment, chunkName: file.path) {
                mappers.append((map, file.path))
            }
            if let filter = try state.function(named: "filter_message", in: chunk.environment, chunkName: file.path) {
                filters.append((filter, file.path))
            }
            if let labels = try state.function(named: "map_labels", in: chunk.environment, chunkName: file.path) {
                labelMappers.append((labels, file.path))
            }
        }
    }

    public func mapFolder(_ folder: FolderInfo) async throws(ScriptError) -> FolderDecision {
        for mapper in mappers {
            let decision = try await state.invoke { stack in
                stack.push(.function(mapper.function))
                stack.pushTable(fields: 5)
                stack.setField("name", folder.name)
                stack.setField("raw", folder.raw)
                stack.setField("separator", folder.separator)
                stack.setField("special_use", folder.specialUse)
                stack.pushTable(array: folder.flags.count)
                stack.setArray(folder.flags)
                stack.setField("flags")
                return 1
            } read: { stack, count throws(ScriptError) in
                try Self.folderDecision(stack, count: count, path: mapper.path, folder: folder.name)
            }
            if decision != .keep { return decision }
        }
        return .keep
    }

    static func folderDecision(_ stack: LuaStack, count: Int32, path: String, folder: String) throws(ScriptError)
        -> FolderDecision {
        guard count > 0 else { return .keep }
        switch stack.type(at: 1) {
        case LUA_TNIL: return .keep
        case LUA_TBOOLEAN:
            if lua_toboolean(stack.pointer, 1) == 0 { return .skip }
            throw ScriptError(location: path, message: "map_folder('\(folder)') returned true; return a destination " +
                              "path, nil to keep the default, or false to skip")
        case LUA_TSTRING:
            let name = stack.string(at: 1) ?? ""
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            guard !name.isEmpty, !parts.contains(where: \.isEmpty) else {
                throw ScriptError(location: path, message: "map_folder('\(folder)') returned '\(name)'; a destination " +
                                  "path needs non-empty levels separated by single '/' (no leading or trailing '/')")
            }
            return .rename(name)
        default:
            throw ScriptError(location: path, message: "map_folder('\(folder)') returned a \(stack.typeName(at: 1)); " +
                              "expected a string, nil or false")
        }
    }

    public func mapLabels(_ labels: [String]) async throws(ScriptError) -> String? {
        for mapper in labelMappers {
            let choice = try await state.invoke { stack in
                stack.push(.function(mapper.function))
                stack.pushTable(array: labels.count)
                stack.setArray(labels)
                return 1
            } read: { stack, count throws(ScriptError) in
                try Self.labelChoice(stack, count: count, path: mapper.path, labels: labels)
            }
            if let choice { return choice }
        }
        return nil
    }

    /// `map_labels` returns one of the labels it was given, `\Archive`, or nil (the default order).
    static func labelChoice(_ stack: LuaStack, count: Int32, path: String, labels: [String]) throws(ScriptError)
        -> String? {
        guard count > 0 else { return nil }
        let shown = "{" + labels.map { "'\($0)'" }.joined(separator: ", ") + "}"
        switch stack.type(at: 1) {
        case LUA_TNIL: return nil
        case LUA_TSTRING:
            let label = stack.string(at: 1) ?? ""
            if label.caseInsensitiveCompare("\\Archive") == .orderedSame { return "\\Archive" }
            if let given = labels.first(where: { $0.caseInsensitiveCompare(label) == .orderedSame }) { return given }
            throw ScriptError(location: path, message: "map_labels(\(shown)) returned '\(label)', which is not one of "
                + "the message's labels; return one of them, \"\\\\Archive\" or nil")
        default:
            throw ScriptError(location: path, message: "map_labels(\(shown)) returned a \(stack.typeName(at: 1)); "
                + "expected one of the message's labels, \"\\\\Archive\" or nil")
        }
    }

    public func filterMessage(_ message: MessageSummary) async throws(ScriptError) -> FilterDecision {
        var add: [String] = []
        var remove: [String] = []
        for filter in filters {
            let decision = try await state.invoke { stack in
                stack.push(.function(filter.function))
                Self.pushMessage(message, on: stack)
                return 1
            } read: { stack, count throws(ScriptError) in
                try Self.filterDecision(stack, count: count, path: filter.path, uid: message.uid)
            }
            switch decision {
            case .skip: return .skip
            case .copy: continue
            case .copyAdjustingFlags(let more, let less):
                add += more
                remove += less
            }
        }
        return add.isEmpty && remove.isEmpty ? .copy : .copyAdjustingFlags(add: add, remove: remove)
    }

    static func pushMessage(_ message: MessageSummary, on stack: LuaStack) {
        stack.pushTable(fields: 7)
        stack.setField("folder", message.folder)
        stack.setField("uid", Int64(message.uid))
        stack.setField("size", message.size)
        if let date = message.internalDate { stack.setField("internal_date", Int64(date.timeIntervalSince1970)) }
        stack.pushTable(array: message.flags.count)
        stack.setArray(message.flags)
        stack.setField("flags")
        stack.pushTable(fields: 5)
        stack.setField("from", message.headers.from)
        stack.setField("to", message.headers.to)
        stack.setField("subject", message.headers.subject)
        stack.setField("date", message.headers.date)
        stack.setField("message_id", message.headers.messageID)
        stack.setField("headers")
    }

    static func filterDecision(_ stack: LuaStack, count: Int32, path: String, uid: UInt32) throws(ScriptError)
        -> FilterDecision {
        guard count > 0 else { return .copy }
        switch stack.type(at: 1) {
        case LUA_TNIL: return .copy
        case LUA_TBOOLEAN: return lua_toboolean(stack.pointer, 1) != 0 ? .copy : .skip
        case LUA_TTABLE:
            let value = try stack.checkedValue(at: 1, what: "\(path): filter_message result")
            guard let table = value.tableValue,
                  table.entries.keys.allSatisfy({ $0 == .string("add") || $0 == .string("remove") }) else {
                throw ScriptError(location: path, message: "filter_message (uid \(uid)) returned a table with fields " +
                                  "other than add and remove")
            }
            func flags(_ key: String) throws(ScriptError) -> [String] {
                let field = table[key]
                if field.isNil { return [] }
                guard let list = field.tableValue, list.isSequence || list.entries.isEmpty,
                      case let names = list.array.compactMap(\.stringValue), names.count == list.entries.count,
                      names.allSatisfy({ !$0.isEmpty && !$0.contains(where: { $0 == " " || $0 == "(" || $0 == ")" }) })
                else {
                    throw ScriptError(location: path, message: "filter_message (uid \(uid)): '\(key)' must be a list " +
                                      "of flag names such as \"\\\\Flagged\" or \"$Migrated\"")
                }
                return names
            }
            return .copyAdjustingFlags(add: try flags("add"), remove: try flags("remove"))
        default:
            throw ScriptError(location: path, message: "filter_message (uid \(uid)) returned a \(stack.typeName(at: 1)); " +
                              "expected true, false or {add=, remove=}")
        }
    }
}
