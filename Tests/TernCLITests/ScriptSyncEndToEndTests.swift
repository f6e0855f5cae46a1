import Foundation
import Testing
import TernTestSupport

/// `--script`, `--allow-env` and hooks in real `tern sync` / `tern batch` runs against the local
/// Dovecot pair. Each test owns one user (u21…u30), wipes it on both servers first and seeds
/// the source over IMAP APPEND.
@Suite struct ScriptSyncEndToEndTests {
    // MARK: - Rules

    @Test func mapFolderRenamesOneFolderAndSkipsAnother() async throws {
        let run = try await ScriptSyncRun(user: "u21")
        try await run.account.seed(.source, [
            SeedMessage(messageID: "inbox-1@u21", subject: "Hello"),
            SeedMessage(folder: ["Projects"], messageID: "p1@u21", subject: "Acme kickoff"),
            SeedMessage(folder: ["Projects"], messageID: "p2@u21", subject: "Acme invoice"),
            SeedMessage(folder: ["Private"], messageID: "x1@u21", subject: "Diary"),
        ])
        let script = try run.write("rules.lua", """
            function map_folder(f)
                if f.name == "Projects" then return "Clients/Acme" end
                if f.name == "Private" then return false end
                return nil
            end
            """)
        let result = try await run.tern(["sync", "--script", script, "--json"] + run.bothSides)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try ScriptSyncRun.summary(result)
        let folders = try ScriptSyncRun.folderReports(summary)
        #expect(folders["Projects"]?["destination"] as? String == "Clients/Acme")
        #expect((folders["Private"]?["outcome"] as? String)?.contains("skipped by a folder rule") == true,
            "\(folders["Private"] ?? [:])")
        #expect(ScriptSyncRun.totals(summary)["copied"] == 3)

        let destination = try await run.account.allMessages(.destination)
        #expect(destination["Clients/Acme"]?.compactMap(\.subject).sorted() == ["Acme invoice", "Acme kickoff"])
        #expect(destination["INBOX"]?.compactMap(\.subject) == ["Hello"])
        #expect(destination["Projects"] == nil)
        #expect(destination["Private"] == nil)
        let withMail = destination.filter { !$0.value.isEmpty }.keys.sorted()
        #expect(withMail == ["Clients/Acme", "INBOX"])

        // The text report of a second (delta) pass names the skip too, and copies nothing again.
        let again = try await run.tern(["sync", "--script", script] + run.bothSides)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Private"), "\(again.stdout)")
        #expect(again.stdout.contains("skipped by a folder rule"), "\(again.stdout)")
        #expect(try await run.account.count(.destination, ["Clients", "Acme"]) == 2)
    }

    // MARK: - Filters

    @Test func filterSkipsByHeaderAndSizeAndFlagsTheRest() async throws {
        let run = try await ScriptSyncRun(user: "u22")
        try await run.account.seed(.source, [
            SeedMessage(messageID: "news@u22", subject: "Weekly Newsletter #12"),
            SeedMessage(messageID: "noreply@u22", subject: "Your receipt", from: "Shop <noreply@shop.example>"),
            SeedMessage(messageID: "big@u22", subject: "Scans", padding: 200_000),
            SeedMessage(messageID: "invoice@u22", subject: "Invoice 42", flags: ["\\Seen"]),
            SeedMessage(messageID: "meeting@u22", subject: "Meeting"),
        ])
        let script = try run.write("filter.lua", """
            function filter_message(m)
                local subject = (m.headers.subject or ""):lower()
                local from = (m.headers.from or ""):lower()
                if subject:find("newsletter", 1, true) then return false end
                if from:find("noreply@", 1, true) then return false end
                if m.size > 100000 then return false end
                return { add = { "$Migrated" } }
            end
            """)
        let result = try await run.tern(["sync", "--script", script, "--json"] + run.bothSides)
        #expect(result.status == 0, "\(result.stderr)")
        let totals = ScriptSyncRun.totals(try ScriptSyncRun.summary(result))
        #expect(totals["filtered"] == 3)
        #expect(totals["copied"] == 2)
        #expect(totals["failed"] == 0)

        let inbox = try await run.account.messages(.destination, ["INBOX"])
        let copied = inbox.map { "\($0.subject ?? "") [\($0.flags.joined(separator: " "))]" }.sorted()
        #expect(copied == ["Invoice 42 [$Migrated \\Seen]", "Meeting [$Migrated]"])

        // A delta pass after new mail: only the new message is copied, and the flags the filter
        // added to earlier copies stay (they are not a source flag change to undo).
        try await run.account.append(.source, [SeedMessage(messageID: "late@u22", subject: "Late")])
        let again = try await run.tern(["sync", "--script", script, "--json"] + run.bothSides)
        #expect(again.status == 0, "\(again.stderr)")
        let delta = ScriptSyncRun.totals(try ScriptSyncRun.summary(again))
        #expect(delta["copied"] == 1)
        #expect(delta["flagsUpdated"] == 0)
        let after = try await run.account.messages(.destination, ["INBOX"])
        #expect(after.map { "\($0.subject ?? "") [\($0.flags.joined(separator: " "))]" }.sorted()
            == ["Invoice 42 [$Migrated \\Seen]", "Late [$Migrated]", "Meeting [$Migrated]"])

        // Verification runs the same filter: the skipped messages are excluded, not missing,
        // and $Migrated is expected. Without the script the three skipped ones are missing.
        let verified = try await run.tern(["verify", "--script", script] + run.bothSides)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("source and destination match"), "\(verified.stdout)")
        let unfiltered = try await run.tern(["verify"] + run.bothSides)
        #expect(unfiltered.status == 3, "\(unfiltered.stdout)")
    }

    /// A filter that spends its whole instruction budget on every message: the summary names
    /// the script, the line and the budget once (not just "N filter-error"), and --max-errors
    /// stops the mailbox at the limit instead of grinding through every message.
    @Test func filterFailingOnEveryMessageStopsAtMaxErrorsAndSaysWhy() async throws {
        let run = try await ScriptSyncRun(user: "u69")
        try await run.account.seed(.source, (1...40).map { SeedMessage(messageID: "spin-\($0)@u69", subject: "m\($0)") })
        let spin = try run.write("spin.lua", """
            function filter_message(m)
              while true do end
            end
            """)
        let result = try await run.tern(["sync", "--script", spin, "--max-errors", "3"] + run.bothSides)
        #expect(result.status != 0, "\(result.stdout)")
        #expect(result.stdout.contains("Failed messages: 4 filter-error"), "\(result.stdout)")
        let first = result.stdout.split(separator: "\n").first { $0.contains("first filter-error:") }
        #expect(first?.contains("INBOX UID ") == true, "\(result.stdout)")
        #expect(first?.contains("spin.lua:2") == true, "\(result.stdout)")
        #expect(first?.contains("instruction") == true, "\(result.stdout)")
        #expect(result.stdout.contains("--max-errors") || result.stderr.contains("--max-errors"), "\(result.stdout)")
        #expect(try await run.account.messages(.destination, ["INBOX"]).isEmpty)
    }

    /// A hook's tern.fatal stops the run the ordinary way: the mailbox ends at the next folder
    /// or batch, its state and the summary are written, and the exit code is the hook-error one
    /// (1) — not a process exit from inside the callback with nothing recorded.
    @Test func aHookThatCallsFatalStopsTheRunAndTheSummaryStillPrints() async throws {
        let run = try await ScriptSyncRun(user: "u56")
        try await run.account.seed(.source, (1...40).map {
            SeedMessage(folder: ["F\($0 % 8)"], messageID: "fatal-\($0)@u56", subject: "m\($0)")
        })
        let hook = try run.write("stop.lua", """
            function on_event(e)
              if e.kind == "mailbox_started" then tern.fatal("the ticket says stop") end
            end
            """)
        let result = try await run.tern(["sync", "--script", hook, "--max-messages-per-second", "20"] + run.bothSides)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("a hook asked to stop"), "\(result.stderr)")
        #expect(result.stdout.contains("Mailbox FAILED: stopped: a hook asked to stop"), "\(result.stdout)")
        let copied = try await run.account.allMessages(.destination).values.reduce(0) { $0 + $1.count }
        #expect(copied < 40, "the run stopped part-way (\(copied) of 40 copied)")
        // What was copied is recorded: a plain re-run copies only the rest, each message once.
        let rest = try await run.tern(["sync"] + run.bothSides)
        #expect(rest.status == 0, "\(rest.stdout)\(rest.stderr)")
        let after = try await run.account.allMessages(.destination)
        #expect(after.values.flatMap { $0 }.compactMap(\.messageID).sorted()
            == (1...40).map { "fatal-\($0)@u56" }.sorted())
    }

    @Test func failingFilterCountsTheMessageFailedAndRetryCopiesIt() async throws {
        let run = try await ScriptSyncRun(user: "u23")
        try await run.account.seed(.source, [
            SeedMessage(messageID: "one@u23", subject: "first"),
            SeedMessage(messageID: "boom@u23", subject: "explode"),
            SeedMessage(messageID: "two@u23", subject: "second"),
        ])
        let broken = try run.write("filter.lua", """
            function filter_message(m)
                if m.headers.subject == "explode" then
                    error("cannot handle this one")
                end
                return true
            end
            """)
        let logs = run.directory.appendingPathComponent("logs").path
        let result = try await run.tern(["sync", "--script", broken, "--json", "--log-dir", logs] + run.bothSides)
        #expect(result.status == 2, "\(result.stderr)")
        let summary = try ScriptSyncRun.summary(result)
        let mailbox = try #require((summary["mailboxes"] as? [[String: Any]])?.first)
        #expect(mailbox["failuresByCategory"] as? [String: Int] == ["filter-error": 1])
        let totals = ScriptSyncRun.totals(summary)
        #expect(totals["failed"] == 1)
        #expect(totals["copied"] == 2)
        #expect(totals["filtered"] == 0, "a failing filter never drops a message as filtered")
        // The failure names the script's file and line, in the event stream and the mailbox log.
        let failedEvent = result.stdout.split(separator: "\n").first { $0.contains("filter-error") }
        #expect(failedEvent?.contains("filter.lua:3:") == true, "\(result.stdout)")
        let logText = try ScriptSyncRun.readLogs(logs)
        #expect(logText.contains("filter-error"), "\(logText)")
        #expect(logText.contains("filter.lua:3: cannot handle this one"), "\(logText)")
        #expect(try await run.account.messages(.destination, ["INBOX"]).compactMap(\.subject).sorted()
            == ["first", "second"])

        // A plain re-run keeps it in the ledger (still exit 2) without copying anything twice.
        let rerun = try await run.tern(["sync", "--script", broken, "--json"] + run.bothSides)
        #expect(rerun.status == 2, "\(rerun.stderr)")
        #expect(ScriptSyncRun.totals(try ScriptSyncRun.summary(rerun))["copied"] == 0)

        // Fixed script + --retry-failed: exactly that message is copied and the ledger is empty.
        let fixed = try run.write("filter.lua", "function filter_message(m) return true end\n")
        let retry = try await run.tern(["sync", "--script", fixed, "--retry-failed", "--json"] + run.bothSides)
        #expect(retry.status == 0, "\(retry.stdout)\n\(retry.stderr)")
        let retried = try ScriptSyncRun.summary(retry)
        #expect(ScriptSyncRun.totals(retried)["copied"] == 1)
        #expect((retried["mailboxes"] as? [[String: Any]])?.first?["failuresByCategory"] as? [String: Int] == [:])
        #expect(try await run.account.messages(.destination, ["INBOX"]).compactMap(\.subject).sorted()
            == ["explode", "first", "second"])
    }

    @Test func retriedMessageThatTheFixedFilterSkipsLeavesTheLedger() async throws {
        let run = try await ScriptSyncRun(user: "u30")
        try await run.account.seed(.source, [
            SeedMessage(messageID: "keep@u30", subject: "keep"),
            SeedMessage(messageID: "boom@u30", subject: "explode"),
        ])
        let broken = try run.write("filter.lua", """
            function filter_message(m)
                if m.headers.subject == "explode" then error("no") end
            end
            """)
        await #expect(try run.tern(["sync", "--script", broken] + run.bothSides).status == 2)
        // The operator decides the message should not move after all: the fixed filter skips it.
        let fixed = try run.write("filter.lua", """
            function filter_message(m) return m.headers.subject ~= "explode" end
            """)
        let retry = try await run.tern(["sync", "--script", fixed, "--retry-failed", "--json"] + run.bothSides)
        #expect(retry.status == 0, "\(retry.stdout)\n\(retry.stderr)")
        let summary = try ScriptSyncRun.summary(retry)
        #expect(ScriptSyncRun.totals(summary)["filtered"] == 1)
        #expect((summary["mailboxes"] as? [[String: Any]])?.first?["failuresByCategory"] as? [String: Int] == [:])
        let next = try await run.tern(["sync", "--script", fixed] + run.bothSides)
        #expect(next.status == 0, "\(next.stdout)\n\(next.stderr)")
        #expect(try await run.account.messages(.destination, ["INBOX"]).compactMap(\.subject) == ["keep"])
    }

    // MARK: - Hooks

    @Test func hooksReportEveryMailboxOfABatchToTheHTTPSink() async throws {
        let first = try await ScriptSyncRun(user: "u24")
        let second = try await ScriptSyncRun(user: "u25")
        try await first.account.seed(.source, [
            SeedMessage(messageID: "a@u24", subject: "a"),
            SeedMessage(messageID: "b@u24", subject: "b"),
            SeedMessage(folder: ["Work"], messageID: "c@u24", subject: "c"),
        ])
        try await second.account.seed(.source, [SeedMessage(messageID: "d@u25", subject: "d")])
        try ScriptSyncRun.startSink()
        let prefix = "/scriptsync-\(UUID().uuidString)"
        // The failing hook runs first: its errors must neither stop the copy nor the next hook.
        let failing = try first.write("failing-hook.lua", """
            function on_event(e)
                error("this hook is broken")
            end
            """)
        let hook = try first.write("hook.lua", """
            local base = tern.env("TERN_SCRIPTSYNC_SINK")
            function on_event(e)
                local r, err = tern.http.request{ method = "POST", url = base .. "/" .. e.kind,
                    headers = { ["Content-Type"] = "application/json" },
                    body = tern.json.encode({ kind = e.kind, mailbox = e.mailbox or tern.json.null,
                        folder = e.folder or tern.json.null, counts = e.counts or tern.json.null }) }
                if not r then error(err) end
            end
            """)
        let csv = try first.write("users.csv", "u24,u24-pw-1,u24,u24-pw-1\nu25,u25-pw-1,u25,u25-pw-1\n")
        let result = try await first.tern(["batch", csv, "--parallel", "2", "--script", failing, "--script", hook,
                                     "--allow-env", "TERN_SCRIPTSYNC_SINK", "--json"] + first.hosts,
                                    environment: ["TERN_SCRIPTSYNC_SINK": ScriptSyncRun.sinkURL + prefix])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(try await first.account.count(.destination, ["INBOX"]) == 2)
        #expect(try await first.account.count(.destination, ["Work"]) == 1)
        #expect(try await second.account.count(.destination, ["INBOX"]) == 1)

        let records = try ScriptSyncRun.sinkRecords(under: prefix)
        let events = records.compactMap { record -> [String: Any]? in
            (try? JSONSerialization.jsonObject(with: Data((record["body"] as? String ?? "").utf8))) as? [String: Any]
        }
        func of(_ kind: String, _ mailbox: String? = nil) -> [[String: Any]] {
            events.filter { $0["kind"] as? String == kind && (mailbox == nil || $0["mailbox"] as? String == mailbox) }
        }
        let u24 = "u24@localhost:\(first.account.env.source.tlsPort)"
        let u25 = "u25@localhost:\(first.account.env.source.tlsPort)"
        #expect(of("mailbox_started", u24).count == 1, "\(events)")
        #expect(of("mailbox_started", u25).count == 1, "\(events)")
        #expect(of("mailbox_finished", u24).count == 1)
        #expect(of("mailbox_finished", u25).count == 1)
        #expect((of("mailbox_finished", u24).first?["counts"] as? [String: Any])?["copied"] as? Int == 3)
        #expect((of("mailbox_finished", u25).first?["counts"] as? [String: Any])?["copied"] as? Int == 1)
        let u24Folders = Dictionary(of("folder_done", u24).map { ($0["folder"] as? String ?? "?", $0) }) { a, _ in a }
        #expect((u24Folders["INBOX"]?["counts"] as? [String: Any])?["copied"] as? Int == 2, "\(u24Folders)")
        #expect((u24Folders["Work"]?["counts"] as? [String: Any])?["copied"] as? Int == 1, "\(u24Folders)")
        #expect((of("folder_done", u25).first { $0["folder"] as? String == "INBOX" }?["counts"] as? [String: Any])?["copied"]
            as? Int == 1)
        let batch = of("batch_finished")
        #expect(batch.count == 1)
        #expect((batch.first?["counts"] as? [String: Any])?["copied"] as? Int == 4)
        #expect(records.allSatisfy { ($0["path"] as? String)?.hasPrefix(prefix + "/") == true })
    }

    // MARK: - Environment

    @Test func envIsReadableOnlyWithAllowEnv() async throws {
        let run = try await ScriptSyncRun(user: "u26")
        try await run.account.seed(.source, [SeedMessage(folder: ["Projects"], messageID: "p@u26", subject: "p")])
        let before = try await run.account.allMessages(.destination)
        let script = try run.write("env.lua", """
            local target = tern.env("TERN_SCRIPTSYNC_TARGET")
            function map_folder(f)
                if f.name == "Projects" then return target end
            end
            """)
        let environment = ["TERN_SCRIPTSYNC_TARGET": "FromEnv"]
        let refused = try await run.tern(["sync", "--script", script] + run.bothSides, environment: environment)
        #expect(refused.status == 20, "\(refused.stderr)")
        #expect(refused.stderr.contains("env.lua:1:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-env TERN_SCRIPTSYNC_TARGET"), "\(refused.stderr)")
        #expect(try await run.account.allMessages(.destination) == before)

        let allowed = try await run.tern(["sync", "--script", script, "--allow-env", "TERN_SCRIPTSYNC_TARGET"] + run.bothSides,
            environment: environment)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try await run.account.messages(.destination, ["FromEnv"]).compactMap(\.subject) == ["p"])
        #expect(try await run.account.folders(.destination).contains { $0.portableName == "Projects" } == false)
    }
}

/// One test's account, scratch folder and command lines for `tern sync` against the local pair.
struct ScriptSyncRun {
    let account: AccountFixture
    let directory: URL

    init(user: String) async throws {
        account = try AccountFixture(user: user)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-scriptsync-\(user)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await account.wipe()
    }

    var passwordFile: String { account.env.directory + "/secrets/\(account.user).pw" }
    var state: String { directory.appendingPathComponent("state.sqlite").path }

    /// Both servers' host, port and CA (for `batch`, where users come from the file).
    var hosts: [String] {
        ["--host1", "localhost", "--port1", String(account.env.source.tlsPort), "--ca-file1", account.env.ca,
         "--host2", "localhost", "--port2", String(account.env.destination.tlsPort), "--ca-file2", account.env.ca,
         "--state", state]
    }

    var bothSides: [String] { source + destination + ["--state", state] }

    var source: [String] {
        ["--host1", "localhost", "--port1", String(account.env.source.tlsPort), "--ca-file1", account.env.ca,
         "--user1", account.user, "--password-file1", passwordFile]
    }

    var destination: [String] {
        ["--host2", "localhost", "--port2", String(account.env.destination.tlsPort), "--ca-file2", account.env.ca,
         "--user2", account.user, "--password-file2", passwordFile]
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs the built `tern` as a user would.
    func tern(_ arguments: [String], environment: [String: String] = [:]) async throws -> TernBinary.Outcome {
        try await TernBinary.run(arguments, environment: environment)
    }

    /// The last `--json` line.
    static func summary(_ outcome: TernBinary.Outcome) throws -> [String: Any] {
        let last = try #require(outcome.stdout.split(separator: "\n").last, "no output; stderr: \(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "summary")
        return object
    }

    static func totals(_ summary: [String: Any]) -> [String: Int] {
        (summary["totals"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    }

    /// The first mailbox's folder reports by source name.
    static func folderReports(_ summary: [String: Any]) throws -> [String: [String: Any]] {
        let mailbox = try #require((summary["mailboxes"] as? [[String: Any]])?.first)
        let folders = mailbox["folders"] as? [[String: Any]] ?? []
        return Dictionary(folders.map { ($0["source"] as? String ?? "", $0) }) { first, _ in first }
    }

    static func readLogs(_ directory: String) throws -> String {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        return try files.map { try String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
    }

    // MARK: HTTP sink

    static let sinkURL = "http://127.0.0.1:18080"

    static func startSink() throws {
        try TestEnvironment.runScript("scripts/testenv/httpsink.sh", arguments: ["start"])
    }

    static func sinkRecords(under prefix: String) throws -> [[String: Any]] {
        let path = (ProcessInfo.processInfo.environment["TERN_TESTENV_DIR"] ?? "/tmp/tern-testenv")
            + "/httpsink/requests.jsonl"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.filter { ($0["path"] as? String)?.hasPrefix(prefix) == true }
    }
}
