import TernCore

/// Walks a preset table against `PresetSchema`, calling function-valued fields, and records
/// every problem with its `file:line`.
struct PresetValidator {
    let path: String
    let lines: SourceLines
    let state: LuaState
    let context: LuaValue
    var problems: [ScriptError] = []

    init(path: String, lines: SourceLines, state: LuaState, context: LuaValue) {
        self.path = path
        self.lines = lines
        self.state = state
        self.context = context
    }

    mutating func problem(at fieldPath: [String], _ message: String) {
        let line = lines.line(of: fieldPath) ?? 1
        problems.append(ScriptError(location: "\(path):\(line)", message: message))
    }

    static func dotted(_ path: [String]) -> String { path.joined(separator: ".") }

    /// Resolves functions and validates `table` against `schema`; returns the cleaned table.
    mutating func resolve(_ table: LuaTable, schema: [String: PresetSchema.FieldType], at parent: [String]) async
        -> LuaTable {
        var output = LuaTable()
        for (key, rawValue) in table.entries {
            guard let name = key.stringValue else {
                problem(at: parent, "'\(Self.dotted(parent))' has a non-string key; preset fields are names")
                continue
            }
            let fieldPath = parent + [name]
            guard let type = schema[name] else {
                let known = schema.keys.sorted().joined(separator: ", ")
                problem(at: fieldPath, "unknown field '\(Self.dotted(fieldPath))' (known here: \(known))")
                continue
            }
            var value = rawValue
            if case .function = rawValue, case .functions = type {
                problem(at: fieldPath, "'\(Self.dotted(fieldPath))' must be \(PresetSchema.describe(type)), "
                    + "not a function")
                continue
            }
            if case .function(let function) = rawValue {
                do {
                    let results = try await state.call(function, [context])
                    value = results.first ?? .nilValue
                } catch {
                    problems.append(error.location == nil
                        ? ScriptError(location: "\(path):\(lines.line(of: fieldPath) ?? 1)",
                                      message: "'\(Self.dotted(fieldPath))': \(error.message)")
                        : error)
                    continue
                }
                if value.isNil { continue }
            }
            if let checked = await check(value, type, at: fieldPath) { output.entries[.string(name)] = checked }
        }
        return output
    }

    private mutating func check(_ value: LuaValue, _ type: PresetSchema.FieldType, at fieldPath: [String]) async
        -> LuaValue? {
        let expected = PresetSchema.describe(type)
        func wrong() -> String {
            let shown = value.stringValue.map { " \"\($0.prefix(40))\"" } ?? ""
            return "'\(Self.dotted(fieldPath))' must be \(expected), not a \(value.typeName)\(shown)"
        }
        switch type {
        case .string:
            guard value.stringValue != nil else { problem(at: fieldPath, wrong()); return nil }
            return value
        case .integer(let range):
            guard let number = value.integerValue else { problem(at: fieldPath, wrong()); return nil }
            guard range.contains(number) else {
                problem(at: fieldPath, "'\(Self.dotted(fieldPath))' must be \(expected) (got \(number))")
                return nil
            }
            return .integer(number)
        case .number:
            guard let number = value.doubleValue, number > 0 else { problem(at: fieldPath, wrong() + " (> 0)"); return nil }
            return .number(number)
        case .oneOf(let options):
            guard let text = value.stringValue, options.contains(text) else { problem(at: fieldPath, wrong()); return nil }
            return value
        case .stringList, .listOf:
            guard let table = value.tableValue, table.isSequence || table.entries.isEmpty,
                  table.array.allSatisfy({ $0.stringValue != nil }) else {
                problem(at: fieldPath, wrong())
                return nil
            }
            if case .listOf(let options) = type,
               let bad = table.array.compactMap(\.stringValue).first(where: { !options.contains($0) }) {
                problem(at: fieldPath, "'\(Self.dotted(fieldPath))' has \"\(bad)\"; must be \(expected)")
                return nil
            }
            return value
        case .stringMap:
            guard let table = value.tableValue,
                  table.entries.allSatisfy({ $0.key.stringValue != nil && $0.value.stringValue != nil }) else {
                problem(at: fieldPath, wrong())
                return nil
            }
            if fieldPath.last == "special_use",
               let bad = table.entries.keys.compactMap(\.stringValue).first(where: { !PresetSchema.specialUses.contains($0) }) {
                problem(at: fieldPath, "'\(Self.dotted(fieldPath))' has unknown special use \"\(bad)\" (known: " +
                        PresetSchema.specialUses.joined(separator: " ") + ")")
                return nil
            }
            return value
        case .table(let fields):
            guard let table = value.tableValue else { problem(at: fieldPath, wrong()); return nil }
            return .table(await resolve(table, schema: fields, at: fieldPath))
        case .functions(let names):
            guard let table = value.tableValue else { problem(at: fieldPath, wrong()); return nil }
            var valid = true
            for (key, item) in table.entries {
                guard let name = key.stringValue, names.contains(name) else {
                    let shown = fieldPath + [key.stringValue ?? key.typeName]
                    problem(at: shown, "unknown function '\(Self.dotted(shown))' (known here: "
                        + names.joined(separator: ", ") + ")")
                    valid = false
                    continue
                }
                guard case .function = item else {
                    problem(at: fieldPath + [name], "'\(Self.dotted(fieldPath + [name]))' must be a function, "
                        + "not a \(item.typeName)")
                    valid = false
                    continue
                }
            }
            return valid ? value : nil
        }
    }
}
