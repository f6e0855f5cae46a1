import ArgumentParser

/// The `tern` command: one subcommand per file in this folder.
public struct TernCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tern",
        abstract: "Move a business's email between providers: copy mail, rebuild routing, cut over DNS.",
        discussion: """
            IMAP moves messages and folders (with flags and dates). It does not move calendars,
            contacts, tasks or client-side rules: plan those separately.
            Exit codes are listed in docs/cli.md.
            """,
        version: TernVersion.current,
        subcommands: [ProbeCommand.self, SyncCommand.self, BatchCommand.self, VerifyCommand.self, DNSCommand.self, PresetCommand.self]
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
