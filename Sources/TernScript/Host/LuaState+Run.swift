import CLua
import TernCore

extension LuaState {
    /// A file run in its own sandboxed environment: the environment (kept in the registry, so
    /// functions it defines can be looked up) and the values the file returned.
    struct Chunk {
        var environment: LuaFunctionRef
        var results: [LuaValue]
    }

    /// Compiles and runs `source` (text only) in a fresh environment in which the `declared`
    /// globals may be assigned; the top level runs under the per-call budget.
    func run(_ source: [UInt8], chunkName: String, declared: [String] = [],
             isolation: isolated (any Actor)? = #isolation) async throws(ScriptError) -> Chunk {
        guard source.count <= limits.maxSourceBytes else {
            throw ScriptError(location: chunkName, message: "file is larger than \(limits.maxSourceBytes) bytes")
        }
        try pushNewEnvironment(on: main, declared: declared)
        let environment = reference(from: main)
        let results = try await invoke { stack throws(ScriptError) in
            stack.push(.function(environment))
            try self.pushChunk(source, chunkName: chunkName, env: -1, on: stack)
            lua_rotate(stack.pointer, -2, 1)
            stack.pop()
            return 0
        } read: { stack, count throws(ScriptError) in
            try stack.results(count, what: "\(chunkName): returned value")
        }
        return Chunk(environment: environment, results: results)
    }

    /// `env[name]` if it is a function (a registry reference), nil when absent; an error when
    /// the name holds something else.
    func function(named name: String, in environment: LuaFunctionRef, chunkName: String) throws(ScriptError)
        -> LuaFunctionRef? {
        let stack = main
        stack.push(.function(environment))
        defer { stack.pop() }
        switch stack.rawField(name, of: -1) {
        case LUA_TNIL:
            stack.pop()
            return nil
        case LUA_TFUNCTION:
            return reference(from: stack)
        default:
            let kind = stack.typeName(at: -1)
            stack.pop()
            throw ScriptError(location: chunkName, message: "'\(name)' must be a function, not a \(kind)")
        }
    }

    /// Calls a Lua function with `arguments`, returning its results (functions included).
    func call(_ function: LuaFunctionRef, _ arguments: [LuaValue] = [],
              isolation: isolated (any Actor)? = #isolation) async throws(ScriptError) -> [LuaValue] {
        try await invoke { stack in
            stack.push(.function(function))
            for argument in arguments { stack.push(argument) }
            return Int32(arguments.count)
        } read: { stack, count throws(ScriptError) in
            try stack.results(count, what: "result")
        }
    }
}

extension LuaStack {
    /// The `count` values at the bottom of the stack (a call's results), functions as references.
    func results(_ count: Int32, what: String) throws(ScriptError) -> [LuaValue] {
        var values: [LuaValue] = []
        var index: Int32 = 1
        while index <= count {
            values.append(try checkedValue(at: index, functions: true, what: what))
            index += 1
        }
        return values
    }

    /// `value(at:)` with the failure as a `ScriptError`.
    func checkedValue(at index: Int32, functions: Bool = false, what: String) throws(ScriptError) -> LuaValue {
        do {
            return try value(at: index, functions: functions)
        } catch {
            throw ScriptError(location: nil, message: "\(what): \(error.message)")
        }
    }
}
