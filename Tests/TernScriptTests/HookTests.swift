import Foundation
import Synchronization
import Testing
@testable import TernScript
import TernCore

/// Hook and `tern.http` tests against the local HTTP sink (`scripts/testenv/httpsink.sh`),
/// started here if it is not running. Each test uses its own path prefix to find its records.
@Suite(.serialized) struct HookTests {
    static let sinkURL = "http://127.0.0.1:18080"
    static var logPath: String {
        (ProcessInfo.processInfo.environment["TERN_TESTENV_DIR"] ?? "/tmp/tern-testenv") + "/httpsink/requests.jsonl"
    }

    static func startSink() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [LuaTest.repositoryRoot.appendingPathComponent("scripts/testenv/httpsink.sh").path, "start"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }

    static func records(under prefix: String) throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.filter { ($0["path"] as? String)?.hasPrefix(prefix) == true }
    }

    static func hooks(_ example: String, env: [String: String]) async throws -> LuaHooks {
        let options = LuaTest.options(allowEnv: Set(env.keys), environment: env)
        let path = LuaTest.repositoryRoot.appendingPathComponent("presets/examples/\(example)").path
        let set = try await ScriptSet.load(paths: [path], options: options)
        return try #require(set.makeHooks())
    }

    static var finished: MigrationEvent {
        var counts = MigrationEvent.Counts()
        counts.copied = 41
        counts.failed = 1
        return MigrationEvent(.mailboxFinished, mailbox: "alice@example.com", counts: counts, seconds: 12.5)
    }

    @Test func httpRequestRoundTrip() async throws {
        try Self.startSink()
        let prefix = "/t-\(UUID().uuidString)"
        let results = try await LuaTest.run("""
            local r = assert(tern.http.request{method = "POST", url = "\(Self.sinkURL)\(prefix)/x?q=1",
                headers = {["X-Test"] = "yes"}, body = '{"a":1}'})
            local c = assert(tern.http.request{url = "\(Self.sinkURL)/chunked"})
            local s = assert(tern.http.request{url = "\(Self.sinkURL)/status/404"})
            return r.status, tern.json.decode(r.body).received, r.headers["content-type"],
                tern.json.decode(c.body).path, s.status
            """)
        #expect(results == [200, 7, "application/json", "/chunked", 404])
        let record = try #require(try Self.records(under: prefix).first)
        #expect(record["method"] as? String == "POST")
        #expect(record["query"] as? String == "q=1")
        #expect((record["headers"] as? [String: String])?["x-test"] == "yes")
    }

    @Test func httpTimeoutIsReported() async throws {
        try Self.startSink()
        let results = try await LuaTest.run("return tern.http.request{url = '\(Self.sinkURL)/slow', timeout = 0.5}")
        #expect(results.first == .nilValue)
        #expect(results.last?.stringValue?.contains("within 0.5 s") == true, "\(results)")
    }

    @Test func webhookHookPostsEveryEvent() async throws {
        try Self.startSink()
        let prefix = "/hook-\(UUID().uuidString)"
        let hooks = try await Self.hooks("hook-webhook.lua", env: ["WEBHOOK_URL": Self.sinkURL + prefix])
        let start = ContinuousClock.now
        hooks.emit(MigrationEvent(.mailboxStarted, mailbox: "alice@example.com"))
        hooks.emit(MigrationEvent(.progress, mailbox: "alice@example.com")) // not a hook event
        hooks.emit(Self.finished)
        #expect(ContinuousClock.now - start < .milliseconds(50), "emit must not wait for the hook")
        #expect(await hooks.drain(timeout: .seconds(10)))
        await hooks.finish()
        #expect(hooks.statistics == LuaHooks.Statistics(pending: 0, delivered: 2, failed: 0))
        let records = try Self.records(under: prefix)
        #expect(records.count == 2)
        let body = try #require(records.last?["body"] as? String)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(json["kind"] as? String == "mailbox_finished")
        #expect(json["mailbox"] as? String == "alice@example.com")
        #expect((json["counts"] as? [String: Any])?["copied"] as? Int == 41)
    }

    @Test func slackHookPostsText() async throws {
        try Self.startSink()
        let prefix = "/slack-\(UUID().uuidString)"
        let hooks = try await Self.hooks("hook-slack.lua", env: ["SLACK_WEBHOOK_URL": Self.sinkURL + prefix])
        hooks.emit(Self.finished)
        hooks.emit(MigrationEvent(.mailboxFailed, mailbox: "bob@example.com", message: "auth failed"))
        await hooks.flush()
        await hooks.finish()
        let bodies = try Self.records(under: prefix).compactMap { $0["body"] as? String }
        #expect(bodies.count == 2)
        #expect(bodies.first?.contains("alice@example.com migrated: 41 copied") == true, "\(bodies)")
        #expect(bodies.last?.contains("bob@example.com failed: auth failed") == true)
    }

    @Test func jiraHookCommentsWithBasicAuth() async throws {
        try Self.startSink()
        let prefix = "/jira-\(UUID().uuidString)"
        let hooks = try await Self.hooks("hook-jira.lua", env: [
            "JIRA_URL": Self.sinkURL + prefix, "JIRA_USER": "ops@example.com", "JIRA_TOKEN": "tok", "JIRA_ISSUE": "MIG-7",
        ])
        hooks.emit(Self.finished)
        await hooks.flush()
        await hooks.finish()
        #expect(hooks.statistics.failed == 0)
        let record = try #require(try Self.records(under: prefix).first)
        #expect(record["path"] as? String == prefix + "/rest/api/2/issue/MIG-7/comment")
        let auth = (record["headers"] as? [String: String])?["authorization"]
        #expect(auth == "Basic " + Data("ops@example.com:tok".utf8).base64EncodedString())
        #expect((record["body"] as? String)?.contains("41 copied") == true)
    }

    @Test func zendeskHookOpensTicketOnFailure() async throws {
        try Self.startSink()
        let prefix = "/zd-\(UUID().uuidString)"
        let hooks = try await Self.hooks("hook-zendesk.lua", env: [
            "ZENDESK_URL": Self.sinkURL + prefix, "ZENDESK_EMAIL": "ops@example.com", "ZENDESK_TOKEN": "t",
        ])
        hooks.emit(Self.finished) // ignored by this hook
        hooks.emit(MigrationEvent(.mailboxFailed, mailbox: "bob@example.com", message: "quota exceeded"))
        await hooks.flush()
        await hooks.finish()
        let records = try Self.records(under: prefix)
        #expect(records.count == 1)
        #expect(records.first?["path"] as? String == prefix + "/api/v2/tickets.json")
        #expect((records.first?["body"] as? String)?.contains("quota exceeded") == true)
        #expect(hooks.statistics.failed == 0)
    }

    @Test func serviceNowHookCreatesIncidents() async throws {
        try Self.startSink()
        let prefix = "/sn-\(UUID().uuidString)"
        let hooks = try await Self.hooks("hook-servicenow.lua", env: ["SN_URL": Self.sinkURL + prefix, "SN_TOKEN": "abc"])
        hooks.emit(MigrationEvent(.mailboxFailed, mailbox: "bob@example.com", message: "tls failed"))
        hooks.emit(MigrationEvent(.batchFinished, counts: MigrationEvent.Counts()))
        await hooks.flush()
        await hooks.finish()
        let records = try Self.records(under: prefix)
        #expect(records.count == 2)
        #expect((records.first?["headers"] as? [String: String])?["authorization"] == "Bearer abc")
        #expect(hooks.statistics == LuaHooks.Statistics(pending: 0, delivered: 2, failed: 0))
    }

    @Test func hookErrorsAreCountedAndLoggedNotFatal() async throws {
        try Self.startSink()
        let log = CapturedLog()
        let prefix = "/err-\(UUID().uuidString)"
        let options = LuaTest.options(log: log, allowEnv: ["WEBHOOK_URL"], environment: ["WEBHOOK_URL": Self.sinkURL + "/status/500" + prefix])
        let path = LuaTest.repositoryRoot.appendingPathComponent("presets/examples/hook-webhook.lua").path
        let loaded = try await ScriptSet.load(paths: [path], options: options)
        let hooks = try #require(loaded.makeHooks())
        hooks.emit(Self.finished)
        hooks.emit(Self.finished)
        await hooks.flush()
        await hooks.finish()
        #expect(hooks.statistics.failed == 2)
        #expect(hooks.fatalError == nil)
        #expect(log.all.contains { $0.contains("webhook answered 500") && $0.contains("hook-webhook.lua:15") }, "\(log.all)")
    }

    @Test func fatalStopsTheRunOnce() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tern-fatal-\(UUID()).lua").path
        try "function on_event(e)\n  pcall(tern.fatal, 'ticket system down')\nend".write(toFile: file, atomically: true,
                                                                                          encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let calls = CallCounter()
        let set = try await ScriptSet.load(paths: [file], options: LuaTest.options())
        let maybeHooks = set.makeHooks(onFatal: { _ in calls.increment() })
        let hooks = try #require(maybeHooks)
        hooks.emit(Self.finished)
        hooks.emit(Self.finished)
        await hooks.flush()
        await hooks.finish()
        #expect(calls.value == 1)
        #expect(hooks.fatalError?.message.contains("ticket system down") == true)
    }
}

final class CallCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// The hook queue is bounded: a hook slower than the events never grows memory without end.
@Suite struct HookQueueBoundTests {
    @Test func aSlowHookDropsFolderEventsFirstAndCountsWhatItDropped() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tern-slow-\(UUID()).lua").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        // Busy for a while on the first event, so everything after it queues.
        try "function on_event(e)\n  local x = 0\n  for i = 1, 3000000 do x = x + i end\nend\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let scripts = try await ScriptSet.load(paths: [file], options: ScriptOptions())
        let hooks = try #require(scripts.makeHooks(queueLimit: 10))
        // 6 folder events, then 4 mailbox ones, against a queue of 10 held by a busy hook:
        // past half (5) a folder event gives way, so exactly one is dropped and all 4
        // milestones wait. (Without the rule all 10 would queue; without the bound none drop.)
        for _ in 0..<6 { hooks.emit(MigrationEvent(.folderDone, mailbox: "m", folder: "f")) }
        for _ in 0..<4 { hooks.emit(MigrationEvent(.mailboxFinished, mailbox: "m")) }
        let seen = hooks.statistics
        #expect(seen.dropped == 1, "\(seen)")
        #expect(seen.pending == 9, "\(seen)")
        for _ in 0..<5 { hooks.emit(MigrationEvent(.mailboxFinished, mailbox: "m")) }
        #expect(hooks.statistics.dropped == 5, "at the bound even milestones are counted and dropped")
        await hooks.flush()
        await hooks.finish()
        let done = hooks.statistics
        #expect(done.delivered + done.dropped == 15, "\(done)")
    }
}
