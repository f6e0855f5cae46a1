import ArgumentParser
import Foundation
import TernCore
import TernMigration
import TernScript

/// `tern plan waves`: the migration's waves from the inventory's scanned sizes.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan the migration: waves, copy-time estimates, the destination capacity check, folder names.",
        subcommands: [PlanWavesCommand.self, PlanCapacityCommand.self, PlanFoldersCommand.self])
}

/// `tern plan waves [--pilot N] [--cutover-at TIME] [--throughput-mbps X]`.
struct PlanWavesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waves",
        abstract: "Split the mailboxes into pilot, pre-stage and final waves and estimate copy times.",
        discussion: """
            pilot: the N smallest scanned mailboxes plus one of median size (or --pilot-address \
            …); pre-stage: the rest, largest first; final: everyone's delta pass at cutover. Sizes \
            come from `tern inventory scan`. Each copy takes size / rate: --throughput-mbps \
            (a conservative 10 Mbit/s per mailbox unless measured, see below), capped by the source preset's \
            bytes_per_day limit (tern init --from). Without --throughput-mbps the rate is the median \
            per-mailbox rate of this project's earlier copies of at least 1 MB (sync, batch, run \
            wave), else 10 Mbit/s. With --cutover-at, pre-stage is simulated on \
            --parallel lanes from now and every mailbox that would end after the cutover is named \
            with the date its copy must start by. Each mailbox's wave is stored in the inventory \
            (not with --dry-run). Exit code 2 when some mailbox cannot finish before the cutover.

            Example:
              tern plan waves --pilot 3 --cutover-at 2026-12-05T18:00:00Z --throughput-mbps 40
            """)

    @Option(help: "Smallest mailboxes in the pilot wave (plus one of median size); 0 for none.")
    var pilot = 3

    @Option(help: "Put this mailbox in the pilot instead of the automatic choice (repeatable).")
    var pilotAddress: [String] = []

    @Option(help: ArgumentHelp("The MX cutover, ISO 8601 (2026-12-05T18:00:00Z).", valueName: "time"))
    var cutoverAt: String?

    @Option(help: "One mailbox's copy rate in megabits per second (default: the median of this project's earlier copies of 1 MB or more, else 10).")
    var throughputMbps: Double?

    @Option(help: "Mailboxes copied at the same time during pre-stage.")
    var parallel = 4

    @Option(help: ArgumentHelp("Plan as if pre-stage started at this time (ISO 8601; default now).", valueName: "time"))
    var startAt: String?

    @ArgumentParser.Flag(help: "Show the plan without storing waves in the inventory.")
    var dryRun = false

    @ArgumentParser.Flag(help: "Print the plan as JSON.")
    var json = false

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if pilot < 0 { throw ValidationError("--pilot must be 0 or more.") }
        if parallel < 1 || parallel > 64 { throw ValidationError("--parallel must be between 1 and 64.") }
        if let throughputMbps, !(throughputMbps > 0) { throw ValidationError("--throughput-mbps must be above 0.") }
    }

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let objects = try await project.inventory().filter(\.kind.isMailbox)
            var seen = Set<String>()
            let scans = try await project.scans()
            let mailboxes = objects.filter { seen.insert($0.address).inserted }.map { object in
                let scan = scans[object.address].flatMap { $0.status == "ok" ? $0 : nil }
                return WaveMailbox(address: object.address, sizeBytes: object.sizeBytes, messages: scan?.messages)
            }
            if mailboxes.isEmpty {
                throw CLIError(TernExit.badInput, "the inventory has no mailboxes: tern inventory import FILE --format FORMAT")
            }
            // The rate: --throughput-mbps, else what earlier copies in this project measured,
            // else the conservative default.
            var rateSource = throughputMbps == nil ? "default" : "given"
            var rate = throughputMbps ?? WaveOptions.defaultThroughputMbps
            if throughputMbps == nil, let measured = try await project.openState().measuredThroughput() {
                rate = measured.bytesPerSecond * 8 / 1_000_000
                rateSource = "measured: median of \(measured.runs) earlier cop\(measured.runs == 1 ? "y" : "ies")"
            }
            var options = WaveOptions(pilotCount: pilot, pilotAddresses: pilotAddress, throughputMbps: rate,
                parallel: parallel)
            if let startAt { options.start = try Self.date(startAt, flag: "--start-at") }
            if let cutoverAt { options.cutover = try Self.date(cutoverAt, flag: "--cutover-at") }
            var stderr = StandardError()
            if !project.config.from.isEmpty {
                do {
                    let preset = try await PresetLoader().load(project.config.from,
                        context: PresetContext(user: mailboxes[0].address))
                    options.bytesPerDay = preset.limits.bytesPerDay
                    options.messagesPerSecond = preset.limits.messagesPerSecond
                } catch {
                    print("tern: warning: cannot read the source preset \(project.config.from) for its limits: \(error)",
                        to: &stderr)
                }
            }
            let plan = WavePlanner.plan(mailboxes, options: options)
            if !dryRun {
                var waves: [String: String?] = [:]
                for entry in plan.entries { waves[entry.address] = entry.wave.rawValue }
                try await project.openState().setWaves(waves)
            }
            if json {
                print(try Self.json(plan, rateSource: rateSource))
            } else {
                print(Self.text(plan, source: project.config.from, stored: !dryRun, rateSource: rateSource),
                    terminator: "")
            }
            for warning in plan.warnings { print("tern: warning: \(warning)", to: &stderr) }
            if plan.entries.contains(where: \.late) { throw TernExit.partial }
        }
    }

    static func date(_ text: String, flag: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        if let date = formatter.date(from: text) { return date }
        throw CLIError(TernExit.usage, "\(flag) \(text) is not an ISO 8601 time (e.g. 2026-12-05T18:00:00Z)")
    }

    static func text(_ plan: WavePlan, source: String, stored: Bool, rateSource: String) -> String {
        let options = plan.options
        var text = "Rate per mailbox: \(ByteCount.format(Int64(options.bytesPerSecond)))/s"
        text += options.limitedByProvider
            ? " (the \(source) limit of \(ByteCount.format(options.bytesPerDay ?? 0))/day)\n"
            : " (\(WavePlanner.formatRate(options.throughputMbps)) Mbit/s, \(rateSource))\n"
        if let cutover = options.cutover { text += "Cutover: \(WavePlanner.formatDate(cutover))\n" }
        let header = ["WAVE", "ADDRESS", "SIZE", "COPY TIME", "START", "END", "START BY"]
        let rows = plan.entries.map { entry -> [String] in
            [entry.wave.rawValue + (entry.late ? " LATE" : ""), entry.address,
             entry.sizeBytes.map(ByteCount.format) ?? "unknown",
             entry.seconds.map(WavePlanner.formatDuration) ?? "",
             entry.startsAt.map(WavePlanner.formatDate) ?? "", entry.finishesAt.map(WavePlanner.formatDate) ?? "",
             entry.latestStart.map(WavePlanner.formatDate) ?? ""]
        }
        text += TextTable.render(header: header, rows: rows)
        let pilot = plan.entries(in: .pilot).count
        let preStage = plan.entries(in: .preStage).count
        let late = plan.entries.filter(\.late).count
        text += "pilot \(pilot), pre-stage \(preStage), final \(plan.entries.count) (everyone's delta pass at cutover)"
            + (late > 0 ? "; \(late) cannot finish before the cutover" : "")
            + (stored ? "; waves stored in the inventory\n" : "; --dry-run: nothing stored\n")
        return text
    }

    static func json(_ plan: WavePlan, rateSource: String) throws -> String {
        let iso = ISO8601DateFormatter()
        let entries: [[String: Any]] = plan.entries.map { entry in
            var object: [String: Any] = ["address": entry.address, "wave": entry.wave.rawValue, "late": entry.late]
            if let size = entry.sizeBytes { object["sizeBytes"] = size }
            if let seconds = entry.seconds { object["seconds"] = seconds.rounded() }
            if let date = entry.startsAt { object["startsAt"] = iso.string(from: date) }
            if let date = entry.finishesAt { object["finishesAt"] = iso.string(from: date) }
            if let date = entry.latestStart { object["latestStart"] = iso.string(from: date) }
            return object
        }
        var document: [String: Any] = ["mailboxes": entries, "warnings": plan.warnings,
                                       "bytesPerSecond": plan.options.bytesPerSecond.rounded(),
                                       "rateSource": plan.options.limitedByProvider ? "source preset limit" : rateSource]
        if let cutover = plan.options.cutover { document["cutover"] = iso.string(from: cutover) }
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys,
            .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
