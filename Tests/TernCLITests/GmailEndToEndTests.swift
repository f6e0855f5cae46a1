import Foundation
import Testing
import TernTestSupport

/// A Gmail source through the emulation (`scripts/testenv/gmail.sh`: X-GM-EXT-1 in front of the
/// destination Dovecot, labels read from the folders that hold each message). The Gmail
/// accounts are seeded as Gmail shows them over IMAP: one copy of a message in each of its
/// label folders, every message but Spam and Trash in All Mail.
@Suite struct GmailEndToEndTests {
    static let port = ProcessInfo.processInfo.environment["TERN_GMAIL_PORT"].flatMap(Int.init) ?? 34993

    /// Each message once per folder Gmail lists it in.
    static func gmailSeed(prefix: String) -> [SeedMessage] {
        let all = [prefix, "All Mail"]
        func message(_ id: String, _ folders: [[String]], flags: [String] = []) -> [SeedMessage] {
            folders.map { SeedMessage(folder: $0, messageID: "\(id)@gmail.test", subject: "Gmail \(id)", flags: flags) }
        }
        return message("inbox-only", [["INBOX"], all])
            + message("inbox-work-family", [["INBOX"], ["Work"], ["Family"], all], flags: ["\\Seen"])
            + message("archived", [all], flags: ["\\Seen"])
            + message("work-projectx", [["Work"], ["Project X"], all])
            + message("sent", [[prefix, "Sent Mail"], all], flags: ["\\Seen"])
            + message("draft", [[prefix, "Drafts"], all], flags: ["\\Draft"])
            + message("starred-important", [["INBOX"], [prefix, "Starred"], [prefix, "Important"], all],
                      flags: ["\\Flagged"])
            + message("spam", [[prefix, "Spam"]])
            + message("trash", [[prefix, "Trash"]], flags: ["\\Seen"])
            + message("equipe", [["Équipe"], all])
            + message("archived-starred", [[prefix, "Starred"], all], flags: ["\\Flagged"])
            + message("nested", [["Work", "Projects"], all])
    }

    static func arguments(source: AccountFixture, destination: AccountFixture, directory: URL,
                          state: String = "state.sqlite") throws -> [String] {
        let env = source.env
        return [
            "--host1", "127.0.0.1", "--port1", String(port), "--tls1", "implicit", "--ca-file1", env.ca,
            "--tls-server-name1", "localhost", "--user1", source.user,
            "--password-file1", try source.passwordFile(in: directory, name: "\(source.user).pw"),
            "--host2", "127.0.0.1", "--port2", String(env.destination.tlsPort), "--tls2", "implicit",
            "--ca-file2", env.ca, "--tls-server-name2", "localhost", "--user2", destination.user,
            "--password-file2", try destination.passwordFile(in: directory, name: "\(destination.user).pw"),
            "--state", directory.appendingPathComponent(state).path,
            "--log-dir", directory.appendingPathComponent("logs").path,
        ]
    }

    /// Folder → [message id stem: sorted flags], every selectable folder of the destination.
    static func destinationMail(_ account: AccountFixture) async throws -> [String: [String: [String]]] {
        var result: [String: [String: [String]]] = [:]
        for (folder, messages) in try await account.allMessages(.destination) where !messages.isEmpty {
            var byID: [String: [String]] = [:]
            for message in messages {
                let stem = (message.messageID ?? "?").replacingOccurrences(of: "@gmail.test", with: "")
                #expect(byID[stem] == nil, "\(stem) twice in \(folder)")
                byID[stem] = message.flags
            }
            result[folder] = byID
        }
        return result
    }

    /// Every mailbox log in a folder, concatenated.
    static func logs(in folder: URL) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined()
    }

    /// A fresh Gmail account seeded with this locale's prefix, an empty target, and a work folder.
    static func prepare(gmail: AccountFixture, target: AccountFixture, prefix: String) async throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-gmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await gmail.wipe(.destination)
        try await target.wipe(.destination)
        try await gmail.seed(.destination, gmailSeed(prefix: prefix))
        return directory
    }

    @Test func labelsBecomeOneCopyWithKeywords() async throws {
        let gmail = try AccountFixture(user: "u42")
        let target = try AccountFixture(user: "u43")
        let directory = try await Self.prepare(gmail: gmail, target: target, prefix: "[Gmail]")
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = try Self.arguments(source: gmail, destination: target, directory: directory)

        let first = try await TernBinary.run(["sync"] + arguments)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let expected: [String: [String: [String]]] = [
            "INBOX": ["inbox-only": [], "inbox-work-family": ["Family", "Work", "\\Seen"],
                      "starred-important": ["$Important", "\\Flagged"]],
            "Archive": ["archived": ["\\Seen"], "archived-starred": ["\\Flagged"]],
            "Project X": ["work-projectx": ["Work"]],
            "Sent": ["sent": ["\\Seen"]],
            "Drafts": ["draft": ["\\Draft"]],
            "Junk": ["spam": []],
            "Trash": ["trash": ["\\Seen"]],
            "Équipe": ["equipe": []],
            "Work/Projects": ["nested": []],
        ]
        #expect(try await Self.destinationMail(target) == expected)
        // Label folders without a message of their own exist; Gmail's views do not.
        let folders = Set(try await target.folders(.destination).map(\.portableName))
        #expect(folders.isSuperset(of: ["Work", "Family"]))
        #expect(folders.isDisjoint(with: ["[Gmail]/All Mail", "[Gmail]/Starred", "[Gmail]/Important", "Starred",
                                          "Important", "All Mail"]))
        let log = try Self.logs(in: directory.appendingPathComponent("logs"))
        #expect(log.contains("Gmail: 10 messages of All Mail placed as 10 copies"), "\(log)")
        #expect(log.contains("[Gmail]/Starred: skipped, a Gmail label"), "\(log)")

        let verified = try await TernBinary.run(["verify"] + arguments)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

        // A second run copies nothing.
        let again = try await TernBinary.run(["sync", "--json"] + arguments)
        #expect(again.status == 0, "\(again.stderr)")
        let summary = try #require(again.stdout.split(separator: "\n").last.map(String.init))
        #expect(summary.contains("\"copied\":0"), "\(summary)")

        // Labelling archived mail, and un-starring: keywords change, no second copy anywhere.
        try await gmail.seed(.destination, [SeedMessage(folder: ["Family"], messageID: "archived@gmail.test",
            subject: "Gmail archived", flags: ["\\Seen"])])
        try await gmail.delete(.destination, ["[Gmail]", "Starred"], messageIDs: ["archived-starred@gmail.test"])
        try await gmail.setFlags(.destination, ["[Gmail]", "All Mail"], messageID: "archived-starred@gmail.test", to: [])
        let relabelled = try await TernBinary.run(["sync"] + arguments)
        #expect(relabelled.status == 0, "\(relabelled.stdout)\(relabelled.stderr)")
        var changed = expected
        changed["Archive"] = ["archived": ["Family", "\\Seen"], "archived-starred": []]
        #expect(try await Self.destinationMail(target) == changed)
        let reverified = try await TernBinary.run(["verify"] + arguments)
        #expect(reverified.status == 0, "\(reverified.stdout)\(reverified.stderr)")
    }

    @Test func foldersModeAndLabelRuleOnTheGoogleMailLocale() async throws {
        let gmail = try AccountFixture(user: "u44")
        let target = try AccountFixture(user: "u45")
        let directory = try await Self.prepare(gmail: gmail, target: target, prefix: "[Google Mail]")
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = try Self.arguments(source: gmail, destination: target, directory: directory)

        // One copy in every label's folder, for destinations without keywords.
        let folders = try await TernBinary.run(["sync", "--gmail-labels", "folders"] + arguments)
        #expect(folders.status == 0, "\(folders.stdout)\(folders.stderr)")
        let copies = try await Self.destinationMail(target)
        #expect(copies["INBOX"] == ["inbox-only": [], "inbox-work-family": ["\\Seen"],
                                    "starred-important": ["$Important", "\\Flagged"]])
        #expect(copies["Work"] == ["inbox-work-family": ["\\Seen"], "work-projectx": []])
        #expect(copies["Family"] == ["inbox-work-family": ["\\Seen"]])
        #expect(copies["Archive"] == ["archived": ["\\Seen"], "archived-starred": ["\\Flagged"]])
        #expect(copies.values.reduce(0) { $0 + $1.count } == 15)
        let verified = try await TernBinary.run(["verify", "--gmail-labels", "folders"] + arguments)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

        // A label rule replaces the default order: Work wins over Inbox.
        try await target.wipe(.destination)
        let script = directory.appendingPathComponent("labels.lua")
        try """
            function map_labels(labels)
              for _, label in ipairs(labels) do
                if label == "Work" then return "Work" end
              end
              return nil
            end
            """.write(to: script, atomically: true, encoding: .utf8)
        let ruled = try Self.arguments(source: gmail, destination: target, directory: directory, state: "ruled.sqlite")
        let synced = try await TernBinary.run(["sync", "--script", script.path] + ruled)
        #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
        let placed = try await Self.destinationMail(target)
        #expect(placed["Work"] == ["inbox-work-family": ["Family", "\\Seen"], "work-projectx": ["Project_X"]])
        #expect(placed["INBOX"] == ["inbox-only": [], "starred-important": ["$Important", "\\Flagged"]])
        #expect(placed.values.reduce(0) { $0 + $1.count } == 12)

        // A rule naming a label the message does not have stops the mailbox with the script's place.
        try """
            function map_labels(labels) return "Nowhere" end
            """.write(to: script, atomically: true, encoding: .utf8)
        let broken = try await TernBinary.run(["sync", "--script", script.path]
            + Self.arguments(source: gmail, destination: target, directory: directory, state: "broken.sqlite"))
        #expect(broken.status != 0)
        #expect((broken.stdout + broken.stderr).contains("labels.lua"), "\(broken.stdout)\(broken.stderr)")
        #expect((broken.stdout + broken.stderr).contains("Nowhere"))
    }
}
