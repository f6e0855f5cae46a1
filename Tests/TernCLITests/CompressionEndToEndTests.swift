import Foundation
import Testing
import TernCore
import TernIMAP
import TernTLS
import TernTestSupport

/// COMPRESS=DEFLATE through the built binary: `tern sync` into the destination (which offers
/// it) copies messages byte for byte, `--no-compress2` keeps it off, `tern probe` says which.
/// User u32 only, in a folder of its own (no wipe, so other u32 tests can run alongside).
@Suite(.timeLimit(.minutes(3))) struct CompressionEndToEndTests {
    let fixture: AccountFixture
    let directory: URL

    init() throws {
        fixture = try AccountFixture(user: "u32")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-compress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Every message of a folder as Message-ID → (flags, bytes), read over its own connection.
    func contents(_ side: AccountFixture.Side, _ folderName: String) async throws -> [String: ([String], [UInt8])] {
        let folder = try #require(try await fixture.folders(side).first { $0.portableName == folderName })
        let connection = try await IMAPConnection.connect(fixture.configuration(side))
        try await connection.authenticate(fixture.credentials())
        try await connection.run(.examine(MailboxName(bytes: Array(folder.raw.utf8))))
        let fetched = try await connection.run(.uidFetch(.all, [.uid, .flags, .bodyPeek()]))
        await connection.logout()
        var result: [String: ([String], [UInt8])] = [:]
        for case .fetch(_, let attributes) in fetched.untagged {
            let bytes = Array(attributes.body() ?? [])
            let id = HeaderParser.parse(bytes[...])["message-id"] ?? "?"
            let flags = (attributes.flags ?? []).map(\.description).filter { $0 != "\\Recent" }.sorted()
            result[id] = (flags, bytes)
        }
        return result
    }

    func traceLines(_ path: String, side: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { $0.contains(" \(side) u32@") }
    }

    @Test func syncWithCompressionCopiesIdenticalMessagesAndNoCompress2TurnsItOff() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        // Folders a failed earlier run left behind (only this test uses the prefix).
        for side in [AccountFixture.Side.source, .destination] {
            for folder in try await fixture.folders(side) where folder.portableName.hasPrefix("CompressSync-") {
                try await fixture.deleteFolder(side, folder.path)
            }
        }
        let name = "CompressSync-\(UUID().uuidString.prefix(8))"
        var messages = (1...5).map { index in
            SeedMessage(folder: [name], messageID: "compress-\(index)-\(name)@tern.test", subject: "Compressed \(index)",
                flags: index % 2 == 0 ? ["\\Seen"] : [], padding: index * 3000)
        }
        messages.append(SeedMessage(folder: [name], messageID: "compress-big-\(name)@tern.test",
            subject: "Compressed big", flags: ["\\Flagged"], padding: 1_500_000))
        try await fixture.seed(.source, messages)
        let state = directory.appendingPathComponent("state.sqlite").path
        let common = try fixture.cliServerArguments(directory: directory) + [
            "--state", state, "--log-dir", directory.appendingPathComponent("logs").path,
            "--include", "^\(name)$", "--json",
        ]

        let trace = directory.appendingPathComponent("trace.txt").path
        let first = try await TernBinary.run(["sync"] + common + ["--trace", trace])
        #expect(first.status == 0, "\(first.stderr)")
        let destinationLines = try traceLines(trace, side: "destination")
        let compressAt = try #require(destinationLines.firstIndex { $0.hasSuffix(" COMPRESS DEFLATE") })
        #expect(destinationLines[compressAt + 1].contains(" S: ") && destinationLines[compressAt + 1].contains(" OK "))
        // The trace after the switch is readable IMAP (APPEND lines), never compressed bytes.
        #expect(destinationLines[(compressAt + 1)...].contains { $0.contains(" C: ") && $0.contains(" APPEND ") })
        #expect(!(try traceLines(trace, side: "source")).contains { $0.contains("COMPRESS") })
        #expect(!(try String(contentsOfFile: trace, encoding: .utf8)).contains(fixture.password))

        let source = try await contents(.source, name)
        let destination = try await contents(.destination, name)
        #expect(source.count == 6)
        #expect(Set(destination.keys) == Set(source.keys))
        for (id, (flags, bytes)) in source {
            #expect(destination[id]?.1 == bytes, "message \(id) differs after a compressed copy")
            #expect(destination[id]?.0 == flags, "flags of \(id)")
        }

        // A second pass with compression off on the destination: no COMPRESS on the wire, same result.
        try await fixture.append(.source, [SeedMessage(folder: [name], messageID: "compress-late-\(name)@tern.test",
            subject: "Late", padding: 40_000)])
        let plainTrace = directory.appendingPathComponent("trace-plain.txt").path
        let second = try await TernBinary.run(["sync"] + common + ["--trace", plainTrace, "--no-compress2"])
        #expect(second.status == 0, "\(second.stderr)")
        let plainLines = try traceLines(plainTrace, side: "destination")
        #expect(plainLines.contains { $0.contains(" APPEND ") })
        #expect(plainLines.contains { $0.contains("COMPRESS=DEFLATE") }, "offered by the server")
        #expect(!plainLines.contains { $0.contains(" COMPRESS DEFLATE") }, "but not asked for")
        #expect(try await contents(.destination, name).count == 7)
        try await fixture.deleteFolder(.source, [name])
        try await fixture.deleteFolder(.destination, [name])
    }

    @Test func probeSaysWhetherCompressionIsOn() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwordFile = try fixture.passwordFile(in: directory, name: "u32.pw")
        let base = ["probe", "--host", "localhost", "--port", String(fixture.env.destination.tlsPort),
                    "--ca-file", fixture.env.ca, "--user", "u32", "--password-file", passwordFile]
        let on = try await TernBinary.run(base)
        #expect(on.status == 0, "\(on.stderr)")
        #expect(on.stdout.contains("Compression DEFLATE"))
        let off = try await TernBinary.run(base + ["--no-compress", "--json"])
        #expect(off.status == 0, "\(off.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(off.stdout.utf8)) as? [String: Any]
        let server = report?["server"] as? [String: Any]
        #expect(server != nil)
        #expect(server?["compression"] == nil, "--no-compress: no compression in the report")
        #expect((server?["capabilities"] as? [String])?.contains("COMPRESS=DEFLATE") == true)
        let source = try await TernBinary.run(["probe", "--host", "localhost", "--port", String(fixture.env.source.tlsPort),
            "--ca-file", fixture.env.ca, "--user", "u32", "--password-file", passwordFile])
        #expect(source.status == 0, "\(source.stderr)")
        #expect(source.stdout.contains("Compression off (not offered)"))
    }
}
