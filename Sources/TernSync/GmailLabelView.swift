import Foundation
import TernCore

/// A Gmail source as folders that hold each message once. Over IMAP, Gmail shows every label as
/// a folder, so a message with three labels is in three folders, and archived mail (no label)
/// is only in All Mail. This view lists All Mail once per pass and presents one folder per
/// placement (`GmailPlacement`): INBOX, Sent, Drafts, each user label, and an Archive folder
/// for mail with no label, all addressing All Mail's UIDs. Starred and Important are listed
/// as not copied (they become `\Flagged` and `$Important`); Spam and Trash stay real folders.
///
/// A message keeps the placement of its first copy (`memory` answers where the state recorded
/// it): a label added or removed later changes its keywords, never makes a second copy.
///
/// Where the server does not offer X-GM-EXT-1 the view passes everything through unchanged.
public actor GmailLabelView: MailStore {
    /// For these view folders (raw names) of a source whose All Mail has this UIDVALIDITY:
    /// which All Mail UID the state already placed in which folder.
    public typealias PlacementMemory = @Sendable (_ folders: [String], _ uidValidity: UInt32) async throws -> [UInt32: String]

    public nonisolated let base: any MailStore
    public nonisolated var label: String { base.label }
    private let mode: GmailLabelMode
    private let rules: any Rules
    private let memory: PlacementMemory

    private var active = false
    private var gmail: GmailFolders?
    /// View folders by raw name (the archive's raw name is All Mail's).
    private var targets: [String: GmailPlacement.Target] = [:]
    /// View folders' portable names by raw name, for the summary.
    private var names: [String: String] = [:]
    private var index: Index?

    /// One pass's All Mail listing, placed.
    struct Index {
        var status: FolderStatus
        var acceptedKeywords: Set<String>?
        var placed: [String: [MessageMeta]]
    }

    /// What the view made of the account in the current pass, for the log.
    public struct Summary: Sendable, Equatable {
        public var messages: Int
        public var copies: Int
        public var byFolder: [String: Int]
    }

    public init(base: any MailStore, mode: GmailLabelMode, rules: any Rules, memory: @escaping PlacementMemory) {
        self.base = base
        self.mode = mode
        self.rules = rules
        self.memory = memory
    }

    public func open() async throws(StoreError) -> StoreInfo {
        let info = try await base.open()
        active = info.capabilities.contains { $0.uppercased() == "X-GM-EXT-1" }
        gmail = nil
        targets = [:]
        names = [:]
        index = nil
        return info
    }

    public func close() async { await base.close() }

    public func folders() async throws(StoreError) -> [StoreFolder] {
        let listed = try await base.folders()
        guard active else { return listed }
        guard let gmail = GmailFolders(listed) else {
            throw StoreError(scope: .mailbox, retry: .never, category: .gmail,
                message: "\(label): the server is Gmail (X-GM-EXT-1) but lists no All Mail folder, the only one "
                    + "holding archived mail; in Gmail's settings (Labels) tick \"Show in IMAP\" for All Mail, "
                    + "then run again")
        }
        self.gmail = gmail
        index = nil
        var targets: [String: GmailPlacement.Target] = [gmail.allMail.raw: .archive]
        if let inbox = gmail.inbox { targets[inbox.raw] = .inbox }
        if let sent = gmail.sent { targets[sent.raw] = .sent }
        if let drafts = gmail.drafts { targets[drafts.raw] = .drafts }
        for (name, folder) in gmail.userLabels { targets[folder.raw] = .label(name) }
        self.targets = targets
        names = Dictionary(listed.map { ($0.raw, $0.portableName) }, uniquingKeysWith: { first, _ in first })
        names[gmail.allMail.raw] = "Archive"
        let flagLabels = Set(gmail.flagLabels.map(\.raw))
        return listed.map { folder in
            var folder = folder
            if folder.raw == gmail.allMail.raw {
                // Mail with no label: only All Mail holds it.
                folder = StoreFolder(path: ["Archive"], raw: folder.raw, separator: folder.separator,
                    specialUse: "\\Archive", attributes: [], subscribed: true, selectable: true)
            } else if flagLabels.contains(folder.raw) {
                let flag = GmailFolders.use(of: folder) == "\\Flagged" ? "\\Flagged" : "$Important"
                folder.notCopied = "a Gmail label: its messages are copied once from All Mail and carry it as \(flag)"
            }
            return folder
        }
    }

    public func createFolder(path: [String], specialUse: String?) async throws(StoreError) -> StoreFolder {
        try await base.createFolder(path: path, specialUse: specialUse)
    }

    public func subscribe(_ folder: StoreFolder) async throws(StoreError) { try await base.subscribe(folder) }

    public func status(_ folder: StoreFolder) async throws(StoreError) -> FolderStatus {
        guard targets[folder.raw] != nil else { return try await base.status(folder) }
        let index = try await placedIndex()
        // No HIGHESTMODSEQ: a label change need not move All Mail's, so every pass lists in full
        // (from the one listing of All Mail this pass made).
        return FolderStatus(uidValidity: index.status.uidValidity, uidNext: index.status.uidNext,
            messages: index.placed[folder.raw]?.count ?? 0, highestModSeq: nil)
    }

    public func messages(in folder: StoreFolder, changedSince: UInt64?) async throws(StoreError) -> FolderListing {
        guard targets[folder.raw] != nil else {
            var listing = try await base.messages(in: folder, changedSince: changedSince)
            if active { listing.messages = listing.messages.map { unplaced($0) } }
            return listing
        }
        let index = try await placedIndex()
        let placed = index.placed[folder.raw] ?? []
        return FolderListing(status: FolderStatus(uidValidity: index.status.uidValidity, uidNext: index.status.uidNext,
            messages: placed.count, highestModSeq: nil), messages: placed, acceptedKeywords: index.acceptedKeywords)
    }

    public func messages(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageMeta] {
        guard targets[folder.raw] != nil else {
            let messages = try await base.messages(in: folder, uids: uids)
            return active ? messages.map { unplaced($0) } : messages
        }
        let wanted = Set(uids)
        return (try await placedIndex().placed[folder.raw] ?? []).filter { wanted.contains($0.uid) }
    }

    public func uids(in folder: StoreFolder) async throws(StoreError) -> FolderUIDs {
        guard targets[folder.raw] != nil else { return try await base.uids(in: folder) }
        let listing = try await messages(in: folder, changedSince: nil)
        return FolderUIDs(status: listing.status, uids: listing.messages.map(\.uid),
            acceptedKeywords: listing.acceptedKeywords)
    }

    public func changes(in folder: StoreFolder, sinceUIDNext uidNext: UInt32, modSeq: UInt64) async throws(StoreError)
        -> FolderChanges?
    {
        // On Gmail nothing is listed by changes: a view folder's are not All Mail's, and a change
        // listing of Spam or Trash carries no labels to turn into flags.
        guard !active else { return nil }
        return try await base.changes(in: folder, sinceUIDNext: uidNext, modSeq: modSeq)
    }

    public func headers(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [UInt32: HeaderFields] {
        try await base.headers(in: physical(folder), uids: uids)
    }

    public func fetch(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageContent] {
        try await base.fetch(in: physical(folder), uids: uids)
    }

    public func append(to folder: StoreFolder, _ messages: [OutgoingMessage]) async throws(StoreError)
        -> [Result<UInt32?, StoreError>]
    {
        try refuseWrites(folder)
        return try await base.append(to: folder, messages)
    }

    public func setFlags(in folder: StoreFolder, _ changes: [FlagChange]) async throws(StoreError) {
        try refuseWrites(folder)
        try await base.setFlags(in: folder, changes)
    }

    public func delete(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) {
        try refuseWrites(folder)
        try await base.delete(in: folder, uids: uids)
    }

    /// How the current pass placed All Mail, once it has been listed.
    public func summary() -> Summary? {
        guard let index else { return nil }
        let byFolder = Dictionary(index.placed.map { (names[$0.key] ?? $0.key, $0.value.count) },
            uniquingKeysWith: +)
        let ids = Set(index.placed.values.flatMap { $0.map(\.uid) })
        return Summary(messages: ids.count, copies: byFolder.values.reduce(0, +), byFolder: byFolder)
    }

    // MARK: - Placement

    /// The real folder behind a view folder: All Mail for every placement.
    private func physical(_ folder: StoreFolder) -> StoreFolder {
        guard targets[folder.raw] != nil, let gmail else { return folder }
        return gmail.allMail
    }

    private func refuseWrites(_ folder: StoreFolder) throws(StoreError) {
        guard targets[folder.raw] != nil else { return }
        throw StoreError(scope: .folder, retry: .never, category: .folder,
            message: "\(label): \(folder.portableName) is a view of Gmail's All Mail and cannot be written")
    }

    /// A message of Spam or Trash: its labels as flags, no placement.
    private func unplaced(_ message: MessageMeta) -> MessageMeta {
        var message = message
        message.flags = GmailPlacement.flags(message.flags, labels: message.gmailLabels ?? [], at: nil, mode: mode)
        return message
    }

    private func placedIndex() async throws(StoreError) -> Index {
        if let index { return index }
        guard let gmail else {
            throw StoreError(scope: .connection, retry: .now, category: .gmail,
                message: "\(label): the Gmail view was used before its folders were listed")
        }
        let listing = try await base.messages(in: gmail.allMail, changedSince: nil)
        var remembered: [UInt32: String] = [:]
        if mode == .keywords {
            do {
                remembered = try await memory(Array(targets.keys), listing.status.uidValidity)
            } catch {
                throw StoreError(scope: .mailbox, retry: .never, category: .state,
                    message: "cannot read where earlier runs placed Gmail messages: \(error)")
            }
        }
        let rawByTarget = Dictionary(targets.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        var placed: [String: [MessageMeta]] = [:]
        for message in listing.messages {
            guard let labels = message.gmailLabels else {
                throw StoreError(scope: .mailbox, retry: .later(seconds: nil), category: .protocol,
                    message: "\(label): Gmail sent no X-GM-LABELS for UID \(message.uid) in \(gmail.allMail.portableName); "
                        + "without its labels the message cannot be placed")
            }
            var chosen: [GmailPlacement.Target]
            if let raw = remembered[message.uid], let target = targets[raw] {
                chosen = [target]
            } else {
                var choice: String?
                if mode == .keywords && rules.mapsLabels {
                    do {
                        choice = try await rules.mapLabels(labels)
                    } catch {
                        throw StoreError(scope: .mailbox, retry: .never, category: .script,
                            message: "a label rule failed: \(error)")
                    }
                }
                chosen = GmailPlacement.targets(labels: labels, mode: mode, folders: gmail, choice: choice)
            }
            for target in chosen {
                guard let raw = rawByTarget[target] else { continue }
                var copy = message
                copy.flags = GmailPlacement.flags(message.flags, labels: labels, at: target, mode: mode)
                placed[raw, default: []].append(copy)
            }
        }
        let index = Index(status: listing.status, acceptedKeywords: listing.acceptedKeywords, placed: placed)
        self.index = index
        return index
    }
}
