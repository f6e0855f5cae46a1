import Foundation
import Testing
import TernTLS
import TernTestSupport

/// `tern routing apply`/`verify` through a destination preset's routing functions: the shipped
/// template presets/examples/routing-http-api.lua against the local admin-API stand-in
/// (`scripts/testenv/directory.sh`, 127.0.0.1:18081), each test under its own tenant path.
@Suite(.serialized) struct RoutingPresetEndToEndTests {
    static let port = 18081
    static let template = TestEnvironment.repositoryRoot.appendingPathComponent("presets/examples/routing-http-api.lua").path

    /// Starts the stand-in if needed; returns its token.
    static func directoryToken() throws -> String {
        try TestEnvironment.runScript("scripts/testenv/directory.sh", arguments: ["start"])
        let directory = ProcessInfo.processInfo.environment["TERN_TESTENV_DIR"] ?? "/tmp/tern-testenv"
        return try String(contentsOfFile: directory + "/directory/token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One HTTP/1.1 request to the stand-in; returns the status and the body.
    static func http(_ method: String, _ path: String, token: String) async throws -> (status: Int, body: String) {
        let stream = try await NetworkStream.connect(host: "127.0.0.1", port: port)
        defer { stream.close() }
        try await stream.write(Array(("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Length: 0\r\nConnection: close\r\n\r\n").utf8))
        var bytes: [UInt8] = []
        while true {
            let chunk = try await stream.read()
            if chunk.isEmpty { break }
            bytes += chunk
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, body)
    }

    /// The objects the stand-in holds for `tenant` in `kind`, as address → targets.
    static func held(_ tenant: String, _ kind: String, token: String) async throws -> [String: [String]] {
        let (status, body) = try await http("GET", "/\(tenant)/\(kind)", token: token)
        #expect(status == 200)
        let items = (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["items"] as? [[String: Any]]
        var held: [String: [String]] = [:]
        for item in items ?? [] { held[item["address"] as? String ?? ""] = item["targets"] as? [String] ?? [] }
        return held
    }

    /// The statuses the stand-in answered to POSTs under `tenant`, in order (from its request log).
    static func posts(_ tenant: String) throws -> [Int] {
        let directory = ProcessInfo.processInfo.environment["TERN_TESTENV_DIR"] ?? "/tmp/tern-testenv"
        let log = (try? String(contentsOfFile: directory + "/directory/requests.jsonl", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").compactMap { line -> Int? in
            guard let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  record["method"] as? String == "POST", (record["path"] as? String)?.hasPrefix("/\(tenant)/") == true
            else { return nil }
            return record["status"] as? Int
        }
    }

    static func outcomes(_ run: TernBinary.Outcome) throws -> [String: (status: String, detail: String)] {
        let list = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
        var result: [String: (status: String, detail: String)] = [:]
        for outcome in list {
            result[outcome["address"] as? String ?? ""] = (outcome["status"] as? String ?? "", outcome["detail"] as? String ?? "")
        }
        return result
    }

    /// A project whose destination preset is the template, with an alias, a group, a forwarder,
    /// a rejecting alias and a catch-all.
    static func project(_ root: String) async throws -> String {
        let project = root + "/acme"
        let created = try await TernBinary.run(["init", project, "--from", "cpanel", "--to", template, "--domain", "acme.example"])
        #expect(created.status == 0, "\(created.stderr)")
        let csv = root + "/inventory.csv"
        try Data("""
            type,address,targets,display_name,destination,size,keep_copy,action,notes
            alias,sales@acme.example,dana@acme.example,,,,,,
            group,team@acme.example,alice@acme.example;bob@acme.example,The Team,,,,,
            forwarder,info@acme.example,owner@example.test,,,,yes,,
            alias,old@acme.example,,,,,,reject,No longer here
            catchall,@acme.example,dana@acme.example,,,,,,

            """.utf8).write(to: URL(fileURLWithPath: csv))
        let imported = try await TernBinary.run(["inventory", "import", csv, "--format", "csv", "--project", project])
        #expect(imported.status == 0, "\(imported.stderr)")
        return project
    }

    @Test func applyCreatesEachObjectOnceAndVerifyFindsThem() async throws {
        let token = try Self.directoryToken()
        let tenant = "t-\(UUID().uuidString)"
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-routing-api-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = try await Self.project(root)
        let environment = ["ROUTING_API_URL": "http://127.0.0.1:\(Self.port)/\(tenant)", "ROUTING_API_TOKEN": token]
        let allow = ["--allow-env", "ROUTING_API_URL", "--allow-env", "ROUTING_API_TOKEN", "--project", project]
        var outputs: [String] = []

        // --dry-run names the calls and makes none (no ManageSieve options needed either).
        let dry = try await TernBinary.run(["routing", "apply", "--dry-run"] + allow, environment: environment)
        outputs += [dry.stdout, dry.stderr]
        #expect(dry.status == 0, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("would call create_alias in routing-http-api.lua (sales@acme.example → dana@acme.example)"))
        #expect(dry.stdout.contains("would call create_forwarder"))
        #expect(try await Self.held(tenant, "aliases", token: token).isEmpty)
        #expect(try Self.posts(tenant).isEmpty)

        for pass in 1...2 {
            let applied = try await TernBinary.run(["routing", "apply", "--json"] + allow, environment: environment)
            outputs += [applied.stdout, applied.stderr]
            #expect(applied.status == 0, "pass \(pass): \(applied.stdout)\(applied.stderr)")
            let outcomes = try Self.outcomes(applied)
            let expected = pass == 1 ? "created" : "already exists"
            #expect(outcomes["sales@acme.example"]?.status == "ok")
            #expect(outcomes["sales@acme.example"]?.detail == "create_alias in routing-http-api.lua: \(expected)")
            #expect(outcomes["team@acme.example"]?.detail == "create_group in routing-http-api.lua: \(expected)")
            #expect(outcomes["info@acme.example"]?.detail == "create_forwarder in routing-http-api.lua: \(expected)")
            #expect(outcomes["old@acme.example"]?.status == "manual")
            #expect(outcomes["@acme.example"]?.status == "manual")
            // Exactly these objects, once each, after either pass.
            #expect(try await Self.held(tenant, "aliases", token: token) == ["sales@acme.example": ["dana@acme.example"]])
            #expect(try await Self.held(tenant, "groups", token: token)
                == ["team@acme.example": ["alice@acme.example", "bob@acme.example"]])
            #expect(try await Self.held(tenant, "forwarders", token: token) == ["info@acme.example": ["owner@example.test"]])
            // One POST per object per pass: created, then "already exists" (409), never a duplicate.
            #expect(try Self.posts(tenant) == [201, 201, 201] + (pass == 2 ? [409, 409, 409] : []))
        }
        // The object table carried the display name and keep-copy through to the API.
        #expect(try await Self.http("GET", "/\(tenant)/groups", token: token).body.contains("\"display_name\": \"The Team\""))
        #expect(try await Self.http("GET", "/\(tenant)/forwarders", token: token).body.contains("\"keep_copy\": true"))

        // The report knows what apply did (created, not yet read back) …
        func reported() async throws -> [String: String] {
            let run = try await TernBinary.run(["report", "--format", "json", "--project", project])
            let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
            var statuses: [String: String] = [:]
            for row in report["routing"] as? [[String: Any]] ?? [] {
                statuses[row["address"] as? String ?? ""] = row["destinationStatus"] as? String
            }
            return statuses
        }
        #expect(try await reported()["sales@acme.example"] == "created")

        let verified = try await TernBinary.run(["routing", "verify", "--json"] + allow, environment: environment)
        outputs += [verified.stdout, verified.stderr]
        // … and what verify found.
        let afterVerify = try await reported()
        #expect(afterVerify["sales@acme.example"] == "verified" && afterVerify["team@acme.example"] == "verified",
            "\(afterVerify)")
        #expect(afterVerify["@acme.example"] == "manual")
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let present = try Self.outcomes(verified)
        for address in ["sales@acme.example", "team@acme.example", "info@acme.example"] {
            #expect(present[address]?.status == "ok", "\(address): \(present[address]?.detail ?? "absent")")
        }
        #expect(present["old@acme.example"]?.status == "manual")

        // The checklist's routing item rests on the same lookups (no --host2: no Sieve needed
        // since the preset makes the forwarders): found objects, the manual rest.
        func routingItem() async throws -> (status: String, evidence: [String]) {
            let run = try await TernBinary.run(["checklist", "--json"] + allow, environment: environment)
            outputs += [run.stdout, run.stderr]
            let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
            let item = (report["items"] as? [[String: Any]] ?? []).first { $0["key"] as? String == "routing" } ?? [:]
            return (item["status"] as? String ?? "", item["evidence"] as? [String] ?? [])
        }
        let listed = try await routingItem()
        #expect(listed.status == "manual", "the rejecting alias and the catch-all remain: \(listed.evidence)")
        #expect(listed.evidence.contains { $0.hasPrefix("team@acme.example: ") && !$0.contains("missing") }, "\(listed.evidence)")

        // Someone deletes the alias at the provider: verify reports it missing (exit 3).
        #expect(try await Self.http("DELETE", "/\(tenant)/aliases/sales@acme.example", token: token).status == 204)
        let gone = try await routingItem()
        #expect(gone.status == "fail", "\(gone.evidence)")
        #expect(gone.evidence.contains { $0.hasPrefix("sales@acme.example: missing") }, "\(gone.evidence)")
        let afterDelete = try await TernBinary.run(["routing", "verify"] + allow, environment: environment)
        outputs += [afterDelete.stdout, afterDelete.stderr]
        #expect(try await reported()["sales@acme.example"] == "missing")
        #expect(afterDelete.status == 3, "\(afterDelete.stdout)\(afterDelete.stderr)")
        let line = afterDelete.stdout.split(separator: "\n").first { $0.contains("sales@acme.example") } ?? ""
        #expect(line.hasPrefix("missing") && line.contains("not listed by list_aliases"), "\(line)")
        #expect(afterDelete.stdout.split(separator: "\n").contains { $0.hasPrefix("ok") && $0.contains("team@acme.example") })

        for output in outputs { #expect(!output.contains(token), "the API token reached the output") }
    }

    @Test func aRefusedCreateFailsThatObjectOnlyExitTwoAndNeverShowsTheToken() async throws {
        let token = try Self.directoryToken()
        let tenant = "t-\(UUID().uuidString)"
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-routing-api-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = try await Self.project(root)
        let url = "http://127.0.0.1:\(Self.port)/\(tenant)"
        let allow = ["--allow-env", "ROUTING_API_URL", "--allow-env", "ROUTING_API_TOKEN", "--project", project]

        // A wrong token: every object is refused by the API (401), each named with the reason.
        let wrongToken = "wrong-\(UUID().uuidString)"
        let refused = try await TernBinary.run(["routing", "apply"] + allow,
                                         environment: ["ROUTING_API_URL": url, "ROUTING_API_TOKEN": wrongToken])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        let sales = refused.stdout.split(separator: "\n").first { $0.contains("sales@acme.example") } ?? ""
        #expect(sales.hasPrefix("failed") && sales.contains("create_alias failed") && sales.contains("HTTP 401"), "\(sales)")
        #expect(!refused.stdout.contains(wrongToken) && !refused.stderr.contains(wrongToken))

        // A preset whose create_alias fails (--preset2 wins over the project's): that object
        // fails with the preset's file:line and reason; the group and forwarder are still created.
        let failing = root + "/failing.lua"
        let refusal = "create_alias = function(obj) return nil, \"aliases are not allowed on this plan\" end,"
        let source = try String(contentsOfFile: Self.template, encoding: .utf8)
            .replacingOccurrences(of: "create_alias = create,", with: refusal)
        try Data(source.utf8).write(to: URL(fileURLWithPath: failing))
        let refusalLine = try #require(source.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains(refusal) }) + 1
        let partial = try await TernBinary.run(["routing", "apply", "--preset2", failing] + allow,
            environment: ["ROUTING_API_URL": url, "ROUTING_API_TOKEN": token])
        #expect(partial.status == 2, "\(partial.stdout)\(partial.stderr)")
        let alias = partial.stdout.split(separator: "\n").first { $0.contains("sales@acme.example") } ?? ""
        #expect(alias.hasPrefix("failed") && alias.contains("failing.lua:\(refusalLine): aliases are not allowed on this plan"),
                "\(alias)")
        #expect(partial.stdout.split(separator: "\n").contains { $0.hasPrefix("ok") && $0.contains("team@acme.example") })
        #expect(try await Self.held(tenant, "groups", token: token).keys.sorted() == ["team@acme.example"])
        #expect(try await Self.held(tenant, "aliases", token: token).isEmpty)
        #expect(!partial.stdout.contains(token) && !partial.stderr.contains(token))

        // A --preset2 that does not exist is a usage error; one without --allow-env fails each call.
        #expect(try await TernBinary.run(["routing", "apply", "--preset2", root + "/none.lua", "--project", project]).status == 64)
        let notAllowed = try await TernBinary.run(["routing", "apply", "--project", project],
                                            environment: ["ROUTING_API_URL": url, "ROUTING_API_TOKEN": token])
        #expect(notAllowed.status == 2)
        #expect(notAllowed.stdout.contains("--allow-env ROUTING_API_URL"), "\(notAllowed.stdout)")
    }
    /// A preset without create_forwarder: aliases and groups go to the API, the forwarder
    /// (mailbox u33) to ManageSieve in the same run; a refused ManageSieve login fails only the
    /// forwarder (exit 2).
    @Test func withoutCreateForwarderTheForwarderGoesToSieve() async throws {
        let env = try TestEnvironment.dovecot()
        let token = try Self.directoryToken()
        let tenant = "t-\(UUID().uuidString)"
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-routing-api-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = root + "/acme"
        #expect(try await TernBinary.run(["init", project, "--from", "cpanel", "--to", "trekmail", "--domain", "acme.example"])
            .status == 0)
        let csv = root + "/inventory.csv"
        try Data("""
            type,address,targets,keep_copy
            alias,sales@acme.example,dana@acme.example,
            forwarder,u33@acme.example,someone@example.test,yes

            """.utf8).write(to: URL(fileURLWithPath: csv))
        #expect(try await TernBinary.run(["inventory", "import", csv, "--format", "csv", "--project", project]).status == 0)
        let preset = root + "/no-forwarders.lua"
        let source = try String(contentsOfFile: Self.template, encoding: .utf8)
            .replacingOccurrences(of: "        create_forwarder = create,\n", with: "")
            .replacingOccurrences(of: "        list_forwarders = function() return list(\"forwarder\") end,\n", with: "")
        #expect(!source.contains("create_forwarder =") && !source.contains("list_forwarders ="))
        try Data(source.utf8).write(to: URL(fileURLWithPath: preset))

        let environment = ["ROUTING_API_URL": "http://127.0.0.1:\(Self.port)/\(tenant)", "ROUTING_API_TOKEN": token]
        let options = ["--preset2", preset, "--allow-env", "ROUTING_API_URL", "--allow-env", "ROUTING_API_TOKEN",
                       "--host2", "127.0.0.1", "--sieve-port", "24190", "--admin-user2", env.master.user,
                       "--password-file2", env.directory + "/secrets/admin.pw", "--ca-file2", env.ca,
                       "--tls-server-name2", "localhost", "--login-name2", "local-part", "--project", project]
        let applied = try await TernBinary.run(["routing", "apply", "--json"] + options, environment: environment)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        let outcomes = try Self.outcomes(applied)
        #expect(outcomes["sales@acme.example"]?.detail == "create_alias in no-forwarders.lua: created")
        #expect(outcomes["u33@acme.example"]?.detail.hasPrefix("installed and activated Sieve script tern-forward") == true)
        #expect(try await Self.held(tenant, "forwarders", token: token).isEmpty)

        let verified = try await TernBinary.run(["routing", "verify", "--json"] + options, environment: environment)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let present = try Self.outcomes(verified)
        #expect(present["sales@acme.example"]?.status == "ok")
        #expect(present["u33@acme.example"]?.detail == "Sieve script tern-forward installed and active")

        var wrong = options
        wrong[wrong.firstIndex(of: "--password-file2")! + 1] = env.directory + "/secrets/u33.pw"
        let refused = try await TernBinary.run(["routing", "apply", "--json"] + wrong, environment: environment)
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        let partial = try Self.outcomes(refused)
        #expect(partial["u33@acme.example"]?.status == "failed")
        #expect(partial["sales@acme.example"]?.detail == "create_alias in no-forwarders.lua: already exists")
        for output in [applied.stdout, applied.stderr, verified.stdout, refused.stdout, refused.stderr] {
            #expect(!output.contains(token))
        }
    }
}
