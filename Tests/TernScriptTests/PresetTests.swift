import Foundation
import Testing
@testable import TernScript
import TernCore

@Suite struct PresetTests {
    static let root = LuaTest.repositoryRoot
    static let providers = root.appendingPathComponent("presets/providers")
    static let shipped: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: providers.path)) ?? [])
        .filter { $0.hasSuffix(".lua") }.sorted()

    static var loader: PresetLoader {
        PresetLoader(searchPath: PresetSearchPath(directories: [providers.path]), options: LuaTest.options())
    }

    @Test func atLeastTheRequiredProvidersShip() {
        let required = ["generic", "gmail", "microsoft365", "outlook", "yahoo", "aol", "icloud", "zoho", "fastmail", "gmx",
                        "ionos", "godaddy", "cpanel", "dovecot", "cyrus", "zimbra", "trekmail"]
        let names = Set(Self.shipped.map { String($0.dropLast(4)) })
        #expect(Set(required).subtracting(names).isEmpty, "missing: \(Set(required).subtracting(names))")
    }

    @Test(arguments: shipped)
    func shippedPresetPassesCheck(_ file: String) async throws {
        let path = Self.providers.appendingPathComponent(file).path
        let result = await ScriptFileChecker.check(path, loader: Self.loader)
        #expect(result.kind == .preset)
        #expect(result.problems.isEmpty, "\(result.problems)")
        let preset = try await Self.loader.load(String(file.dropLast(4)), context: PresetContext(user: "a@example.org"))
        #expect(preset.name == String(file.dropLast(4)))
        #expect(preset.imap.host != nil)
        #expect(!preset.references.isEmpty, "cite the provider's documentation")
        let source = try String(contentsOfFile: path, encoding: .utf8)
        #expect(source.hasPrefix("--"), "each preset starts with a comment citing its sources")
    }

    @Test func functionFieldsReceiveTheContext() async throws {
        let m365 = try await Self.loader.load("microsoft365", context: PresetContext(user: "bob@contoso.co.uk"))
        #expect(m365.dns?.mx == ["0 contoso-co-uk.mail.protection.outlook.com."])
        let cpanel = try await Self.loader.load("cpanel", context: PresetContext(user: "x@shop.example"))
        #expect(cpanel.imap.host == "mail.shop.example")
        let zoho = try await Self.loader.load("zoho", context: PresetContext(user: "x@y.eu", region: "eu"))
        #expect(zoho.imap.host == "imappro.zoho.eu")
        #expect(zoho.dns?.spfInclude == "zohomail.eu")
        let gmail = try await Self.loader.load("gmail")
        // All Mail holds archived mail: the Gmail label view copies from it, nothing is skipped.
        #expect(gmail.folders.skip.isEmpty)
        #expect(gmail.limits.maxConnections == 15)
    }

    static let broken: [(String, String, String)] = [
        ("return {\n  name = 'x',\n  description = 'y'\n  imap = {}\n}\n", ":4", "'}' expected"),
        ("return {\n  name = 'x', description = 'y',\n  imap = {\n    port = \"abc\",\n  },\n}\n", ":4",
         "'imap.port' must be an integer"),
        ("return {\n  name = 'x', description = 'y',\n  colour = 'red',\n}\n", ":3", "unknown field 'colour'"),
        ("return {\n  name = 'x', description = 'y',\n  imap = { host = function(ctx)\n    while true do end\n  end },\n}\n",
         ":4", "instruction budget exceeded"),
        ("local s = string.rep('x', 1 << 30)\nreturn { name = 'x', description = 'y' }\n", ":1", "not enough memory"),
        ("os.execute('touch /tmp/pwned')\nreturn { name = 'x', description = 'y' }\n", ":1", "field 'execute'"),
        ("return { description = 'y' }\n", ":1", "missing required field 'name'"),
        ("return {\n  name = 'x', description = 'y',\n  imap = { tls = 'ssl' },\n}\n", ":3", "one of \"implicit\""),
        ("return {\n  name = 'x', description = 'y',\n  imap = { auth = { 'cram-md5' } },\n}\n", ":3", "\"cram-md5\""),
        ("return {\n  name = 'x', description = 'y',\n  folders = { special_use = { Sent = 'Sent' } },\n}\n", ":3",
         "unknown special use"),
        ("return 42\n", ":1", "must return one table"),
    ]

    @Test(arguments: broken)
    func brokenPresetNamesFileAndLine(_ source: String, _ line: String, _ expected: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-preset-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("broken.lua").path
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        let problems = await Self.loader.check(path)
        #expect(problems.contains { $0.location == path + line && $0.message.contains(expected) }, "\(problems)")
        await #expect(throws: ScriptError.self) { try await Self.loader.load(path) }
    }

    @Test func unknownPresetNameIsExplained() async {
        await #expect(throws: ScriptError.self) { try await Self.loader.load("nosuchprovider") }
    }
}

@Suite struct ExampleScriptTests {
    static let examples = LuaTest.repositoryRoot.appendingPathComponent("presets/examples")
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? [])
        .filter { $0.hasSuffix(".lua") }.sorted()

    @Test(arguments: files)
    func exampleScriptPassesCheck(_ file: String) async {
        let result = await ScriptFileChecker.check(Self.examples.appendingPathComponent(file).path,
                                                   loader: PresetTests.loader)
        // routing-* examples are destination preset templates (docs/scripting.md, "Routing functions").
        #expect(result.kind == (file.hasPrefix("routing-") ? .preset : .script))
        #expect(result.problems.isEmpty, "\(result.problems)")
    }
}
