import ArgumentParser
import Foundation
import TernMigration
import TernScript
import TernState

/// `tern plan capacity [--wave W]`: before a wave starts, logs in to each mailbox's destination
/// and checks the source's scanned size against the free quota there, and the largest message
/// against the destination's APPENDLIMIT or preset size cap.
struct PlanCapacityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "Check each mailbox's scanned size against the destination's quota before a wave.",
        discussion: """
            Logs in to the destination of every mailbox (of --wave, else all) with the --*2 options \
            (e.g. --admin-user2 with --password-file2) or --credentials FILE.csv (the batch file's \
            dest_user and dest_pass), reads its quota and APPENDLIMIT, and compares them with the \
            source's latest `tern inventory scan`. Nothing is written anywhere. Exit codes: 0 all \
            fit, 2 some mailbox does not fit, could not be checked, or was never scanned.

            Example:
              tern plan capacity --wave pilot --admin-user2 admin --password-file2 admin.pw
            """)

    @OptionGroup var destination: DestinationOptions

    @Option(help: ArgumentHelp("A batch CSV with each mailbox's destination user and password.", valueName: "file"))
    var credentials: String?

    @Option(help: "Only the mailboxes of this wave (pilot, pre-stage), as `tern plan waves` stored them.")
    var wave: String?

    @Option(help: "Mailboxes to check at a time (1-64).")
    var parallel = 4

    @Option(help: "Log in with the destination address (address) or its local part (local-part); not for --credentials rows.")
    var loginAs: InventoryScanCommand.LoginName = .address

    @ArgumentParser.Flag(help: "Print the results as JSON.")
    var json = false

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if parallel < 1 || parallel > 64 { throw ValidationError("--parallel must be between 1 and 64.") }
    }

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let mailboxes = try await project.requireMailboxes(inWave: wave)
            var spec = destination.spec
            spec.preset = project.preset(for: .destination, given: spec.preset, host: spec.host)
            var presetMaxMessage: Int64?
            if let name = spec.preset {
                presetMaxMessage = try? await PresetLoader().load(name,
                    context: PresetContext(user: mailboxes[0].destinationAddress)).limits.maxMessageSize
            }
            let access = try MailboxCredentials(side: .destination, spec: spec, loginAs: loginAs, file: credentials,
                domain: project.config.domains.first)
            var targets: [ScanTarget] = []
            for object in mailboxes {
                targets.append(await access.target(address: object.destinationAddress, inventoryAddress: object.address))
            }
            let scans = try await project.scans()
            let inspected = await MailboxScanner(parallel: parallel).inspect(targets)
            let results = zip(mailboxes, inspected).map { object, result in
                CapacityCheck.check(address: object.address, source: scans[object.address],
                    destination: DestinationCapacity(record: result.record, report: result.report),
                    presetMaxMessage: presetMaxMessage)
            }
            if json {
                let document = results.map { result -> [String: Any] in
                    ["address": result.address, "destination": result.destination, "status": result.status.rawValue,
                     "messages": result.messages]
                }
                let data = try JSONSerialization.data(withJSONObject: document,
                    options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } else {
                for result in results {
                    print("\(result.status.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0))"
                        + "\(result.address) → \(result.destination)")
                    for message in result.messages { print("        \(message)") }
                }
                let count = { (status: CapacityResult.Status) in results.filter { $0.status == status }.count }
                print("\(results.count) mailboxes: \(count(.ok)) fit, \(count(.warning)) with warnings, "
                    + "\(count(.problem)) do not fit or cannot be checked, \(count(.unknown)) not scanned")
            }
            if results.contains(where: { $0.status == .problem || $0.status == .unknown }) { throw TernExit.partial }
        }
    }
}
