import CLua

/// Why a Lua value could not be copied into Swift.
struct BridgeError: Error {
    var message: String
}

/// The stack of one Lua thread, with Tern's conversions. Every method here is safe to call from
/// Swift: none raises a Lua error (no metamethods are invoked; keys are checked before `rawset`;
/// allocation failures cannot happen while Swift holds the state, see `tern_resume`).
struct LuaStack {
    let pointer: OpaquePointer
    unowned let state: LuaState

    init(_ pointer: OpaquePointer, state: LuaState) {
        self.pointer = pointer
        self.state = state
    }

    var top: Int32 { lua_gettop(pointer) }
    func pop(_ count: Int32 = 1) { lua_settop(pointer, -count - 1) }
    func type(at index: Int32) -> Int32 { lua_type(pointer, index) }
    func typeName(at index: Int32) -> String { String(cString: lua_typename(pointer, lua_type(pointer, index))) }

    // MARK: - Push

    func push(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(pointer, $0.baseAddress, $0.count) }
        }
    }

    func push(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(pointer, $0.baseAddress, $0.count) }
        }
    }

    func push(_ value: Int64) { lua_pushinteger(pointer, value) }
    func push(_ value: Bool) { lua_pushboolean(pointer, value ? 1 : 0) }
    func pushNil() { lua_pushnil(pointer) }

    /// Pushes a new table with room for `array` and `fields` entries.
    func pushTable(array: Int = 0, fields: Int = 0) { lua_createtable(pointer, Int32(array), Int32(fields)) }

    /// `t[name] = top` for the table just below the top; pops the value.
    func setField(_ name: String, table: Int32 = -2) {
        lua_setfield(pointer, table, name)
    }

    /// Sets `t[name] = text` on the table at the top.
    func setField(_ name: String, _ text: String?) {
        guard let text else { return }
        push(text)
        lua_setfield(pointer, -2, name)
    }

    func setField(_ name: String, _ value: Int64) {
        lua_pushinteger(pointer, value)
        lua_setfield(pointer, -2, name)
    }

    /// Sets `t[i] = text` for i = 1…n on the table at the top.
    func setArray(_ items: [String]) {
        for (index, item) in items.enumerated() {
            push(item)
            lua_rawseti(pointer, -2, lua_Integer(index + 1))
        }
    }

    func push(_ value: LuaValue) {
        lua_checkstack(pointer, 4)
        switch value {
        case .nilValue: lua_pushnil(pointer)
        case .boolean(let flag): lua_pushboolean(pointer, flag ? 1 : 0)
        case .integer(let number): lua_pushinteger(pointer, number)
        case .number(let number): lua_pushnumber(pointer, number)
        case .string(let bytes): push(bytes: bytes)
        case .jsonNull: lua_pushlightuserdata(pointer, nil)
        case .function(let reference):
            if reference.stateID == state.id {
                tern_getregistry_ref(pointer, reference.reference)
            } else {
                lua_pushnil(pointer)
            }
        case .table(let table):
            let count = table.array.count
            lua_createtable(pointer, Int32(count), Int32(max(0, table.entries.count - count)))
            for (key, item) in table.entries {
                switch key {
                case .nilValue: continue
                case .number(let number) where number.isNaN: continue
                default: break
                }
                push(key)
                push(item)
                lua_rawset(pointer, -3)
            }
        }
    }

    // MARK: - Read

    /// The bytes of a string (or number, converted) at `index`; nil for other types.
    func bytes(at index: Int32) -> [UInt8]? {
        let kind = lua_type(pointer, index)
        guard kind == LUA_TSTRING || kind == LUA_TNUMBER else { return nil }
        if kind == LUA_TNUMBER {
            // Convert a copy so a `lua_next` key is never changed in place.
            lua_pushvalue(pointer, index)
            defer { lua_settop(pointer, -2) }
            return rawBytes(at: -1)
        }
        return rawBytes(at: index)
    }

    private func rawBytes(at index: Int32) -> [UInt8] {
        var length = 0
        guard let data = lua_tolstring(pointer, index, &length) else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: length))
    }

    func string(at index: Int32) -> String? {
        bytes(at: index).map { String(decoding: $0, as: UTF8.self) }
    }

    func integer(at index: Int32) -> Int64? {
        var isNumber: Int32 = 0
        let value = lua_tointegerx(pointer, index, &isNumber)
        return isNumber != 0 && lua_type(pointer, index) == LUA_TNUMBER ? value : nil
    }

    func number(at index: Int32) -> Double? {
        lua_type(pointer, index) == LUA_TNUMBER ? lua_tonumberx(pointer, index, nil) : nil
    }

    func isTable(at index: Int32) -> Bool { lua_type(pointer, index) == LUA_TTABLE }

    /// Pushes `t[name]` (raw, no metamethods) for the table at `index`; returns its type.
    @discardableResult
    func rawField(_ name: String, of index: Int32) -> Int32 {
        let table = lua_absindex(pointer, index)
        push(name)
        return lua_rawget(pointer, table)
    }

    /// Copies the value at `index` into Swift. Functions become registry references when
    /// `functions` is true, and are refused otherwise.
    func value(at index: Int32, functions: Bool = false) throws(BridgeError) -> LuaValue {
        var seen: Set<UnsafeRawPointer> = []
        return try value(at: lua_absindex(pointer, index), depth: 0, functions: functions, seen: &seen)
    }

    private func value(at index: Int32, depth: Int, functions: Bool,
                       seen: inout Set<UnsafeRawPointer>) throws(BridgeError) -> LuaValue {
        switch lua_type(pointer, index) {
        case LUA_TNIL, LUA_TNONE:
            return .nilValue
        case LUA_TBOOLEAN:
            return .boolean(lua_toboolean(pointer, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(pointer, index) != 0 { return .integer(lua_tointegerx(pointer, index, nil)) }
            return .number(lua_tonumberx(pointer, index, nil))
        case LUA_TSTRING:
            return .string(rawBytes(at: index))
        case LUA_TLIGHTUSERDATA where lua_touserdata(pointer, index) == nil:
            return .jsonNull
        case LUA_TFUNCTION where functions:
            lua_pushvalue(pointer, index)
            return .function(state.reference(from: self))
        case LUA_TTABLE:
            guard depth < state.limits.maxDepth else {
                throw BridgeError(message: "table nested deeper than \(state.limits.maxDepth) levels")
            }
            guard let identity = lua_topointer(pointer, index), seen.insert(identity).inserted else {
                throw BridgeError(message: "table contains a cycle")
            }
            defer { seen.remove(identity) }
            guard lua_checkstack(pointer, 4) != 0 else { throw BridgeError(message: "Lua stack overflow") }
            var entries: [LuaValue: LuaValue] = [:]
            lua_pushnil(pointer)
            while lua_next(pointer, index) != 0 {
                let key: LuaValue
                let item: LuaValue
                do {
                    key = try value(at: lua_absindex(pointer, -2), depth: depth + 1, functions: false, seen: &seen)
                    item = try value(at: lua_absindex(pointer, -1), depth: depth + 1, functions: functions, seen: &seen)
                } catch {
                    lua_settop(pointer, -3)
                    throw error
                }
                entries[key] = item
                lua_settop(pointer, -2)
            }
            return .table(LuaTable(entries))
        default:
            throw BridgeError(message: "a \(typeName(at: index)) value cannot be passed out of Lua")
        }
    }

    /// `file:line` of the Lua function that called the running host function, if any.
    func callerLocation(level: Int32 = 1) -> String? {
        var record = lua_Debug()
        guard lua_getstack(pointer, level, &record) != 0, lua_getinfo(pointer, "Sl", &record) != 0,
              record.currentline > 0 else { return nil }
        let source = withUnsafeBytes(of: record.short_src) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return "\(state.chunkAliases[source] ?? source):\(record.currentline)"
    }
}
