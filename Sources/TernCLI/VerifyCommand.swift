import ArgumentParser
import Foundation
import TernCore
import TernMigration
import TernSync

/// `tern verify`: compare source and destination folder by folder — counts, identities,
/// flags — and list what is missing or extra. Exit 0 only when they match.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare a mailbox's source and destination and report missing, extra and differing messages.",
        discussion: """
            Takes the same options as `tern sync`. Exit 0 when every folder matches, 3 when anything \
            differs. --manifest FILE writes every message's reconciliation (CSV, or JSON when FILE \
            ends in .json): source folder/UID/Message-ID/size/date → destination folder/UID, or \
            missing/extra/flag-mismatch/failed/excluded.
            """)

    @OptionGroup(title: "Source (side 1)") var source: SourceOptions
    @OptionGroup(title: "Destination (side 2)") var destination: DestinationOptions
    @OptionGroup(title: "Sync") var flags: SyncFlags

    @Option(help: "Write the per-message reconciliation manifest here (.csv or .json).")
    var manifest: String?

    func run() async throws {
        try await reportingErrors {
            let context = try await RunContext.prepare(flags: flags, mailboxes: 1)
            context.progress?.stop()
            let job = try await context.job(source: source.spec, destination: destination.spec)
            let report = try await Self.verify(job: job, context: context, manifest: manifest)
            if !report.matches { throw TernExit.mismatch }
        }
    }

    /// Verifies one mailbox through the core (which records it in the run history) and prints
    /// the result unless `quiet`.
    static func verify(job: MailboxJob, context: RunContext, manifest: String?, quiet: Bool = false) async throws
        -> VerificationReport {
        let report = try await context.runner.verify(job)
        if let manifest { try ManifestWriter.write(report, to: manifest) }
        if let json = context.json {
            json.write(VerificationSummary(report: report))
        } else if !quiet {
            print(VerificationRenderer.text(report), terminator: "")
        }
        return report
    }
}

struct VerificationSummary: Encodable {
    var kind = "verification"
    var source: String
    var destination: String
    var matches: Bool
    var folders: [Folder]

    struct Folder: Encodable {
        var source: String
        var destination: String
        var sourceCount: Int
        var destinationCount: Int
        var matched: Int
        var missing: Int
        var extra: Int
        var flagMismatches: Int
        var altered: Int
        var excluded: Int
    }

    init(report: VerificationReport) {
        source = report.source
        destination = report.destination
        matches = report.matches
        folders = report.folders.map {
            Folder(source: $0.source, destination: $0.destination, sourceCount: $0.sourceCount,
                destinationCount: $0.destinationCount, matched: $0.matched, missing: $0.missing, extra: $0.extra,
                flagMismatches: $0.flagMismatches, altered: $0.altered, excluded: $0.excluded)
        }
    }
}

enum VerificationRenderer {
    static func text(_ report: VerificationReport) -> String {
        var out = "Verification \(report.source) → \(report.destination)\n"
        let rows = report.folders.map { folder in
            [folder.source, folder.destination, String(folder.sourceCount), String(folder.destinationCount),
             String(folder.matched), String(folder.missing), String(folder.extra), String(folder.flagMismatches),
             String(folder.altered), String(folder.excluded), folder.matches ? "ok" : "DIFFERS"]
        }
        out += ProbeRenderer.table(
            header: ["Folder", "Destination", "Source", "Dest", "Matched", "Missing", "Extra", "Flags", "Altered",
                     "Excluded", "Result"],
            rows: rows, rightAligned: [2, 3, 4, 5, 6, 7, 8, 9])
        let problems = report.folders.flatMap(\.entries).filter { $0.status != .copied && $0.status != .excluded }
        for entry in problems.prefix(50) {
            let id = entry.messageID ?? "(no Message-ID)"
            let uid = entry.sourceUID.map { "source UID \($0)" } ?? "destination UID \(entry.destinationUID ?? 0)"
            out += "  \(entry.status.rawValue): \(entry.sourceFolder) \(uid) \(id)"
                + (entry.detail.map { " — \($0)" } ?? "") + "\n"
        }
        if problems.count > 50 { out += "  … and \(problems.count - 50) more (see --manifest)\n" }
        out += report.matches ? "Result: source and destination match.\n" : "Result: DIFFERENCES found.\n"
        return out
    }
}

/// Writes the reconciliation manifest as CSV (RFC 4180 quoting) or JSON.
enum ManifestWriter {
    static func write(_ report: VerificationReport, to path: String) throws {
        let entries = report.folders.flatMap(\.entries)
        let data: Data
        if path.lowercased().hasSuffix(".json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            data = try encoder.encode(entries)
        } else {
            var text = "status,source_folder,source_uid,message_id,size,date,destination_folder,destination_uid,detail\r\n"
            let dates = ISO8601DateFormatter()
            for entry in entries {
                let fields = [entry.status.rawValue, entry.sourceFolder, entry.sourceUID.map(String.init) ?? "",
                              entry.messageID ?? "", entry.size.map(String.init) ?? "",
                              entry.date.map { dates.string(from: $0) } ?? "", entry.destinationFolder,
                              entry.destinationUID.map(String.init) ?? "", entry.detail ?? ""]
                text += fields.map(csvField).joined(separator: ",") + "\r\n"
            }
            data = Data(text.utf8)
        }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CLIError(TernExit.badInput, "cannot write the manifest \(path)")
        }
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
