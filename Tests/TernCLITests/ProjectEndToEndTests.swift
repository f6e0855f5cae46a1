import Foundation
import Testing
import TernTestSupport

/// A migration project driven through the built `tern` as an operator would: init, import two
/// formats (one with bad rows), list --json, export the Postfix virtual table.
@Suite struct ProjectEndToEndTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TernMigrationTests/Fixtures").path

    @Test func initImportListExport() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-e2e-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = root + "/acme"

        let created = try await TernBinary.run(["init", project, "--from", "cpanel", "--to", "trekmail",
                                          "--domain", "ACME.example"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(FileManager.default.fileExists(atPath: project + "/tern-project.json"))
        #expect(FileManager.default.fileExists(atPath: project + "/state.sqlite"))
        let again = try await TernBinary.run(["init", project, "--from", "cpanel", "--to", "trekmail", "--domain", "acme.example"])
        #expect(again.status == 20)

        // No project here and none given: bad input, saying what to do.
        let lost = try await TernBinary.run(["inventory", "list", "--project", root])
        #expect(lost.status == 20)
        #expect(lost.stderr.contains("tern init"))

        let users = try await TernBinary.run(["inventory", "import", Self.fixtures + "/users.csv", "--format", "mailbox-csv",
                                        "--project", project])
        #expect(users.status == 2, "bad rows make the import partial")
        #expect(users.stdout.contains("Imported 4 objects"))
        #expect(users.stderr.contains("users.csv:5: expected 4 columns"))
        #expect(users.stderr.contains("users.csv:6: the source user is empty"))
        #expect(!users.stdout.contains("Winter2024") && !users.stderr.contains("Winter2024"))

        let virtual = try await TernBinary.run(["inventory", "import", Self.fixtures + "/virtual", "--format", "postfix",
                                          "--project", project])
        #expect(virtual.status == 2)
        #expect(virtual.stderr.contains("virtual:17: a regular-expression pattern"))

        let list = try await TernBinary.run(["inventory", "list", "--json", "--project", project])
        #expect(list.status == 0, "\(list.stderr)")
        let objects = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(objects.count == 14)   // 4 mailboxes + 10 routing objects
        let carol = try #require(objects.first { $0["address"] as? String == "carol@acme.example" })
        #expect(carol["destination"] as? String == "carol.jones@acme.example")
        #expect(carol["status"] as? String == "planned")
        #expect(carol["wave"] == nil)
        let team = try #require(objects.first { $0["address"] as? String == "team@acme.example" })
        #expect(team["kind"] as? String == "group")
        #expect((team["sources"] as? [String])?.first?.hasSuffix("virtual:7") == true)

        let table = try await TernBinary.run(["inventory", "list", "--project", project])
        #expect(table.stdout.contains("KIND"))
        #expect(table.stdout.contains("carol.jones@acme.example"))

        let export = try await TernBinary.run(["routing", "export", "--format", "postfix", "--project", project])
        #expect(export.status == 0, "\(export.stderr)")
        let lines = export.stdout.split(separator: "\n").map(String.init)
        // The group follows Carol's rename; the catch-all needs the mailboxes listed as themselves.
        #expect(lines.contains("team@acme.example\talice@acme.example, bob@acme.example, carol.jones@acme.example"))
        #expect(lines.contains("info@acme.example\tinfo@acme.example, owner@gmail.example"))
        #expect(lines.contains("@acme.example\tcatchall@acme.example"))
        #expect(lines.contains("frank@acme.example\tfrank@acme.example"))

        // Inside the project folder, no --project is needed.
        let output = project + "/reports/virtual"
        let inside = try runInside(project + "/logs", ["routing", "export", "--format", "postfix", "--output", output])
        #expect(inside == 0)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == export.stdout)
    }

    /// Runs `tern` with another working directory (TernBinary.run keeps the test's).
    private func runInside(_ directory: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TernBinary.path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// `TERN_PRESET_PATH` puts an agency's own preset folders first.
@Suite struct PresetPathEndToEndTests {
    @Test func presetPathEnvironmentComesFirst() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-preset-path-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try """
            return {
                name = "gmail",
                description = "the agency's own gmail preset",
                imap = { host = "imap.agency.example", port = 993, tls = "implicit" },
            }
            """.write(toFile: root + "/gmail.lua", atomically: true, encoding: .utf8)
        let own = try await TernBinary.run(["preset", "show", "gmail"], environment: ["TERN_PRESET_PATH": "/nonexistent:" + root])
        #expect(own.status == 0, "\(own.stderr)")
        #expect(own.stdout.contains("imap.agency.example"), "\(own.stdout)")
        let shipped = try await TernBinary.run(["preset", "show", "gmail"])
        #expect(shipped.status == 0 && shipped.stdout.contains("imap.gmail.com"), "\(shipped.stdout)")
        #expect(!shipped.stdout.contains("routing functions"))
        let routing = try await TernBinary.run(["preset", "show", "presets/examples/routing-http-api.lua"])
        #expect(routing.status == 0, "\(routing.stderr)")
        #expect(routing.stdout.contains("routing functions: create_alias, list_aliases, create_group, list_groups, "
            + "create_forwarder, list_forwarders"), "\(routing.stdout)")
    }
}
