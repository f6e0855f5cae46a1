import Foundation
import Testing
import TernTestSupport

/// `tern checklist --script hook.lua`: the first evaluation announces every item (from "new"),
/// an unchanged re-run announces nothing, and setting one value announces exactly that item's
/// change — delivered by a real Lua hook to the local HTTP sink, as a ticket update would be.
@Suite struct ChecklistHookEndToEndTests {
    @Test func changedItemsFireHookEvents() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-checklist-hook-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = root + "/acme"
        let created = try await TernBinary.run(["init", project, "--from", "dovecot", "--to", "dovecot",
                                          "--domain", "acme.example"])
        #expect(created.status == 0, "\(created.stderr)")
        try TestEnvironment.runScript("scripts/testenv/httpsink.sh", arguments: ["start"])
        let prefix = "/checklist-\(UUID().uuidString)"
        let hook = root + "/hook.lua"
        try """
            local base = tern.env("TERN_CHECKLIST_SINK")
            function on_event(e)
                if e.kind ~= "checklist_changed" then return end
                local r, err = tern.http.request{ method = "POST", url = base .. "/" .. e.details.key,
                    headers = { ["Content-Type"] = "application/json" },
                    body = tern.json.encode({ from = e.details.from, to = e.details.to, title = e.details.title,
                        evidence = e.message }) }
                if not r then error(err) end
            end
            """.write(toFile: hook, atomically: true, encoding: .utf8)
        let arguments = ["checklist", "--script", hook, "--allow-env", "TERN_CHECKLIST_SINK", "--project", project]
        let environment = ["TERN_CHECKLIST_SINK": "http://127.0.0.1:18080" + prefix]

        let first = try await TernBinary.run(arguments, environment: environment)
        #expect(first.status == 0 || first.status == 1, "\(first.stderr)")
        let firstEvents = try events(prefix)
        #expect(firstEvents.count >= 8, "every item is announced once: \(firstEvents.map(\.key))")
        #expect(Set(firstEvents.map(\.key)).count == firstEvents.count)
        #expect(firstEvents.allSatisfy { $0.body["from"] as? String == "new" })
        let owner = try #require(firstEvents.first { $0.key == "monitoring-owner" })
        #expect(owner.body["to"] as? String == "manual")
        let record = try String(contentsOfFile: project + "/reports/checklist.json", encoding: .utf8)
        let mode = try FileManager.default.attributesOfItem(atPath: project + "/reports/checklist.json")[.posixPermissions]
        #expect(mode as? Int == 0o600)
        #expect(record.contains("\"evaluatedAt\"") && record.contains("monitoring-owner"))

        let unchanged = try await TernBinary.run(arguments, environment: environment)
        #expect(unchanged.status == first.status)
        #expect(try events(prefix).count == firstEvents.count, "nothing changed, nothing announced")

        #expect(try await TernBinary.run(["checklist", "set", "monitoring-owner", "Dana (NOC)", "--project", project]).status == 0)
        let changed = try await TernBinary.run(arguments, environment: environment)
        #expect(changed.status == first.status, "\(changed.stderr)")
        let latest = Array(try events(prefix).dropFirst(firstEvents.count))
        #expect(latest.map(\.key) == ["monitoring-owner"], "\(latest.map(\.key))")
        #expect(latest.first?.body["from"] as? String == "manual")
        #expect(latest.first?.body["to"] as? String == "ok")
        #expect((latest.first?.body["evidence"] as? String)?.contains("Dana (NOC)") == true, "\(latest)")
    }

    /// The hook's posts under `prefix`, oldest first: the item key and the JSON body.
    private func events(_ prefix: String) throws -> [(key: String, body: [String: Any])] {
        let path = (ProcessInfo.processInfo.environment["TERN_TESTENV_DIR"] ?? "/tmp/tern-testenv")
            + "/httpsink/requests.jsonl"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line -> (key: String, body: [String: Any])? in
            guard let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let requestPath = record["path"] as? String, requestPath.hasPrefix(prefix + "/"),
                  let body = (try? JSONSerialization.jsonObject(with: Data((record["body"] as? String ?? "").utf8)))
                    as? [String: Any]
            else { return nil }
            return (String(requestPath.dropFirst(prefix.count + 1)), body)
        }
    }
}
