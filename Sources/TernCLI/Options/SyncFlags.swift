import ArgumentParser
import Foundation
import TernSync

extension GmailLabelMode: ExpressibleByArgument {}

/// The flags `sync`, `verify` and `batch` share: state, logs, output, the folder plan and
/// message selection, scripts.
struct SyncFlags: ParsableArguments {
    @Option(help: "Migration project folder (default: the nearest tern-project.json above the current folder).")
    var project: String?

    @Option(help: "State database (SQLite; created 0600; default: the project's, else ./tern-state.sqlite). Keep it between passes: it is what makes re-runs exact.")
    var state: String?

    @Option(help: "Write one log file per mailbox into this folder (default: the project's logs/).")
    var logDir: String?

    @Option(help: "Append a protocol trace of every IMAP connection to this file (created 0600; passwords, tokens and message bodies are never written).")
    var trace: String?

    @ArgumentParser.Flag(help: "Print events as JSON lines (NDJSON); the last line is the summary.")
    var json = false

    @ArgumentParser.Flag(help: "Show what would be copied; change nothing on the destination or in the state.")
    var dryRun = false

    @ArgumentParser.Flag(help: "Create the destination folder tree and subscriptions only; copy no messages.")
    var foldersOnly = false

    @OptionGroup var folders: FolderSelectionOptions

    @Option(help: "Skip messages larger than this many bytes.")
    var maxSize: Int64?

    @Option(help: "Skip messages smaller than this many bytes.")
    var minSize: Int64?

    @Option(help: "Only messages at most this many days old.")
    var maxAge: Int?

    @Option(help: "Only messages at least this many days old (a pre-stage of old mail).")
    var minAge: Int?

    @ArgumentParser.Flag(help: "Delete from the destination what vanished from the source (only messages Tern copied).")
    var delete2 = false

    @ArgumentParser.Flag(help: "Retry exactly the messages in the failure ledger.")
    var retryFailed = false

    @Option(help: "Stop a mailbox after this many failed messages.")
    var maxErrors: Int?

    @Option(help: "Throttle each mailbox to this many bytes per second.")
    var maxBytesPerSecond: Int64?

    @Option(help: "Throttle each mailbox to this many messages per second.")
    var maxMessagesPerSecond: Double?

    @Option(help: "Messages per copy batch (one MULTIAPPEND, or one pipelined run of APPENDs).")
    var batchMessages = 200

    @Option(help: "Megabytes per copy batch (a larger message travels alone); two batches are in memory per mailbox.")
    var batchMegabytes = 16

    @Option(help: ArgumentHelp("On a Gmail source: keywords (one copy of each message, in the folder of its Inbox, Sent or first label, archived mail in Archive, other labels as keywords) or folders (one copy in every label's folder, for destinations without keywords).", valueName: "keywords|folders"))
    var gmailLabels: GmailLabelMode = .keywords

    @Option(help: "A Lua script with map_folder / filter_message / map_labels / on_event. Repeatable; applied in order.")
    var script: [String] = []

    @Option(help: "An environment variable scripts may read with tern.env(). Repeatable.")
    var allowEnv: [String] = []

    func syncOptions() -> SyncOptions {
        var options = SyncOptions(folders: folders.plannerOptions())
        options.dryRun = dryRun
        options.foldersOnly = foldersOnly
        options.deleteVanished = delete2
        options.retryFailed = retryFailed
        options.maxSize = maxSize
        options.minSize = minSize
        options.maxAgeDays = maxAge
        options.minAgeDays = minAge
        options.maxErrors = maxErrors
        options.maxBytesPerSecond = maxBytesPerSecond
        options.maxMessagesPerSecond = maxMessagesPerSecond
        options.batchMessages = max(1, batchMessages)
        options.batchBytes = Int64(max(1, batchMegabytes)) * 1024 * 1024
        options.gmailLabels = gmailLabels
        return options
    }
}
