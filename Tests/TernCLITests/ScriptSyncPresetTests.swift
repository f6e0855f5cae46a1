import Foundation
import Testing
import TernTestSupport

/// Presets and broken scripts in real runs: a broken preset or script stops `tern` before any
/// connection (exit 20, `file:line`, nothing on the destination); shipped and operator presets
/// fill in what the command line leaves out, and explicit options win.
@Suite struct ScriptSyncPresetTests {
    @Test func brokenPresetsAndScriptsStopBeforeAnyConnection() async throws {
        let run = try await ScriptSyncRun(user: "u27")
        try await run.account.seed(.source, [
            SeedMessage(messageID: "m@u27", subject: "m"),
            SeedMessage(folder: ["Projects"], messageID: "p@u27", subject: "p"),
        ])
        let before = try await run.account.allMessages(.destination)
        let brokenPreset = try run.write("broken.lua", """
            return {
                name = "broken",
                description = "a preset with a wrong type",
                imap = {
                    host = "localhost",
                    port = "not a number",
                },
            }
            """)
        let syntax = try run.write("syntax.lua", """
            function map_folder(f)
                return f.name ..
            end
            """)
        let execute = try run.write("execute.lua", """
            local ok = true
            os.execute("touch /tmp/tern-scriptsync-pwned")
            function map_folder(f) return nil end
            """)
        let loop = try run.write("loop.lua", """
            local n = 0
            while true do n = n + 1 end
            function filter_message(m) return true end
            """)
        let global = try run.write("global.lua", """
            counter = 0
            function filter_message(m) return true end
            """)

        let cases: [(String, [String], String)] = [
            ("preset", ["--preset1", brokenPreset], "broken.lua:6:"),
            ("syntax error", ["--script", syntax], "syntax.lua:3:"),
            ("os.execute", ["--script", execute], "execute.lua:2:"),
            ("endless loop", ["--script", loop], "loop.lua:2:"),
            ("undeclared global", ["--script", global], "global.lua:1:"),
        ]
        for (label, extra, location) in cases {
            let result = try await run.tern(["sync"] + extra + run.bothSides)
            #expect(result.status == 20, "\(label): \(result.stdout)\n\(result.stderr)")
            #expect(result.stderr.contains(location), "\(label): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 3, "\(label): \(result.stderr)")
        }
        // The same checks guard `tern batch`.
        let csv = try run.write("users.csv", "u27,u27-pw-1,u27,u27-pw-1\n")
        let batch = try await run.tern(["batch", csv, "--script", syntax] + run.hosts)
        #expect(batch.status == 20, "\(batch.stderr)")
        #expect(batch.stderr.contains("syntax.lua:3:"), "\(batch.stderr)")

        #expect(!FileManager.default.fileExists(atPath: "/tmp/tern-scriptsync-pwned"))
        #expect(try await run.account.allMessages(.destination) == before)
    }

    @Test func probeTakesWhatTheDovecotPresetKnowsAndExplicitOptionsWin() async throws {
        let run = try await ScriptSyncRun(user: "u28")
        let env = run.account.env
        let common = ["--ca-file", env.ca, "--user", "u28", "--password-file", run.passwordFile]
        // Explicit --host and --port win over the preset's mail.<domain>:993.
        let probe = try await run.tern(["probe", "--preset", "dovecot", "--host", "localhost",
                                  "--port", String(env.source.tlsPort), "--json"] + common)
        #expect(probe.status == 0, "\(probe.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any]
        #expect(report?["separator"] as? String == ".")
        #expect((report?["server"] as? [String: Any])?["certificateVerified"] as? Bool == true)

        // Without --port the preset's 993 is used (nothing listens there locally: connect fails).
        let presetPort = try await run.tern(["probe", "--preset", "dovecot", "--host", "localhost",
                                       "--connect-timeout", "3"] + common)
        #expect(presetPort.status == 10, "\(presetPort.stderr)")
        #expect(presetPort.stderr.contains("993"), "\(presetPort.stderr)")

        // Without --host the preset needs a domain in the user name to name the host.
        let noHost = try await run.tern(["probe", "--preset", "dovecot"] + common)
        #expect(noHost.status == 64, "\(noHost.stderr)")
        #expect(noHost.stderr.contains("--host"), "\(noHost.stderr)")
    }

    @Test func presetSuppliesTheServerAndItsFolderSkipsInSync() async throws {
        let run = try await ScriptSyncRun(user: "u29")
        let env = run.account.env
        try await run.account.seed(.source, [
            SeedMessage(messageID: "i@u29", subject: "inbox"),
            SeedMessage(folder: ["Keep"], messageID: "k@u29", subject: "keep"),
            SeedMessage(folder: ["Old Stuff"], messageID: "o@u29", subject: "old"),
        ])
        let preset = try run.write("local-source.lua", """
            -- The local test source: everything the command line would otherwise say.
            return {
                name = "local-source",
                description = "The local Dovecot source of the test environment",
                imap = { host = "localhost", port = \(env.source.tlsPort), tls = "implicit", auth = { "plain" } },
                folders = { skip = { "Old Stuff" } },
            }
            """)
        let result = try await run.tern(["sync", "--preset1", preset, "--ca-file1", env.ca, "--user1", "u29",
                                   "--password-file1", run.passwordFile, "--json"] + run.destination + ["--state", run.state])
        #expect(result.status == 0, "\(result.stderr)")
        let folders = try ScriptSyncRun.folderReports(try ScriptSyncRun.summary(result))
        #expect((folders["Old Stuff"]?["outcome"] as? String)?.contains("skipped by the preset") == true,
            "\(folders["Old Stuff"] ?? [:])")
        let destination = try await run.account.allMessages(.destination)
        #expect(destination["Old Stuff"] == nil)
        #expect(destination["Keep"]?.compactMap(\.subject) == ["keep"])
        #expect(destination["INBOX"]?.compactMap(\.subject) == ["inbox"])

        // A shipped preset (cpanel: same server type, no skips) with explicit host and port:
        // the same account key, so a delta pass that copies nothing; Old Stuff now follows.
        let cpanel = try await run.tern(["sync", "--preset1", "cpanel", "--json"] + run.bothSides)
        #expect(cpanel.status == 0, "\(cpanel.stderr)")
        let totals = ScriptSyncRun.totals(try ScriptSyncRun.summary(cpanel))
        #expect(totals["copied"] == 1, "only Old Stuff, which cpanel does not skip")
        #expect(try await run.account.count(.destination, ["Old Stuff"]) == 1)
    }

    /// An installed `tern` run from PATH (argv[0] is just "tern") finds the presets shipped in
    /// `<prefix>/share/tern/presets/providers` next to it, whatever the working directory.
    @Test func installedTernOnPathFindsItsSharedPresets() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-scriptsync-prefix-\(UUID().uuidString)")
        let bin = root.appendingPathComponent("bin")
        let providers = root.appendingPathComponent("share/tern/presets/providers")
        let elsewhere = root.appendingPathComponent("home/work")  // not a sibling of bin/
        for folder in [bin, providers, elsewhere] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: root) }
        let installed = bin.appendingPathComponent("tern")
        do {
            try FileManager.default.linkItem(atPath: TernBinary.path, toPath: installed.path)
        } catch {
            try FileManager.default.copyItem(atPath: TernBinary.path, toPath: installed.path)
        }
        try """
            return { name = "onlyhere", description = "Shipped with this installation only",
                     imap = { host = "imap.onlyhere.example" } }
            """.write(to: providers.appendingPathComponent("onlyhere.lua"), atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tern", "preset", "show", "onlyhere"]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":/usr/bin:/bin"
        process.environment = environment
        process.currentDirectoryURL = elsewhere
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("imap.onlyhere.example"), "\(text)")
    }
}
