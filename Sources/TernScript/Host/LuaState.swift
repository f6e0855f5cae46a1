import CLua
import Foundation
import Synchronization
import TernCore

/// What a host function hands back to the C trampoline.
enum HostResult {
    /// This many values were pushed as results.
    case values(Int32)
    /// Raise this message as a Lua error (C prefixes the calling script's file:line).
    case error(String)
    /// Suspend the calling script, run this off the Lua stack, and return its values to it.
    case async(@Sendable () async -> [LuaValue])
}

/// A host function: reads its arguments from the stack (1…nargs) and pushes results. It must
/// never call anything that raises a Lua error (no metamethods, no `lua_error`): it returns
/// `.error` instead and the trampoline raises it from C.
typealias HostFunction = (LuaStack, Int32) -> HostResult

private let stateIDs = Atomic<UInt64>(1)

/// One Lua 5.4 state with Tern's sandbox, limits and host API. Not thread-safe: use it from
/// one isolation domain (an actor, or one task) at a time. Lua errors never cross Swift frames:
/// Lua runs only inside `lua_resume`/`lua_pcall`, host functions report failures to a C
/// trampoline (`Sources/CLua/shim.h`) which raises them.
final class LuaState {
    let pointer: OpaquePointer
    let id: UInt64
    let limits: LuaLimits
    private let info: UnsafeMutablePointer<tern_state_info>
    private var functions: [(name: String, body: HostFunction)] = []
    private var idleThreads: [(thread: OpaquePointer, ref: Int32)] = []
    /// Threads currently driven by `invoke`: the only ones allowed to yield for async work.
    private var drivenThreads: Set<OpaquePointer> = []
    private var pendingAsync: (@Sendable () async -> [LuaValue])?
    private var newEnvRef: Int32 = 0
    private var apiTableRef: Int32 = 0
    /// Lua truncates chunk names to 60 bytes in messages; long paths get a short alias that
    /// `popError` maps back.
    private(set) var chunkAliases: [String: String] = [:]
    /// Set by `tern.fatal`: a hook asked to stop the run (kept even if the script catches it).
    var fatalRequest: String?
    /// Extra state host API families keep per Lua state.
    var context: ScriptOptions

    init(limits: LuaLimits = .default, context: ScriptOptions) throws(ScriptError) {
        self.limits = limits
        self.context = context
        id = stateIDs.add(1, ordering: .relaxed).newValue
        info = .allocate(capacity: 1)
        info.initialize(to: tern_state_info())
        info.pointee.limit = limits.memoryBytes
        info.pointee.hook_step = 1000
        guard let state = tern_newstate(info) else {
            info.deallocate()
            throw ScriptError(location: nil, message: "cannot create a Lua state (out of memory)")
        }
        pointer = state
        info.pointee.host = Unmanaged.passUnretained(self).toOpaque()
        info.pointee.dispatch = { thread, functionID, host in
            guard let thread, let host else { return TERN_HOST_ERROR }
            let state = Unmanaged<LuaState>.fromOpaque(host).takeUnretainedValue()
            return state.dispatch(thread, Int(functionID))
        }
        guard tern_open_safe_libs(pointer) == LUA_OK else {
            lua_close(pointer)
            info.deallocate()
            throw ScriptError(location: nil, message: "cannot open the Lua libraries (out of memory)")
        }
        try installAPI()
    }

    deinit {
        lua_close(pointer)
        info.deallocate()
    }

    var main: LuaStack { LuaStack(pointer, state: self) }

    /// Bytes the state holds now, and the most it ever held.
    var memoryInUse: Int { info.pointee.used }
    var peakMemory: Int { info.pointee.peak }

    // MARK: - Host functions

    /// Registers a host function and pushes it (as a Lua closure) on `stack`.
    func pushHostFunction(_ name: String, on stack: LuaStack, _ body: @escaping HostFunction) {
        functions.append((name, body))
        tern_push_host_function(stack.pointer, Int32(functions.count - 1))
    }

    fileprivate func dispatch(_ thread: OpaquePointer, _ functionID: Int) -> Int32 {
        let stack = LuaStack(thread, state: self)
        let function = functions[functionID]
        switch function.body(stack, lua_gettop(thread)) {
        case .values(let count):
            return count
        case .error(let message):
            stack.push(message)
            return TERN_HOST_ERROR
        case .async(let work):
            guard drivenThreads.contains(thread), lua_isyieldable(thread) != 0 else {
                stack.push("\(function.name) can only be called directly from a rule, filter or hook " +
                           "(not inside a coroutine, a metamethod or a sort function)")
                return TERN_HOST_ERROR
            }
            pendingAsync = work
            return TERN_HOST_YIELD
        }
    }

    // MARK: - Environments and loading

    private func installAPI() throws(ScriptError) {
        let stack = main
        lua_createtable(pointer, 0, 8)
        LuaHostAPI.install(on: stack, state: self)
        apiTableRef = tern_ref(pointer)
        // The prelude: trusted, run once with the real globals; returns newenv(declared).
        let source = Array(Sandbox.prelude.utf8)
        let status = source.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { tern_load_text(pointer, $0.baseAddress, $0.count, "=prelude") }
        }
        guard status == LUA_OK else { throw popError(stack, thread: nil) }
        tern_getregistry_ref(pointer, apiTableRef)
        pushHostFunction("print", on: stack) { stack, nargs in
            stack.state.context.log(.info, stack.string(at: 1) ?? "", location: stack.callerLocation(level: 2))
            return .values(0)
        }
        pushHostFunction("require", on: stack) { stack, _ in
            guard let name = stack.string(at: 1) else { return .error("require: the module name must be a string") }
            switch stack.state.context.findModule(name) {
            case .success(let found):
                stack.push(found.source)
                stack.push("@" + found.displayName)
                return .values(2)
            case .failure(let error):
                stack.pushNil()
                stack.push(error.message)
                return .values(2)
            }
        }
        guard tern_pcall_guarded(pointer, 3, 1) == LUA_OK else { throw popError(stack, thread: nil) }
        newEnvRef = tern_ref(pointer)
    }

    /// Pushes a fresh sandboxed environment in which `declared` globals may be assigned.
    func pushNewEnvironment(on stack: LuaStack, declared: [String]) throws(ScriptError) {
        tern_getregistry_ref(stack.pointer, newEnvRef)
        stack.push(.array(declared.map { .string($0) }))
        guard tern_pcall_guarded(stack.pointer, 1, 1) == LUA_OK else { throw popError(stack, thread: nil) }
    }

    /// Pushes `source` compiled as a text chunk whose `_ENV` is the table at `envIndex`.
    /// `chunkName` appears in messages as `chunkName:line:`.
    func pushChunk(_ source: [UInt8], chunkName: String, env envIndex: Int32, on stack: LuaStack) throws(ScriptError) {
        let env = lua_absindex(stack.pointer, envIndex)
        var alias = chunkName
        if chunkName.utf8.count > 50 {
            alias = "#\(chunkAliases.count + 1):" + String(chunkName.suffix(30))
            chunkAliases[alias] = chunkName
        }
        let status = source.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) {
                tern_load_text(stack.pointer, $0.baseAddress, $0.count, "@" + alias)
            }
        }
        guard status == LUA_OK else { throw popError(stack, thread: nil) }
        lua_pushvalue(stack.pointer, env)
        _ = lua_setupvalue(stack.pointer, -2, 1)
    }

    /// Keeps the value on top of `stack` in the registry; pops it.
    func reference(from stack: LuaStack) -> LuaFunctionRef {
        LuaFunctionRef(stateID: id, reference: tern_ref(stack.pointer))
    }

    func release(_ reference: LuaFunctionRef) {
        guard reference.stateID == id else { return }
        tern_unref(pointer, reference.reference)
    }

    // MARK: - Calling Lua

    /// Runs one budgeted call on a coroutine: `push` pushes the function and its arguments
    /// (returning the argument count), `read` converts the results. Async host functions
    /// (`tern.http`, `tern.dns`) suspend the coroutine while their work runs.
    func invoke<T>(
        isolation: isolated (any Actor)? = #isolation,
        push: (LuaStack) throws(ScriptError) -> Int32,
        read: (LuaStack, Int32) throws(ScriptError) -> T
    ) async throws(ScriptError) -> T {
        let (thread, ref) = takeThread()
        let stack = LuaStack(thread, state: self)
        drivenThreads.insert(thread)
        defer { drivenThreads.remove(thread) }
        var arguments: Int32
        do {
            arguments = try push(stack)
        } catch {
            lua_settop(thread, 0)
            idleThreads.append((thread, ref))
            throw error
        }
        tern_arm_budget(thread, limits.instructionsPerCall)
        while true {
            var results: Int32 = 0
            let status = tern_resume(thread, pointer, arguments, &results)
            switch status {
            case LUA_OK:
                let value: T
                do {
                    value = try read(stack, results)
                } catch {
                    lua_settop(thread, 0)
                    idleThreads.append((thread, ref))
                    throw error
                }
                lua_settop(thread, 0)
                idleThreads.append((thread, ref))
                return value
            case LUA_YIELD:
                lua_settop(thread, 0)
                guard let work = pendingAsync else {
                    tern_unref(pointer, ref)
                    throw ScriptError(location: nil, message: "coroutine.yield called outside a coroutine")
                }
                pendingAsync = nil
                let saved = (info.pointee.budget, info.pointee.budget_total, info.pointee.tripped)
                let values = await work()
                (info.pointee.budget, info.pointee.budget_total, info.pointee.tripped) = saved
                for value in values { stack.push(value) }
                arguments = Int32(values.count)
            default:
                let error = popError(stack, thread: thread)
                tern_unref(pointer, ref)
                throw error
            }
        }
    }

    private func takeThread() -> (OpaquePointer, Int32) {
        if let idle = idleThreads.popLast() { return idle }
        let thread = lua_newthread(pointer)!
        return (thread, tern_ref(pointer))
    }

    /// Turns the error value on top of `stack` into a `ScriptError` (with a traceback of
    /// `thread` when given) and pops it.
    func popError(_ stack: LuaStack, thread: OpaquePointer?) -> ScriptError {
        let text: String
        switch lua_type(stack.pointer, -1) {
        case LUA_TSTRING: text = stack.string(at: -1) ?? ""
        case LUA_TNIL: text = "error(nil) raised"
        default: text = "error object is a \(String(cString: lua_typename(stack.pointer, lua_type(stack.pointer, -1))))"
        }
        lua_settop(stack.pointer, -2)
        var error = ScriptError(parsing: text)
        if error.message == "not enough memory" {
            error.message = "not enough memory (the script reached its memory limit of \(limits.memoryBytes >> 20) MiB)"
        }
        if error.location == nil, let thread {
            // Memory errors carry no position: take the innermost Lua frame's.
            var level: Int32 = 0
            var record = lua_Debug()
            while lua_getstack(thread, level, &record) != 0 {
                if lua_getinfo(thread, "Sl", &record) != 0, record.currentline > 0 {
                    let source = withUnsafeBytes(of: record.short_src) { raw in
                        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    error.location = "\(source):\(record.currentline)"
                    break
                }
                level += 1
            }
        }
        if let location = error.location, let colon = location.lastIndex(of: ":"),
           let full = chunkAliases[String(location[..<colon])] {
            error.location = full + location[colon...]
        }
        if let thread {
            tern_traceback(pointer, thread, nil, 0)
            let traceback = main.string(at: -1)
            lua_settop(pointer, -2)
            if let traceback, traceback != "stack traceback:" { error.traceback = traceback }
        }
        return error
    }
}

extension ScriptError {
    /// Splits Lua's `file:line: message` form.
    init(parsing text: String) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            // Find ":<digits>: " after a non-empty file part.
            if scalars[index] == ":", index > 0 {
                var end = index + 1
                while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
                if end > index + 1, end + 1 < scalars.count, scalars[end] == ":", scalars[end + 1] == " " {
                    let location = String(String.UnicodeScalarView(scalars[..<end]))
                    if !location.contains("\n") {
                        self.init(location: location, message: String(String.UnicodeScalarView(scalars[(end + 2)...])))
                        return
                    }
                }
            }
            if scalars[index] == "\n" { break }
            index += 1
        }
        self.init(location: nil, message: text)
    }
}
