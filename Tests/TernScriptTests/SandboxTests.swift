import Foundation
import Testing
@testable import TernScript
import TernCore

@Suite struct SandboxTests {
    /// Each escape must fail (an error, or nil where the name is simply absent).
    static let escapes: [(String, String)] = [
        ("return io.open('/etc/passwd')", "undeclared global 'io'"),
        ("return os.execute('true')", "attempt to call a nil value (field 'execute')"),
        ("return os.getenv('HOME')", "attempt to call a nil value (field 'getenv')"),
        ("return os.remove('/tmp/x')", "attempt to call a nil value (field 'remove')"),
        ("return os.exit(1)", "attempt to call a nil value (field 'exit')"),
        ("return dofile('/etc/passwd')", "undeclared global 'dofile'"),
        ("return loadfile('/etc/passwd')", "undeclared global 'loadfile'"),
        ("return debug.getinfo(1)", "undeclared global 'debug'"),
        ("return package.loadlib('x', 'y')", "undeclared global 'package'"),
        ("local m = require('../../etc/passwd') return m", "must be words"),
        ("local m = require('nosuchmodule') return m", "not found"),
        ("local f = load(string.char(27) .. 'Lua', 'x', 'b') return f", "only text chunks"),
        ("local f = assert(load(string.char(27) .. 'LuaT')) return f()", "attempt to load a binary chunk"),
        ("return string.dump(print)", "attempt to call a nil value (field 'dump')"),
        ("local n = collectgarbage('stop') return n", "is not allowed"),
        ("helper = 1", "assignment to undeclared global 'helper'"),
        ("return undefined_name", "undeclared global 'undefined_name'"),
        ("getmetatable('').__index.upper = nil", "attempt to index a boolean value"),
        ("setmetatable(_G, nil)", "cannot change a protected metatable"),
    ]

    @Test(arguments: escapes)
    func escapeIsRefused(_ source: String, _ expected: String) async {
        let error = await LuaTest.failure(source, name: "escape.lua")
        #expect(error != nil, "\(source) should fail")
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "no error")")
        #expect(error?.location == "escape.lua:1", "\(error?.description ?? "")")
    }

    @Test func allowedLibrariesWork() async throws {
        let results = try await LuaTest.run("""
            local t = {3, 1, 2}
            table.sort(t)
            local co = coroutine.wrap(function() coroutine.yield(1) end)
            return table.concat(t, ","), string.upper("ok"), math.floor(2.5), utf8.char(233), co(),
                type(os.time()), type(os.date("%Y")), type(os.clock()), load("return 7")()
            """)
        #expect(results == ["1,2,3", "OK", 2, "é", 1, "number", "string", "number", 7])
    }

    @Test func scriptsCannotChangeEachOthersLibraries() async throws {
        let state = try LuaState(context: LuaTest.options())
        _ = try await state.run(Array("string.upper = nil; tern.log = nil".utf8), chunkName: "a.lua")
        let second = try await state.run(Array("return string.upper('x'), type(tern.log)".utf8), chunkName: "b.lua")
        #expect(second.results == ["X", "table"])
    }

    @Test func declaredGlobalsMayBeDefined() async throws {
        let state = try LuaState(context: LuaTest.options())
        let chunk = try await state.run(Array("function filter_message(m) return true end".utf8), chunkName: "r.lua",
                                        declared: Sandbox.scriptGlobals)
        #expect(try state.function(named: "filter_message", in: chunk.environment, chunkName: "r.lua") != nil)
    }

    @Test func requireLoadsFromTheSearchPathInItsOwnSandbox() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-req-\(UUID())")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("lib"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "return { twice = function(x) return 2 * x end }".write(
            to: directory.appendingPathComponent("lib/util.lua"), atomically: true, encoding: .utf8)
        let options = LuaTest.options(modulePath: [directory.path])
        let results = try await LuaTest.run("local u = require('lib.util') return u.twice(4), require('lib.util') == u",
                                            options: options)
        #expect(results == [8, true])
    }
}

@Suite struct LimitTests {
    @Test func infiniteLoopStopsWithFileAndLine() async {
        let options = LuaTest.options(limits: LuaLimits(instructionsPerCall: 1_000_000))
        let error = await LuaTest.failure("local x = 0\nwhile true do\n  x = x + 1\nend", name: "loop.lua", options: options)
        #expect(error?.message.contains("instruction budget exceeded") == true)
        #expect(error?.location?.hasPrefix("loop.lua:") == true, "\(String(describing: error))")
    }

    @Test func pcallCannotSwallowTheBudget() async {
        let options = LuaTest.options(limits: LuaLimits(instructionsPerCall: 1_000_000))
        let error = await LuaTest.failure("""
            while true do
              pcall(function() while true do end end)
            end
            """, name: "swallow.lua", options: options)
        #expect(error?.message.contains("instruction budget exceeded") == true, "\(String(describing: error))")
    }

    @Test func budgetIsPerCall() async throws {
        let options = LuaTest.options(limits: LuaLimits(instructionsPerCall: 200_000))
        let state = try LuaState(limits: options.limits, context: options)
        let chunk = try await state.run(Array("return function() local s = 0 for i = 1, 10000 do s = s + i end return s end"
            .utf8), chunkName: "f.lua")
        guard case .function(let sum) = chunk.results[0] else { Issue.record("no function"); return }
        for _ in 0..<50 { #expect(try await state.call(sum) == [.integer(50_005_000)]) }
    }

    @Test func hugeAllocationFailsCleanly() async throws {
        let options = LuaTest.options(limits: LuaLimits(memoryBytes: 16 << 20))
        let error = await LuaTest.failure("local s = string.rep('x', 1024 * 1024 * 1024)\nreturn #s", name: "big.lua",
                                          options: options)
        #expect(error?.message.contains("not enough memory") == true, "\(String(describing: error))")
        let growth = await LuaTest.failure("local t = {}\nfor i = 1, 1e9 do t[i] = {i} end", name: "grow.lua", options: options)
        #expect(growth?.message.contains("not enough memory") == true, "\(String(describing: growth))")
        // The state stays usable after a memory error.
        let state = try LuaState(limits: options.limits, context: options)
        _ = try? await state.run(Array("local t = {} for i = 1, 1e9 do t[i] = i end".utf8), chunkName: "g.lua")
        #expect(try await state.run(Array("return 1 + 1".utf8), chunkName: "ok.lua").results == [2])
    }

    @Test func hostFunctionsRespectTheMemoryCap() async {
        let options = LuaTest.options(limits: LuaLimits(memoryBytes: 8 << 20))
        let error = await LuaTest.failure("""
            local t = {}
            local s = string.rep('a', 1000000)
            for i = 1, 1000 do t[i] = tern.json.encode({s}) end
            """, name: "json.lua", options: options)
        #expect(error?.message.contains("not enough memory") == true, "\(String(describing: error))")
    }
}

@Suite struct ErrorPositionTests {
    @Test func syntaxErrorNamesFileAndLine() async {
        let error = await LuaTest.failure("return {\n  name = 'x',\n  port = = 3,\n}", name: "presets/broken.lua")
        #expect(error?.location == "presets/broken.lua:3", "\(String(describing: error))")
        #expect(error?.message.contains("unexpected symbol") == true)
    }

    @Test func runtimeErrorNamesFileAndLineWithTraceback() async {
        let error = await LuaTest.failure("local function f()\n  error('boom')\nend\nf()", name: "rt.lua")
        #expect(error?.location == "rt.lua:2")
        #expect(error?.message == "boom")
        #expect(error?.traceback?.contains("rt.lua:4") == true, "\(error?.traceback ?? "")")
    }

    @Test func hostArgumentErrorsPointAtTheCaller() async {
        let error = await LuaTest.failure("\n\nreturn tern.json.decode(42)", name: "host.lua")
        #expect(error?.location == "host.lua:3", "\(String(describing: error))")
        #expect(error?.message.contains("bad argument #1 to 'tern.json.decode'") == true)
    }

    @Test func nonStringErrorValues() async {
        let error = await LuaTest.failure("error({code = 1})", name: "t.lua")
        #expect(error?.message.contains("error object is a table") == true)
    }
}
