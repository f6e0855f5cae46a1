import Foundation
import Testing
import TernTestSupport

/// `tern plan waves` in a project whose source preset (gmail) caps downloads at 2.5 GB a day:
/// sizes from a typed CSV, a fixed start and cutover, the plan as JSON, waves stored (not with
/// --dry-run), and the mailbox that cannot make the cutover named with exit code 2.
@Suite struct ScanPlanWavesEndToEndTests {
    @Test func planWavesStoresWavesAndFlagsLateMailboxes() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-waves-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = root + "/acme"
        let created = try await TernBinary.run(["init", project, "--from", "gmail", "--to", "trekmail",
                                          "--domain", "acme.example"])
        #expect(created.status == 0, "\(created.stderr)")
        let csv = root + "/inventory.csv"
        try """
            type,address,targets,display_name,destination,size,keep_copy,action,notes
            mailbox,tiny@acme.example,,,,1000000,,,
            mailbox,small@acme.example,,,,2000000000,,,
            shared,office@acme.example,,,,5000000000,,,
            mailbox,ceo@acme.example,,,,10000000000,,,
            mailbox,new@acme.example,,,,,,,
            alias,sales@acme.example,office@acme.example,,,,,,

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await TernBinary.run(["inventory", "import", csv, "--format", "csv", "--project", project])
        #expect(imported.status == 0, "\(imported.stderr)")

        let window = ["--start-at", "2026-12-01T00:00:00Z", "--cutover-at", "2026-12-03T00:00:00Z"]
        let dry = try await TernBinary.run(["plan", "waves", "--pilot", "1", "--dry-run", "--project", project] + window)
        #expect(dry.status == 2, "\(dry.stderr)")
        #expect(dry.stdout.contains("the gmail limit of 2.5 GB/day"), "\(dry.stdout)")
        #expect(dry.stdout.contains("--dry-run: nothing stored"))
        // 10 GB at 2.5 GB a day is four days; the cutover is two days away.
        #expect(dry.stderr.contains("ceo@acme.example: 10.0 GB, ~4.0 days at the source's 2.5 GB/day limit: "
            + "cannot finish before the cutover at 2026-12-03 00:00 UTC"), "\(dry.stderr)")
        #expect(dry.stderr.contains("new@acme.example"), "the unscanned mailbox is warned about")
        let unchanged = try await list(project)
        #expect(unchanged.allSatisfy { $0["wave"] == nil })

        let plan = try await TernBinary.run(["plan", "waves", "--pilot", "1", "--json", "--project", project] + window)
        #expect(plan.status == 2, "\(plan.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let entries = try #require(document["mailboxes"] as? [[String: Any]])
        #expect(entries.map { $0["address"] as? String ?? "" }
            == ["tiny@acme.example", "office@acme.example", "ceo@acme.example", "small@acme.example",
                "new@acme.example"])
        #expect(entries.map { $0["wave"] as? String ?? "" } == ["pilot", "pilot", "pre-stage", "pre-stage", "pre-stage"])
        #expect(entries.filter { $0["late"] as? Bool == true }.map { $0["address"] as? String } == ["ceo@acme.example"])
        let small = try #require(entries.first { $0["address"] as? String == "small@acme.example" })
        #expect(small["latestStart"] as? String == "2026-12-02T04:48:00Z")   // 2 GB = 0.8 days before cutover

        let stored = try await list(project)
        func wave(_ address: String) async -> String? { stored.first { $0["address"] as? String == address }?["wave"] as? String }
        await #expect(wave("tiny@acme.example") == "pilot")
        await #expect(wave("office@acme.example") == "pilot")
        await #expect(wave("ceo@acme.example") == "pre-stage")
        await #expect(wave("new@acme.example") == "pre-stage")
        await #expect(wave("sales@acme.example") == nil, "routing objects have no wave")

        let bad = try await TernBinary.run(["plan", "waves", "--cutover-at", "next friday", "--project", project])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("ISO 8601"))
    }

    private func list(_ project: String) async throws -> [[String: Any]] {
        let result = try await TernBinary.run(["inventory", "list", "--json", "--project", project])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    }
}
