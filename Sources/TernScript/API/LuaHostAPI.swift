import TernCore
import CLua
import Foundation

/// Builds the `tern` table. Each family registers from its own file (`LuaHostAPI+*.swift`);
/// every function checks its arguments and reports misuse as an error at the caller's line.
enum LuaHostAPI {
    static let version = "0.1.0-dev"

    /// Fills the table on top of `stack`.
    static func install(on stack: LuaStack, state: LuaState) {
        stack.push(version)
        stack.setField("version")
        installLog(on: stack, state: state)
        installJSON(on: stack, state: state)
        installEnv(on: stack, state: state)
        installIMAP(on: stack, state: state)
        installBase64(on: stack, state: state)
        installHTTP(on: stack, state: state)
        installDNS(on: stack, state: state)
        state.pushHostFunction("tern.fatal", on: stack) { stack, _ in
            let message = stack.string(at: 1) ?? "a hook asked to stop the run"
            stack.state.fatalRequest = message
            return .error("fatal: " + message)
        }
        stack.setField("fatal")
    }

    /// Adds `name = function` to the table on top of `stack`.
    static func function(_ name: String, family: String, on stack: LuaStack, state: LuaState,
                         _ body: @escaping HostFunction) {
        state.pushHostFunction("tern.\(family).\(name)", on: stack, body)
        stack.setField(name)
    }

    /// A readable rendering of any argument (no metamethods are run).
    static func describe(_ stack: LuaStack, at index: Int32) -> String {
        switch stack.type(at: index) {
        case LUA_TSTRING, LUA_TNUMBER: stack.string(at: index) ?? ""
        case LUA_TBOOLEAN: lua_toboolean(stack.pointer, index) != 0 ? "true" : "false"
        case LUA_TNIL, LUA_TNONE: "nil"
        case LUA_TTABLE:
            (try? stack.value(at: index)).flatMap { try? JSONCodec.encodeString($0, maxDepth: 16) } ?? "table"
        default: stack.typeName(at: index)
        }
    }

    static func argumentError(_ function: String, _ position: Int, expected: String, _ stack: LuaStack) -> HostResult {
        .error("bad argument #\(position) to '\(function)' (\(expected) expected, got \(stack.typeName(at: Int32(position))))")
    }
}

// MARK: - tern.log

extension LuaHostAPI {
    static func installLog(on stack: LuaStack, state: LuaState) {
        stack.pushTable(fields: 3)
        for level in [ScriptLogLevel.info, .warn, .error] {
            function(level.rawValue, family: "log", on: stack, state: state) { stack, nargs in
                let message = (1...max(1, nargs)).map { describe(stack, at: $0) }.joined(separator: " ")
                stack.state.context.log(level, message, location: stack.callerLocation())
                return .values(0)
            }
        }
        stack.setField("log")
    }
}

// MARK: - tern.json

extension LuaHostAPI {
    static func installJSON(on stack: LuaStack, state: LuaState) {
        stack.pushTable(fields: 3)
        function("encode", family: "json", on: stack, state: state) { stack, _ in
            do {
                let value = try stack.value(at: 1)
                stack.push(bytes: try JSONCodec.encode(value, maxDepth: stack.state.limits.maxDepth))
                return .values(1)
            } catch let error as BridgeError {
                return .error("tern.json.encode: \(error.message)")
            } catch let error as JSONCodec.Failure {
                return .error("tern.json.encode: \(error.message)")
            } catch {
                return .error("tern.json.encode: \(error)")
            }
        }
        function("decode", family: "json", on: stack, state: state) { stack, _ in
            guard stack.type(at: 1) == LUA_TSTRING, let bytes = stack.bytes(at: 1) else {
                return argumentError("tern.json.decode", 1, expected: "string", stack)
            }
            do throws(JSONCodec.Failure) {
                stack.push(try JSONCodec.decode(bytes, maxDepth: stack.state.limits.maxDepth))
                return .values(1)
            } catch {
                return .error("tern.json.decode: \(error.message)")
            }
        }
        lua_pushlightuserdata(stack.pointer, nil)
        stack.setField("null")
        stack.setField("json")
    }
}

// MARK: - tern.env

extension LuaHostAPI {
    static func installEnv(on stack: LuaStack, state: LuaState) {
        state.pushHostFunction("tern.env", on: stack) { stack, _ in
            guard stack.type(at: 1) == LUA_TSTRING, let name = stack.string(at: 1) else {
                return argumentError("tern.env", 1, expected: "string", stack)
            }
            let options = stack.state.context
            if options.checkingOnly {
                stack.pushNil()
                return .values(1)
            }
            guard options.allowedEnvironment.contains(name) else {
                return .error("tern.env: variable '\(name)' is not allowed; the operator must pass --allow-env \(name)")
            }
            if let value = options.environment[name] { stack.push(value) } else { stack.pushNil() }
            return .values(1)
        }
        stack.setField("env")
    }
}

// MARK: - tern.base64

extension LuaHostAPI {
    static func installBase64(on stack: LuaStack, state: LuaState) {
        stack.pushTable(fields: 2)
        function("encode", family: "base64", on: stack, state: state) { stack, _ in
            guard stack.type(at: 1) == LUA_TSTRING, let bytes = stack.bytes(at: 1) else {
                return argumentError("tern.base64.encode", 1, expected: "string", stack)
            }
            stack.push(Data(bytes).base64EncodedString())
            return .values(1)
        }
        function("decode", family: "base64", on: stack, state: state) { stack, _ in
            guard stack.type(at: 1) == LUA_TSTRING, let text = stack.string(at: 1) else {
                return argumentError("tern.base64.decode", 1, expected: "string", stack)
            }
            guard let data = Data(base64Encoded: text) else {
                stack.pushNil()
                stack.push("not valid base64")
                return .values(2)
            }
            stack.push(bytes: Array(data))
            return .values(1)
        }
        stack.setField("base64")
    }
}

// MARK: - tern.imap

extension LuaHostAPI {
    static func installIMAP(on stack: LuaStack, state: LuaState) {
        stack.pushTable(fields: 2)
        function("utf7_encode", family: "imap", on: stack, state: state) { stack, _ in
            guard stack.type(at: 1) == LUA_TSTRING, let name = stack.string(at: 1) else {
                return argumentError("tern.imap.utf7_encode", 1, expected: "string", stack)
            }
            stack.push(ModifiedUTF7.encode(name))
            return .values(1)
        }
        function("utf7_decode", family: "imap", on: stack, state: state) { stack, _ in
            guard stack.type(at: 1) == LUA_TSTRING, let wire = stack.string(at: 1) else {
                return argumentError("tern.imap.utf7_decode", 1, expected: "string", stack)
            }
            do {
                stack.push(try ModifiedUTF7.decode(wire))
                return .values(1)
            } catch {
                stack.pushNil()
                stack.push("not valid modified UTF-7: \(error)")
                return .values(2)
            }
        }
        stack.setField("imap")
    }
}
