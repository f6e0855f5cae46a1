import Foundation
import Testing
@testable import TernScript
import TernCore

/// The Lua calling layer of `tern routing apply`/`verify`: a preset's `routing` functions,
/// called with Swift values, their results typed, their failures located and redacted.
@Suite struct PresetRoutingAPITests {
    /// Writes `source` as a preset file in a fresh folder; returns its path.
    static func preset(_ source: String, name: String = "routing.lua") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-routing-api-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(source.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func load(_ source: String, limits: LuaLimits = .default, environment: [String: String] = [:],
                     allow: Set<String> = []) async throws -> PresetRoutingAPI {
        let options = LuaTest.options(limits: limits, allowEnv: allow.union(environment.keys), environment: environment)
        let loader = PresetLoader(searchPath: PresetSearchPath(directories: []), options: options)
        return try #require(try await PresetRoutingAPI.load(try preset(source), loader: loader))
    }

    /// The `ScriptError` `body` throws (nil when it succeeds).
    static func failure(_ body: () async throws -> Void) async -> ScriptError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? ScriptError
        }
    }

    static let sales = PresetRoutingAPI.Object(kind: .alias, address: "sales@acme.example",
        targets: ["alice@acme.example", "bob@acme.example"], displayName: "Sales", keepCopy: false,
        notes: ["from the old panel"], sources: ["valiases:3"])

    /// A preset that keeps what it is given in a local table and lists it back.
    static let recording = """
        local made = {}
        return {
            name = "recording",
            description = "keeps objects in memory",
            routing = {
                create_alias = function(obj)
                    made[#made + 1] = { address = obj.address, targets = obj.targets }
                    return { detail = table.concat({ obj.kind, obj.address, table.concat(obj.targets, ","),
                        tostring(obj.keep_copy), obj.display_name or "-", obj.notes[1], obj.sources[1] }, "|") }
                end,
                create_group = function(obj) return true end,
                list_aliases = function() return made end,
                list_groups = function() return { "team@acme.example", { address = "all@acme.example" } } end,
            },
        }
        """

    @Test func saysWhichFunctionsExistAndPassesTheObject() async throws {
        let api = try await Self.load(Self.recording)
        #expect(await api.creates == [.alias, .group])
        #expect(await api.lists == [.alias, .group])
        let detail = try await api.create(Self.sales)
        #expect(detail == "alias|sales@acme.example|alice@acme.example,bob@acme.example|false|Sales|from the old panel"
            + "|valiases:3")
        #expect(try await api.create(PresetRoutingAPI.Object(kind: .group, address: "t@acme.example",
            targets: ["a@acme.example"])) == nil)
        // The state lives between calls: what create_alias kept, list_aliases returns.
        #expect(try await api.list(.alias) == [PresetRoutingAPI.Listed(address: "sales@acme.example",
            targets: ["alice@acme.example", "bob@acme.example"])])
        #expect(try await api.list(.group) == [PresetRoutingAPI.Listed(address: "team@acme.example"),
                                               PresetRoutingAPI.Listed(address: "all@acme.example")])
    }

    @Test func aPresetWithoutRoutingFunctionsGivesNoAPI() async throws {
        let loader = PresetLoader(searchPath: PresetSearchPath(directories: []), options: LuaTest.options())
        let path = try Self.preset("return { name = \"plain\", description = \"no routing\" }\n")
        #expect(try await PresetRoutingAPI.load(path, loader: loader) == nil)
    }

    @Test func aMissingFunctionIsAnErrorNotASilentSuccess() async throws {
        let api = try await Self.load(Self.recording)
        let error = await Self.failure {
            _ = try await api.create(PresetRoutingAPI.Object(kind: .forwarder, address: "f@acme.example",
                targets: ["x@example.test"]))
        }
        #expect(error?.message.contains("no create_forwarder function") == true, "\(String(describing: error))")
        let listError = await Self.failure { _ = try await api.list(.forwarder) }
        #expect(listError?.message.contains("no list_forwarders function") == true)
    }

    @Test func raisingNamesTheFileAndLine() async throws {
        let source = """
            return {
                name = "raising",
                description = "raises",
                routing = {
                    create_alias = function(obj)
                        error("the API is down for " .. obj.address)
                    end,
                },
            }
            """
        let api = try await Self.load(source)
        let error = try #require(await Self.failure { _ = try await api.create(Self.sales) })
        #expect(error.location?.hasSuffix("routing.lua:6") == true, "\(error)")
        #expect(error.message == "the API is down for sales@acme.example")
    }

    @Test func nilAndAReasonIsAFailureAtTheFunctionsLine() async throws {
        let source = """
            return {
                name = "refusing",
                description = "refuses",
                routing = {
                    create_alias = function(obj) return nil, "HTTP 403 Forbidden" end,
                    create_group = function(obj) return false end,
                    list_aliases = function() return nil, "HTTP 500" end,
                },
            }
            """
        let api = try await Self.load(source)
        let error = try #require(await Self.failure { _ = try await api.create(Self.sales) })
        #expect(error.location?.hasSuffix("routing.lua:5") == true, "\(error)")
        #expect(error.message == "HTTP 403 Forbidden")
        let silent = try #require(await Self.failure {
            _ = try await api.create(PresetRoutingAPI.Object(kind: .group, address: "t@acme.example", targets: ["a@x.example"]))
        })
        #expect(silent.message.contains("create_group failed and gave no reason"), "\(silent)")
        #expect(silent.location?.hasSuffix("routing.lua:6") == true)
        let listed = try #require(await Self.failure { _ = try await api.list(.alias) })
        #expect(listed.message == "HTTP 500")
    }

    @Test func wrongReturnTypesAreErrors() async throws {
        let source = """
            return {
                name = "wrong",
                description = "returns the wrong things",
                routing = {
                    create_alias = function(obj) return 42 end,
                    create_group = function(obj) return "ok" end,
                    list_aliases = function() return "sales@acme.example" end,
                    list_groups = function() return { "team@acme.example", 7 } end,
                    list_forwarders = function() return { { address = "f@acme.example", targets = "x" } } end,
                },
            }
            """
        let api = try await Self.load(source)
        let number = try #require(await Self.failure { _ = try await api.create(Self.sales) })
        #expect(number.message.contains("create_alias must return true or a table on success"), "\(number)")
        #expect(number.message.contains("it returned a number"))
        let text = try #require(await Self.failure {
            _ = try await api.create(PresetRoutingAPI.Object(kind: .group, address: "t@acme.example", targets: ["a@x.example"]))
        })
        #expect(text.message.contains("it returned a string"))
        let notAList = try #require(await Self.failure { _ = try await api.list(.alias) })
        #expect(notAList.message.contains("list_aliases must return a list"), "\(notAList)")
        let badItem = try #require(await Self.failure { _ = try await api.list(.group) })
        #expect(badItem.message.contains("item 2 is a number"), "\(badItem)")
        let badTargets = try #require(await Self.failure { _ = try await api.list(.forwarder) })
        #expect(badTargets.message.contains("item 1's targets are a string"), "\(badTargets)")
    }

    @Test func budgetExceededStopsTheCallAndTheNextCallStillWorks() async throws {
        let source = """
            local calls = 0
            return {
                name = "looping",
                description = "loops once",
                routing = {
                    create_alias = function(obj)
                        calls = calls + 1
                        if calls == 1 then while true do end end
                        return { detail = "call " .. calls }
                    end,
                },
            }
            """
        let api = try await Self.load(source, limits: LuaLimits(instructionsPerCall: 200_000))
        let error = try #require(await Self.failure { _ = try await api.create(Self.sales) })
        #expect(error.message.contains("instruction budget exceeded"), "\(error)")
        #expect(error.location?.hasSuffix("routing.lua:8") == true, "\(error)")
        #expect(try await api.create(Self.sales) == "call 2")
    }

    @Test func allowedVariablesNeverComeBackOut() async throws {
        let token = "tok-\(UUID().uuidString)"
        let source = """
            return {
                name = "leaky",
                description = "echoes its token",
                routing = {
                    create_alias = function(obj) return nil, "refused token " .. tern.env("API_TOKEN") end,
                    create_group = function(obj) error("bad header Bearer " .. tern.env("API_TOKEN")) end,
                    create_forwarder = function(obj) return { detail = "made with " .. tern.env("API_TOKEN") } end,
                },
            }
            """
        let api = try await Self.load(source, environment: ["API_TOKEN": token])
        let refused = try #require(await Self.failure { _ = try await api.create(Self.sales) })
        #expect(refused.message == "refused token $API_TOKEN")
        let raised = try #require(await Self.failure {
            _ = try await api.create(PresetRoutingAPI.Object(kind: .group, address: "t@acme.example", targets: ["a@x.example"]))
        })
        #expect(raised.message == "bad header Bearer $API_TOKEN")
        #expect(!(raised.traceback ?? "").contains(token))
        let detail = try await api.create(PresetRoutingAPI.Object(kind: .forwarder, address: "f@acme.example",
            targets: ["x@example.test"]))
        #expect(detail == "made with $API_TOKEN")
    }

    @Test func aVariableThatIsNotAllowedFailsTheCallAndSaysHow() async throws {
        let source = """
            return {
                name = "env",
                description = "reads a variable",
                routing = { create_alias = function(obj) return tern.env("NOT_ALLOWED") and true end },
            }
            """
        let api = try await Self.load(source)
        let error = try #require(await Self.failure { _ = try await api.create(Self.sales) })
        #expect(error.message.contains("--allow-env NOT_ALLOWED"), "\(error)")
    }

    @Test func theSchemaChecksTheRoutingTable() async throws {
        let loader = PresetLoader(searchPath: PresetSearchPath(directories: []), options: LuaTest.options())
        let path = try Self.preset("""
            return {
                name = "broken",
                description = "bad routing table",
                routing = {
                    create_alias = "https://api.example.net/aliases",
                    create_aliasses = function(obj) return true end,
                },
            }
            """)
        let problems = await loader.check(path)
        #expect(problems.map(\.description).contains("\(path):5: 'routing.create_alias' must be a function, not a string"),
                "\(problems)")
        #expect(problems.contains { $0.location == "\(path):6" && $0.message.contains("unknown function 'routing.create_aliasses'") })
        let loadError = await Self.failure { _ = try await PresetRoutingAPI.load(path, loader: loader) }
        #expect(loadError?.location == "\(path):5")

        let function = try Self.preset("""
            return {
                name = "function",
                description = "routing is a function",
                routing = function(ctx) return {} end,
            }
            """)
        let functionProblems = await loader.check(function)
        #expect(functionProblems.first?.message.contains("'routing' must be a table of functions") == true,
                "\(functionProblems)")
    }

    @Test func theShippedTemplateLoadsAsAPreset() async throws {
        let path = LuaTest.repositoryRoot.appendingPathComponent("presets/examples/routing-http-api.lua").path
        let loader = PresetLoader(searchPath: PresetSearchPath(directories: []), options: LuaTest.options())
        #expect(await loader.check(path).isEmpty)
        let api = try #require(try await PresetRoutingAPI.load(path, loader: loader))
        #expect(await api.creates == [.alias, .group, .forwarder])
        #expect(await api.lists == [.alias, .group, .forwarder])
        // Without --allow-env each call fails and names the option.
        let error = await Self.failure { _ = try await api.create(Self.sales) }
        #expect(error?.message.contains("--allow-env ROUTING_API_URL") == true, "\(String(describing: error))")
        // Allowed but unset: the function's own reason.
        let unset = try await Self.load(try String(contentsOfFile: path, encoding: .utf8),
                                        allow: ["ROUTING_API_URL", "ROUTING_API_TOKEN"])
        let reason = await Self.failure { _ = try await unset.create(Self.sales) }
        #expect(reason?.message == "ROUTING_API_URL and ROUTING_API_TOKEN must be set (and passed with --allow-env)")
    }
}
