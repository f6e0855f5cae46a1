import Foundation
import TernCore

/// A complete `MailStore` kept in memory, answering as `IMAPMailStore` does over a server with
/// the configured extensions — so the engine's scenarios (and every interruption of them) run
/// without a server. Folders have UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ with CONDSTORE's rules
/// (every append, flag change and expunge takes the folder's next mod-sequence); messages keep
/// their UID, flags, arrival date with zone, and bytes. Two stores share nothing: a test builds
/// a source and a destination. The test-side API (`seed`, `setFlags(path:…)`, `expunge`,
/// `renumber`, `recreate`, `snapshot`) changes or reads the account as another mail client or
/// the server's admin would; it is not part of `MailStore` and needs no `open()`.
public actor InMemoryMailStore: MailStore {
    /// What the emulated server offers.
    public struct Configuration: Sendable {
        /// Hierarchy separator and personal namespace prefix (the source test server: "." and "INBOX.").
        public var separator = "/"
        public var personalPrefix = ""
        public var supportsUIDPlus = true
        public var supportsCondStore = true
        /// SPECIAL-USE in LIST and CREATE-SPECIAL-USE.
        public var supportsSpecialUse = true
        public var appendLimit: Int64?
        /// Keywords a folder can hold (Cyrus: 100): while there is room PERMANENTFLAGS has `\*`;
        /// once full it lists the folder's own keywords and a message bringing a new one is
        /// refused (`keyword-limit`). Nil: any number.
        public var keywordLimit: Int?
        /// A source: opened with EXAMINE (no PERMANENTFLAGS); every write is refused.
        public var readOnly = false
        /// The first folder's UIDVALIDITY; each new folder (or renumbering) takes the next.
        public var firstUIDValidity: UInt32 = 1000

        public init(separator: String = "/", personalPrefix: String = "", readOnly: Bool = false) {
            self.separator = separator
            self.personalPrefix = personalPrefix
            self.readOnly = readOnly
        }
    }

    /// One message as the store holds it.
    public struct Message: Sendable, Equatable {
        public var uid: UInt32
        public var flags: [String]
        public var internalDate: MailDate
        public var bytes: [UInt8]
        public var modSeq: UInt64
        /// The identity headers `headers(in:uids:)` answers, parsed once when stored.
        public var identityHeaders: HeaderFields
    }

    /// The fields IMAPMailStore's header FETCH asks for.
    static let identityFields: Set<String> = ["message-id", "date", "from", "to", "cc", "subject", "in-reply-to",
                                              "references"]

    /// One folder as the store holds it (`snapshot()`).
    public struct Folder: Sendable, Equatable {
        public var path: [String]
        public var raw: String
        public var specialUse: String?
        public var subscribed: Bool
        public var uidValidity: UInt32
        public var uidNext: UInt32 = 1
        /// HIGHESTMODSEQ: a new folder starts at 1 (Dovecot), each change takes the next.
        public var highestModSeq: UInt64 = 1
        /// Ascending by UID.
        public var messages: [Message] = []
        /// Keywords ever set in the folder (IMAP `FLAGS`): a server keeps them defined.
        public var definedKeywords: Set<String> = []
    }

    public nonisolated let label: String
    public nonisolated let configuration: Configuration
    private var folderTable: [String: Folder] = [:]
    private var nextUIDValidity: UInt32
    /// Like a session: `open()` connects, `close()` and `disconnect()` end it; a call without a
    /// session fails as IMAPMailStore's does ("not connected", connection scope).
    private var connected = false

    public init(label: String, _ configuration: Configuration = Configuration()) {
        self.label = label
        self.configuration = configuration
        nextUIDValidity = configuration.firstUIDValidity
        folderTable["INBOX"] = Folder(path: ["INBOX"], raw: "INBOX", specialUse: nil, subscribed: true,
            uidValidity: nextUIDValidity)
        nextUIDValidity += 1
    }

    /// A store holding what this one holds now, sharing nothing with it (no session open):
    /// one prepared account, many runs over copies of it.
    public func clone(label: String? = nil) -> InMemoryMailStore {
        InMemoryMailStore(label: label ?? self.label, configuration, folders: folderTable, nextUIDValidity: nextUIDValidity)
    }

    private init(label: String, _ configuration: Configuration, folders: [String: Folder], nextUIDValidity: UInt32) {
        self.label = label
        self.configuration = configuration
        folderTable = folders
        self.nextUIDValidity = nextUIDValidity
    }

    // MARK: - MailStore: session

    public func open() async throws(StoreError) -> StoreInfo {
        connected = true
        return info
    }

    public func close() async { connected = false }

    /// The link drops (a fault wrapper's cut): the next call fails until `open()`.
    public func disconnect() { connected = false }

    public nonisolated var info: StoreInfo {
        var capabilities = ["IMAP4rev1", "LIST-EXTENDED", "NAMESPACE", "ESEARCH", "LITERAL+"]
        if configuration.supportsUIDPlus { capabilities.append("UIDPLUS") }
        if configuration.supportsCondStore { capabilities.append("CONDSTORE") }
        if configuration.supportsSpecialUse { capabilities += ["SPECIAL-USE", "CREATE-SPECIAL-USE"] }
        if let limit = configuration.appendLimit { capabilities.append("APPENDLIMIT=\(limit)") }
        return StoreInfo(separator: configuration.separator, personalPrefix: configuration.personalPrefix,
            supportsUIDPlus: configuration.supportsUIDPlus, supportsCondStore: configuration.supportsCondStore,
            supportsSpecialUse: configuration.supportsSpecialUse, appendLimit: configuration.appendLimit,
            capabilities: capabilities.sorted())
    }

    private func live() throws(StoreError) {
        guard connected else {
            throw StoreError(scope: .connection, retry: .now, category: .connection, message: "\(label): not connected")
        }
    }

    private func writable(_ purpose: String) throws(StoreError) {
        if configuration.readOnly {
            // A source is only ever read: a write is an engine bug, not a server's choice.
            throw StoreError(scope: .mailbox, retry: .never, category: .protocol,
                message: "\(label): \(purpose) on a read-only store")
        }
    }

    // MARK: - MailStore: folders

    public func folders() async throws(StoreError) -> [StoreFolder] {
        try live()
        return folderTable.values.sorted(by: Self.listingOrder).map(storeFolder)
    }

    public func createFolder(path: [String], specialUse: String?) async throws(StoreError) -> StoreFolder {
        try live()
        try writable("create folder \(path.joined(separator: "/"))")
        let raw = rawName(path)
        // CREATE of an existing folder is refused, and IMAPMailStore then returns it as listed.
        if let existing = folderTable[raw] { return storeFolder(existing) }
        // Parents are made as real folders (as Cyrus does), each with its own UIDVALIDITY.
        for depth in 1..<max(path.count, 1) where folderTable[rawName(Array(path.prefix(depth)))] == nil {
            insertFolder(Array(path.prefix(depth)), specialUse: nil, subscribed: false)
        }
        let use = configuration.supportsSpecialUse ? specialUse : nil
        return storeFolder(insertFolder(path, specialUse: use, subscribed: false))
    }

    public func subscribe(_ folder: StoreFolder) async throws(StoreError) {
        try live()
        try writable("subscribe to \(folder.portableName)")
        var held = try existing(folder)
        held.subscribed = true
        folderTable[folder.raw] = held
    }

    // MARK: - MailStore: reading

    public func status(_ folder: StoreFolder) async throws(StoreError) -> FolderStatus {
        try live()
        return status(of: try existing(folder))
    }

    public func messages(in folder: StoreFolder, changedSince: UInt64?) async throws(StoreError) -> FolderListing {
        try live()
        let held = try existing(folder)
        let since = configuration.supportsCondStore ? changedSince : nil
        let listed = held.messages.filter { message in since.map { message.modSeq > $0 } ?? true }.map(meta)
        return FolderListing(status: status(of: held), messages: listed, acceptedKeywords: acceptedKeywords(held))
    }

    public func messages(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageMeta] {
        guard !uids.isEmpty else { return [] }
        try live()
        let wanted = Set(uids)
        return try existing(folder).messages.filter { wanted.contains($0.uid) }.map(meta)
    }

    public func uids(in folder: StoreFolder) async throws(StoreError) -> FolderUIDs {
        try live()
        let held = try existing(folder)
        return FolderUIDs(status: status(of: held), uids: held.messages.map(\.uid),
            acceptedKeywords: acceptedKeywords(held), definedKeywords: held.definedKeywords)
    }

    public func changes(in folder: StoreFolder, sinceUIDNext uidNext: UInt32, modSeq: UInt64) async throws(StoreError)
        -> FolderChanges?
    {
        try live()
        guard configuration.supportsCondStore, uidNext > 0 else { return nil }
        let held = try existing(folder)
        let arrived = held.messages.filter { $0.uid >= uidNext }.map(meta)
        // Older messages: UID, flags and mod-sequence only, as the CHANGEDSINCE FETCH gives them.
        let changed = held.messages.filter { $0.uid < uidNext && $0.modSeq > modSeq }.map { message in
            MessageMeta(uid: message.uid, flags: message.flags, internalDate: nil, size: 0, modSeq: message.modSeq)
        }
        return FolderChanges(status: status(of: held), uids: held.messages.map(\.uid), arrived: arrived,
            flagChanges: changed)
    }

    public func headers(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [UInt32: HeaderFields] {
        guard !uids.isEmpty else { return [:] }
        try live()
        let wanted = Set(uids)
        var headers: [UInt32: HeaderFields] = [:]
        for message in try existing(folder).messages where wanted.contains(message.uid) {
            headers[message.uid] = message.identityHeaders
        }
        return headers
    }

    public func fetch(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageContent] {
        guard !uids.isEmpty else { return [] }
        try live()
        let byUID = Dictionary(try existing(folder).messages.map { ($0.uid, $0.bytes) },
            uniquingKeysWith: { first, _ in first })
        // In the order asked; expunged ones are absent (IMAPMailStore does the same).
        return uids.compactMap { uid in byUID[uid].map { MessageContent(uid: uid, bytes: $0[...]) } }
    }

    // MARK: - MailStore: writing

    public func append(to folder: StoreFolder, _ messages: [OutgoingMessage]) async throws(StoreError)
        -> [Result<UInt32?, StoreError>]
    {
        guard !messages.isEmpty else { return [] }
        try live()
        try writable("append to \(folder.portableName)")
        _ = try existing(folder)
        return messages.map { message in
            switch store(message, in: folder.raw) {
            case .success(let uid): .success(configuration.supportsUIDPlus ? uid : nil)
            case .failure(let error): .failure(error)
            }
        }
    }

    public func setFlags(in folder: StoreFolder, _ changes: [FlagChange]) async throws(StoreError) {
        guard !changes.isEmpty else { return }
        try live()
        try writable("update flags in \(folder.portableName)")
        var held = try existing(folder)
        // STORE is refused as a whole when a flag is a keyword the full folder cannot take.
        if let limit = configuration.keywordLimit {
            let new = Set(changes.flatMap { keywords(of: $0.flags) }).subtracting(held.definedKeywords)
            if !new.isEmpty && held.definedKeywords.count + new.count > limit {
                throw StoreError(scope: .folder, retry: .never, category: .keywordLimit,
                    message: "\(label): update flags in \(folder.portableName): too many user flags in mailbox",
                    serverText: "Too many user flags in mailbox")
            }
        }
        for change in changes {
            // UID STORE of an expunged UID changes nothing and is no error.
            guard let index = held.messages.firstIndex(where: { $0.uid == change.uid }) else { continue }
            held.highestModSeq += 1
            held.messages[index].flags = Self.unique(change.flags)
            held.messages[index].modSeq = held.highestModSeq
            held.definedKeywords.formUnion(keywords(of: change.flags))
        }
        folderTable[folder.raw] = held
    }

    public func delete(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) {
        guard !uids.isEmpty else { return }
        try live()
        try writable("delete messages in \(folder.portableName)")
        var held = try existing(folder)
        let doomed = Set(uids)
        if configuration.supportsUIDPlus {
            // \Deleted, then UID EXPUNGE of exactly these: each expunge takes a mod-sequence.
            let before = held.messages.count
            held.messages.removeAll { doomed.contains($0.uid) }
            if held.messages.count != before { held.highestModSeq += 1 }
        } else {
            // Without UIDPLUS IMAPMailStore only flags them \Deleted (a plain EXPUNGE would take others' too).
            for index in held.messages.indices where doomed.contains(held.messages[index].uid) {
                if held.messages[index].flags.contains(where: { $0.lowercased() == "\\deleted" }) { continue }
                held.highestModSeq += 1
                held.messages[index].flags.append("\\Deleted")
                held.messages[index].modSeq = held.highestModSeq
            }
        }
        folderTable[folder.raw] = held
    }

    // MARK: - The test's side of the account (no session needed, not counted)

    /// Puts messages into the account as mail delivery would, creating folders as needed.
    /// Returns the UIDs given, in order.
    @discardableResult
    public func seed(_ messages: [SeedMessage], specialUse: [String: String] = [:]) -> [UInt32] {
        var uids: [UInt32] = []
        for message in messages {
            let raw = ensureFolder(message.folder, specialUse: specialUse[message.folder.joined(separator: "/")])
            let outgoing = OutgoingMessage(bytes: message.bytes[...], flags: message.flags,
                internalDate: message.internalDate)
            if case .success(let uid) = store(outgoing, in: raw) { uids.append(uid) }
        }
        return uids
    }

    /// Creates an empty folder (and its parents) as the account's owner would.
    @discardableResult
    public func makeFolder(_ path: [String], specialUse: String? = nil, subscribed: Bool = true) -> StoreFolder {
        let raw = ensureFolder(path, specialUse: specialUse)
        folderTable[raw]?.subscribed = subscribed
        return storeFolder(folderTable[raw]!)
    }

    /// Another client replaces a message's flags.
    public func setFlags(path: [String], uid: UInt32, _ flags: [String]) {
        let raw = rawName(path)
        guard var held = folderTable[raw], let index = held.messages.firstIndex(where: { $0.uid == uid }) else { return }
        held.highestModSeq += 1
        held.messages[index].flags = Self.unique(flags)
        held.messages[index].modSeq = held.highestModSeq
        held.definedKeywords.formUnion(keywords(of: flags))
        folderTable[raw] = held
    }

    /// Another client expunges messages.
    public func expunge(path: [String], uids: [UInt32]) {
        let raw = rawName(path)
        guard var held = folderTable[raw] else { return }
        held.messages.removeAll { uids.contains($0.uid) }
        held.highestModSeq += 1
        folderTable[raw] = held
    }

    /// The server rebuilt the folder's index: a new UIDVALIDITY and new UIDs from 1 for the same
    /// messages (in the same order, flags and dates kept).
    public func renumber(_ path: [String]) {
        let raw = rawName(path)
        guard var held = folderTable[raw] else { return }
        held.uidValidity = takeUIDValidity()
        held.highestModSeq = 1
        for index in held.messages.indices {
            held.highestModSeq += 1
            held.messages[index].uid = UInt32(index + 1)
            held.messages[index].modSeq = held.highestModSeq
        }
        held.uidNext = UInt32(held.messages.count + 1)
        folderTable[raw] = held
    }

    /// The folder was deleted and created again (new UIDVALIDITY), then these of its old
    /// messages put back, say from a backup (new UIDs, flags and dates kept).
    public func recreate(_ path: [String], keeping keep: (Message) -> Bool = { _ in false }) {
        let raw = rawName(path)
        guard let old = folderTable[raw] else { return }
        folderTable[raw] = Folder(path: old.path, raw: raw, specialUse: old.specialUse, subscribed: old.subscribed,
            uidValidity: takeUIDValidity())
        for message in old.messages where keep(message) {
            _ = store(OutgoingMessage(bytes: message.bytes[...], flags: message.flags,
                internalDate: message.internalDate), in: raw)
        }
    }

    /// Every folder with its messages, INBOX first, then by name.
    public func snapshot() -> [Folder] { folderTable.values.sorted(by: Self.listingOrder) }

    /// One folder's messages, ascending by UID (empty when there is no such folder).
    public func messages(at path: [String]) -> [Message] { folderTable[rawName(path)]?.messages ?? [] }

    // MARK: - Inside

    private static func listingOrder(_ a: Folder, _ b: Folder) -> Bool {
        if (a.raw == "INBOX") != (b.raw == "INBOX") { return a.raw == "INBOX" }
        return a.raw < b.raw
    }

    private func rawName(_ path: [String]) -> String {
        if path.count == 1 && path[0].uppercased() == "INBOX" { return "INBOX" }
        // A level holding the separator gets `_` instead, as IMAPMailStore names it.
        let levels = path.map { $0.replacingOccurrences(of: configuration.separator, with: "_") }
        return configuration.personalPrefix + levels.joined(separator: configuration.separator)
    }

    private func path(ofRaw raw: String) -> [String] {
        if raw == "INBOX" { return ["INBOX"] }
        return String(raw.dropFirst(configuration.personalPrefix.count))
            .components(separatedBy: configuration.separator).filter { !$0.isEmpty }
    }

    private func takeUIDValidity() -> UInt32 {
        defer { nextUIDValidity += 1 }
        return nextUIDValidity
    }

    @discardableResult
    private func insertFolder(_ path: [String], specialUse: String?, subscribed: Bool) -> Folder {
        let raw = rawName(path)
        let folder = Folder(path: self.path(ofRaw: raw), raw: raw, specialUse: specialUse, subscribed: subscribed,
            uidValidity: takeUIDValidity())
        folderTable[raw] = folder
        return folder
    }

    private func ensureFolder(_ path: [String], specialUse: String?) -> String {
        let raw = rawName(path)
        if folderTable[raw] == nil {
            for depth in 1..<max(path.count, 1) where folderTable[rawName(Array(path.prefix(depth)))] == nil {
                insertFolder(Array(path.prefix(depth)), specialUse: nil, subscribed: true)
            }
            insertFolder(path, specialUse: specialUse, subscribed: true)
        }
        return raw
    }

    private func existing(_ folder: StoreFolder) throws(StoreError) -> Folder {
        guard let held = folderTable[folder.raw] else {
            throw StoreError(scope: .folder, retry: .never, category: .folder,
                message: "\(label): open folder \(folder.portableName): no such folder",
                serverText: "Mailbox doesn't exist: \(folder.raw)")
        }
        return held
    }

    /// Stores one message: the folder's next UID and mod-sequence, its arrival date to the
    /// second (IMAP's resolution), now when none is given.
    private func store(_ message: OutgoingMessage, in raw: String) -> Result<UInt32, StoreError> {
        guard var held = folderTable[raw] else {
            return .failure(StoreError(scope: .folder, retry: .never, category: .folder, message: "\(label): no folder \(raw)"))
        }
        if let limit = configuration.appendLimit, Int64(message.bytes.count) > limit {
            return .failure(StoreError(scope: .message, retry: .never, category: .tooBig,
                message: "\(label): append to \(held.path.joined(separator: "/")): message too large",
                serverText: "[TOOBIG] Message too large"))
        }
        let new = Set(keywords(of: message.flags)).subtracting(held.definedKeywords)
        if let limit = configuration.keywordLimit, !new.isEmpty, held.definedKeywords.count + new.count > limit {
            return .failure(StoreError(scope: .message, retry: .never, category: .keywordLimit,
                message: "\(label): append to \(held.path.joined(separator: "/")): too many user flags in mailbox",
                serverText: "Too many user flags in mailbox"))
        }
        let date = message.internalDate ?? MailDate(date: Date(), zoneMinutes: 0)
        let seconds = MailDate(date: Date(timeIntervalSince1970: date.date.timeIntervalSince1970.rounded(.down)),
            zoneMinutes: date.zoneMinutes)
        held.highestModSeq += 1
        let uid = held.uidNext
        held.uidNext += 1
        held.messages.append(Message(uid: uid, flags: Self.unique(message.flags.filter {
            $0.lowercased() != "\\recent"
        }), internalDate: seconds, bytes: Array(message.bytes), modSeq: held.highestModSeq,
            identityHeaders: HeaderParser.parse(message.bytes, only: Self.identityFields)))
        held.definedKeywords.formUnion(new)
        folderTable[raw] = held
        return .success(uid)
    }

    private func status(of folder: Folder) -> FolderStatus {
        FolderStatus(uidValidity: folder.uidValidity, uidNext: folder.uidNext, messages: folder.messages.count,
            highestModSeq: configuration.supportsCondStore ? folder.highestModSeq : nil)
    }

    /// PERMANENTFLAGS' keywords: none told on a read-only (EXAMINEd) folder, `\*` (nil) while
    /// the folder may take new keywords, its own keywords once it is full.
    private func acceptedKeywords(_ folder: Folder) -> Set<String>? {
        guard !configuration.readOnly, let limit = configuration.keywordLimit else { return nil }
        return folder.definedKeywords.count < limit ? nil : folder.definedKeywords
    }

    private func meta(_ message: Message) -> MessageMeta {
        MessageMeta(uid: message.uid, flags: message.flags, internalDate: message.internalDate,
            size: Int64(message.bytes.count), modSeq: configuration.supportsCondStore ? message.modSeq : nil)
    }

    private func keywords(of flags: [String]) -> [String] { flags.filter { !$0.hasPrefix("\\") && !$0.isEmpty } }

    /// Flags once each (system flags compare without case, as IMAP's do).
    private static func unique(_ flags: [String]) -> [String] {
        var seen = Set<String>()
        return flags.filter { seen.insert($0.hasPrefix("\\") ? $0.lowercased() : $0).inserted }
    }

    private func storeFolder(_ folder: Folder) -> StoreFolder {
        let hasChildren = folderTable.keys.contains { $0.hasPrefix(folder.raw + configuration.separator) }
        var attributes = [hasChildren ? "\\HasChildren" : "\\HasNoChildren"]
        if folder.subscribed { attributes.append("\\Subscribed") }
        let use = configuration.supportsSpecialUse ? folder.specialUse : nil
        if let use { attributes.append(use) }
        return StoreFolder(path: folder.path, raw: folder.raw, separator: configuration.separator, specialUse: use,
            attributes: attributes, subscribed: folder.subscribed, selectable: true)
    }
}
