import ArgumentParser

/// The `tern` command: one subcommand per file in this folder.
public struct TernCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tern",
        abstract: "Move a business's email between providers: copy mail, rebuild routing, cut over DNS.",
        discussion: """
            IMAP moves messages and folders (with flags and dates). It does not move calendars, \
            contacts, tasks or client-side rules: plan those separately.

            Exit codes: 0 ok, 1 failed, 2 partly failed, 3 verification differs, 10 cannot connect, \
            11 TLS failed or required, 12 authentication failed, 13 protocol error, 20 bad input, \
            64 usage (docs/cli.md).
            """,
        version: TernVersion.current,
        subcommands: [InitCommand.self, ProbeCommand.self, SyncCommand.self, BatchCommand.self, VerifyCommand.self, InventoryCommand.self, PlanCommand.self, RunCommand.self, RoutingCommand.self, ChecklistCommand.self, ReportCommand.self, DNSCommand.self, PresetCommand.self]
    )

    public init() {}
}

public enum TernVersion {
    public static let current = "0.1.0-dev"
}

/// The executable's entry point (`Sources/tern/main.swift` calls only this).
public enum TernMain {
    public static func run() async {
        await TernCommand.main()
    }
}
