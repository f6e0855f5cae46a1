import Testing
@testable import TernScript
import TernCore

@Suite struct BridgingTests {
    static let values: [LuaValue] = [
        .nilValue, .boolean(true), .boolean(false), .integer(0), .integer(.max), .integer(.min), .number(1.5),
        .number(-0.25), .number(3.0), .string(""), .string("héllo"), .string([0, 0xFF, 0xC3, 10]),
        .array(["a", "b", 3]), .record(["x": 1, "nested": .record(["y": .array([true, false])])]),
        .jsonNull,
    ]

    @Test(arguments: values)
    func roundTripThroughLua(_ value: LuaValue) async throws {
        let state = try LuaState(context: LuaTest.options())
        let chunk = try await state.run(Array("return function(...) return ... end".utf8), chunkName: "id.lua")
        guard case .function(let identity) = chunk.results.first else { Issue.record("no function"); return }
        let results = try await state.call(identity, [value])
        #expect(results == [value])
    }

    @Test func integersAndFloatsStayDistinct() async throws {
        let results = try await LuaTest.run("return 1, 1.0, math.maxinteger, 2^53, '10' + 0")
        #expect(results == [.integer(1), .number(1.0), .integer(.max), .number(9007199254740992), .integer(10)])
    }

    @Test func functionsRoundTripAsReferences() async throws {
        let state = try LuaState(context: LuaTest.options())
        let chunk = try await state.run(Array("return function(x) return x * 2 end, function(f, v) return f(v) end".utf8),
                                        chunkName: "f.lua")
        guard case .function(let double) = chunk.results[0], case .function(let apply) = chunk.results[1] else {
            Issue.record("expected functions")
            return
        }
        #expect(try await state.call(double, [21]) == [.integer(42)])
        #expect(try await state.call(apply, [.function(double), 4]) == [.integer(8)])
    }

    @Test func cyclesAndDeepTablesAreRefused() async {
        let cycle = await LuaTest.failure("local t = {} t.self = t return t")
        #expect(cycle?.message.contains("cycle") == true)
        let deep = await LuaTest.failure("local t = {} local c = t for i = 1, 200 do c.n = {} c = c.n end return t")
        #expect(deep?.message.contains("deeper") == true)
    }

    @Test func multipleResultsAndNilHoles() async throws {
        #expect(try await LuaTest.run("return nil, 2, nil") == [.nilValue, .integer(2), .nilValue])
        #expect(try await LuaTest.run("return") == [])
    }
}
