/// A Lua value copied out of (or into) a state: the bridge between Swift and Lua.
///
/// Strings are byte strings, as in Lua (a header may hold any bytes); `.string(_:)` with a
/// Swift `String` stores its UTF-8. Integers and floats stay distinct (Lua 5.4 subtypes).
/// Tables are copied by value (cycles refused, depth capped by `LuaLimits.maxDepth`); a Lua
/// function is a reference that is only valid in the state it came from.
public enum LuaValue: Sendable, Hashable {
    case nilValue
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case table(LuaTable)
    case function(LuaFunctionRef)
    /// `tern.json.null`: JSON's null, which a Lua table cannot otherwise hold.
    case jsonNull

    public static func string(_ text: String) -> LuaValue { .string(Array(text.utf8)) }

    /// A sequence `{v1, v2, ...}`.
    public static func array(_ values: [LuaValue]) -> LuaValue { .table(LuaTable(array: values)) }

    /// A record `{k = v, ...}`.
    public static func record(_ fields: [String: LuaValue]) -> LuaValue { .table(LuaTable(fields)) }

    /// The Lua type name (`type(v)` in Lua).
    public var typeName: String {
        switch self {
        case .nilValue: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .table: "table"
        case .function: "function"
        case .jsonNull: "userdata"
        }
    }

    public var isNil: Bool { if case .nilValue = self { true } else { false } }

    /// The text of a string value (invalid UTF-8 repaired), nil for other types.
    public var stringValue: String? {
        if case .string(let bytes) = self { String(decoding: bytes, as: UTF8.self) } else { nil }
    }

    /// An integer, or a float with an exact integer value.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .number(let value): Int64(exactly: value)
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    public var boolValue: Bool? { if case .boolean(let value) = self { value } else { nil } }
    public var tableValue: LuaTable? { if case .table(let value) = self { value } else { nil } }

    /// Lua truthiness: everything but nil and false.
    public var isTruthy: Bool {
        switch self {
        case .nilValue, .boolean(false): false
        default: true
        }
    }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

/// A Lua table's contents. Keys are never nil (Lua forbids it).
public struct LuaTable: Sendable, Hashable {
    public var entries: [LuaValue: LuaValue]

    public init(_ entries: [LuaValue: LuaValue] = [:]) { self.entries = entries }

    public init(_ fields: [String: LuaValue]) {
        entries = Dictionary(uniqueKeysWithValues: fields.map { (LuaValue.string($0.key), $0.value) })
    }

    public init(array: [LuaValue]) {
        entries = [:]
        for (index, value) in array.enumerated() where !value.isNil {
            entries[.integer(Int64(index + 1))] = value
        }
    }

    public subscript(key: String) -> LuaValue {
        get { entries[.string(key)] ?? .nilValue }
        set { entries[.string(key)] = newValue.isNil ? nil : newValue }
    }

    /// The sequence `t[1] … t[n]` up to the first nil.
    public var array: [LuaValue] {
        var result: [LuaValue] = []
        var index: Int64 = 1
        while let value = entries[.integer(index)] {
            result.append(value)
            index += 1
        }
        return result
    }

    /// Whether the keys are exactly 1…n (n > 0): what JSON calls an array.
    public var isSequence: Bool {
        !entries.isEmpty && array.count == entries.count
    }

    /// The string keys, sorted (for stable output).
    public var stringKeys: [String] {
        entries.keys.compactMap(\.stringValue).sorted()
    }
}

/// A Lua function held in a state's registry. Valid only with the `LuaState` that made it;
/// the state releases it when it closes.
public struct LuaFunctionRef: Sendable, Hashable {
    let stateID: UInt64
    let reference: Int32
}
