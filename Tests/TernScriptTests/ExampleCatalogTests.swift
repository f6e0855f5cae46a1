import Foundation
import Testing
@testable import TernScript

/// The shipped examples and the documentation agree: every file in `presets/examples/` is
/// named in docs/scripting.md, every example the docs name exists, and each one loads as a
/// script set (the form `--script` uses) and defines what its name says; `routing-*` examples
/// are destination preset templates and load as presets.
@Suite struct ExampleCatalogTests {
    static let examples = LuaTest.repositoryRoot.appendingPathComponent("presets/examples")
    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? [])
        .filter { $0.hasSuffix(".lua") }.map { String($0.dropLast(4)) }.sorted()

    @Test func docsNameEveryExampleAndOnlyThose() throws {
        let docs = try String(contentsOf: LuaTest.repositoryRoot.appendingPathComponent("docs/scripting.md"),
                              encoding: .utf8)
        #expect(Self.names.count >= 11)
        for name in Self.names { #expect(docs.contains("`\(name)`"), "docs/scripting.md does not name \(name)") }
        let paragraph = try #require(docs.range(of: "Examples in `presets/examples/`"))
        let tail = docs[paragraph.lowerBound...]
        let end = tail.range(of: "\n\n")?.lowerBound ?? tail.endIndex
        let named = tail[..<end].matches(of: /`([a-z0-9-]+)`/).map { String($0.output.1) }
        #expect(Set(named) == Set(Self.names))
    }

    @Test(arguments: names)
    func exampleLoadsAsAScript(_ name: String) async throws {
        if name.hasPrefix("routing-") {
            let path = Self.examples.appendingPathComponent(name + ".lua").path
            let loader = PresetLoader(searchPath: PresetSearchPath(directories: []), options: LuaTest.options())
            #expect(await loader.check(path).isEmpty)
            #expect(try await PresetRoutingAPI.load(path, loader: loader) != nil)
            return
        }
        let environment = ["WEBHOOK_URL", "SLACK_WEBHOOK_URL", "JIRA_URL", "JIRA_USER", "JIRA_TOKEN", "JIRA_ISSUE",
                           "ZENDESK_URL", "ZENDESK_EMAIL", "ZENDESK_TOKEN", "SN_URL", "SN_TOKEN"]
        let options = LuaTest.options(allowEnv: Set(environment),
            environment: Dictionary(uniqueKeysWithValues: environment.map { ($0, "http://127.0.0.1:1/x") }))
        let set = try await ScriptSet.load(paths: [Self.examples.appendingPathComponent(name + ".lua").path],
                                           options: options)
        if name.hasPrefix("hook-") {
            #expect(set.hasHooks)
        } else {
            #expect(set.mapsFolders || set.filtersMessages)
            _ = try await set.makeRules()
        }
    }
}
