import Foundation
import TernCore
import TernIMAP

/// The cheap listings behind the delta pass: which UIDs a folder holds (`UID SEARCH ALL`,
/// RFC 4731 ESEARCH), what changed since a recorded mod-sequence (RFC 7162 CONDSTORE
/// `CHANGEDSINCE`), and the metadata of chosen messages.
extension IMAPMailStore {
    public func uids(in folder: StoreFolder) async throws(StoreError) -> FolderUIDs {
        let connection = try live()
        let capabilities = await connection.capabilities
        let results = try await pipeline([
            openCommand(folder, condStore: capabilities.contains(.condStore)),
            Self.searchAll(esearch: capabilities.contains(.esearch)),
        ], "list the UIDs of \(folder.portableName)")
        setSelected(folder.raw, readOnly: readOnly)
        let untagged = results.flatMap(\.untagged)
        let (status, accepted) = try openedState(untagged, folder: folder)
        var defined = Set<String>()
        for case .flags(let flags) in untagged {
            for case .keyword(let keyword) in flags { defined.insert(keyword) }
        }
        return FolderUIDs(status: status, uids: try presentUIDs(untagged, folder: folder), acceptedKeywords: accepted,
            definedKeywords: defined)
    }

    public func changes(in folder: StoreFolder, sinceUIDNext uidNext: UInt32, modSeq: UInt64) async throws(StoreError)
        -> FolderChanges?
    {
        let connection = try live()
        let capabilities = await connection.capabilities
        guard capabilities.contains(.condStore), uidNext > 0 else { return nil }
        let purpose = "list the changes in \(folder.portableName)"
        // One round trip: open, the UIDs present, flags changed below the old UIDNEXT, and
        // everything from the old UIDNEXT on (`n:*` also names the highest message when
        // nothing is new: RFC 9051 §6.4.8 — told apart by its mod-sequence below).
        var commands: [Command] = [
            openCommand(folder, condStore: true),
            Self.searchAll(esearch: capabilities.contains(.esearch)),
        ]
        if uidNext > 1 {
            commands.append(.uidFetch(UIDSet(ranges: [1...(uidNext - 1)]), [.uid, .flags, .modSeq],
                changedSince: modSeq))
        }
        commands.append(.uidFetch(.from(uidNext), Self.listingAttributes(capabilities)))
        let results: [CommandResult]
        do {
            results = try await connection.pipeline(commands)
        } catch {
            throw StoreErrorClassifier.classify(error, during: purpose, label: label)
        }
        guard results[0].isOK else {
            throw StoreErrorClassifier.classify(results[0].state, during: purpose, label: label, scope: .folder)
        }
        setSelected(folder.raw, readOnly: readOnly)
        let untagged = results.flatMap(\.untagged)
        let (status, _) = try openedState(untagged, folder: folder)
        // A folder without mod-sequences (NOMODSEQ) refuses CHANGEDSINCE: the caller lists it.
        guard status.highestModSeq != nil else { return nil }
        if let failed = results.first(where: { !$0.isOK }) {
            throw StoreErrorClassifier.classify(failed.state, during: purpose, label: label, scope: .folder)
        }
        var arrived: [UInt32: MessageMeta] = [:]
        var changed: [UInt32: MessageMeta] = [:]
        for case .fetch(_, let fetched) in untagged {
            guard let meta = Self.meta(fetched) else { continue }
            if meta.uid >= uidNext {
                // Not an unsolicited flag update: the answer to `n:*` carries the size.
                if fetched.rfc822Size != nil { arrived[meta.uid] = meta }
            } else if let seq = meta.modSeq, seq > modSeq {
                changed[meta.uid] = MessageMeta(uid: meta.uid, flags: meta.flags, internalDate: nil, size: 0,
                    modSeq: seq)
            }
        }
        return FolderChanges(status: status, uids: try presentUIDs(untagged, folder: folder),
            arrived: arrived.values.sorted { $0.uid < $1.uid },
            flagChanges: changed.values.sorted { $0.uid < $1.uid })
    }

    public func messages(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageMeta] {
        guard !uids.isEmpty else { return [] }
        try await select(folder, readOnly: readOnly)
        let attributes = Self.listingAttributes(try await live().capabilities)
        let results = try await pipeline(chunks(uids).map { Command.uidFetch($0, attributes) },
            "list messages in \(folder.portableName)")
        let wanted = Set(uids)
        var found: [UInt32: MessageMeta] = [:]
        for case .fetch(_, let fetched) in results.flatMap(\.untagged) {
            // Only complete answers: an unsolicited FETCH (a flag change pushed by the server) has no size.
            guard let meta = Self.meta(fetched), wanted.contains(meta.uid), fetched.rfc822Size != nil else { continue }
            found[meta.uid] = meta
        }
        return found.values.sorted { $0.uid < $1.uid }
    }

    // MARK: - Helpers

    /// EXAMINE for a read-only store, SELECT otherwise (only then are PERMANENTFLAGS real).
    func openCommand(_ folder: StoreFolder, condStore: Bool) -> Command {
        let name = MailboxName(bytes: Array(folder.raw.utf8))
        return readOnly ? .examine(name, condStore: condStore) : .select(name, condStore: condStore)
    }

    /// The folder's status and accepted keywords from the data opening it produced.
    func openedState(_ untagged: [UntaggedResponse], folder: StoreFolder) throws(StoreError)
        -> (FolderStatus, Set<String>?)
    {
        var status = FolderStatus(uidValidity: 0, uidNext: nil, messages: 0, highestModSeq: nil)
        var accepted: Set<String>?
        for response in untagged {
            switch response {
            case .exists(let count): status.messages = count
            case .condition(_, .uidValidity(let value), _): status.uidValidity = value
            case .condition(_, .uidNext(let value), _): status.uidNext = value
            case .condition(_, .highestModSeq(let value), _): status.highestModSeq = value
            case .condition(_, .permanentFlags(let flags), _) where !readOnly:
                accepted = flags.contains(.wildcard) ? nil : Set(flags.compactMap {
                    if case .keyword(let keyword) = $0 { keyword } else { nil }
                })
            default: break
            }
        }
        // The SELECT data has the authoritative UIDVALIDITY; STATUS-less servers still send it.
        if status.uidValidity == 0 {
            throw StoreError(scope: .folder, retry: .never, category: .protocol,
                message: "\(label): \(folder.portableName) has no UIDVALIDITY; cannot track it safely")
        }
        return (status, accepted)
    }

    static func meta(_ fetched: FetchAttributes) -> MessageMeta? {
        guard let uid = fetched.uid else { return nil }
        return MessageMeta(
            uid: uid, flags: (fetched.flags ?? []).map(\.description),
            internalDate: fetched.internalDate.map { MailDate(date: $0.date, zoneMinutes: $0.zoneMinutes) },
            size: fetched.rfc822Size ?? 0, modSeq: fetched.modSeq,
            gmailLabels: fetched.gmailLabels, gmailMessageID: fetched.gmailMessageID)
    }

    /// What a listing asks of each message: UID, flags, date and size; the mod-sequence where
    /// the server keeps them (CONDSTORE); Gmail's labels and message id where it offers them.
    static func listingAttributes(_ capabilities: Set<Capability>) -> [FetchAttribute] {
        var attributes: [FetchAttribute] = [.uid, .flags, .internalDate, .rfc822Size]
        if capabilities.contains(.condStore) { attributes.append(.modSeq) }
        if capabilities.contains(.gmailExtensions) { attributes += [.gmailLabels, .gmailMessageID] }
        return attributes
    }

    /// `UID SEARCH ALL`; with ESEARCH as `RETURN (ALL)`, which answers in ranges (`1:4000,4002`).
    static func searchAll(esearch: Bool) -> Command {
        .uidSearch(criteria: "ALL", returnOptions: esearch ? ["ALL"] : [])
    }

    /// The UIDs a `searchAll` answered, ascending. ESEARCH ranges are expanded only up to
    /// `limit` numbers in all (`IMAPLimits.maxListItems`, as for a plain SEARCH list): `1:4294967295`
    /// is a few bytes on the wire but would be 16 GB here.
    static func searchedUIDs(_ untagged: [UntaggedResponse], limit: Int = IMAPLimits.default.maxListItems)
        throws(IMAPProtocolError) -> [UInt32]
    {
        var uids: [UInt32] = []
        for response in untagged {
            switch response {
            case .search(let found, _): uids.append(contentsOf: found)
            case .esearch(let reply):
                guard let all = reply.allUIDs else { continue }
                for range in all.ranges {
                    guard uids.count + range.count <= limit else {
                        throw IMAPProtocolError(.limitExceeded, "ESEARCH names more than \(limit) UIDs")
                    }
                    uids.append(contentsOf: range)
                }
            default: break
            }
        }
        return Array(Set(uids)).sorted()
    }

    /// `searchedUIDs` with a limit overrun as a folder failure.
    func presentUIDs(_ untagged: [UntaggedResponse], folder: StoreFolder) throws(StoreError) -> [UInt32] {
        do {
            return try Self.searchedUIDs(untagged)
        } catch {
            throw StoreError(scope: .folder, retry: .never, category: .protocol,
                message: "\(label): \(folder.portableName): \(error)")
        }
    }
}
