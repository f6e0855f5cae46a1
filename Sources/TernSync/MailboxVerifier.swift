import Foundation
import TernCore
import TernState

/// Compares each mapped folder pair — counts, identities, flags — and lists what is missing
/// from the destination, what is extra there, and which copies carry different flags. The
/// entries form the per-message reconciliation manifest an agency hands to its client.
public struct MailboxVerifier: Sendable {
    public let source: any MailStore
    public let destination: any MailStore
    public let state: any StateStore
    public let rules: any Rules
    public let options: SyncOptions
    public let sourceKey: String
    public let destinationKey: String

    public init(source: any MailStore, destination: any MailStore, state: any StateStore, rules: any Rules = NoRules(),
                options: SyncOptions, sourceKey: String, destinationKey: String) {
        self.source = GmailLabelView(base: source, mode: options.gmailLabels, rules: rules,
            memory: MailboxSync.placementMemory(state: state, sourceKey: sourceKey, destinationKey: destinationKey))
        self.destination = destination
        self.state = state
        self.rules = rules
        self.options = options
        self.sourceKey = sourceKey
        self.destinationKey = destinationKey
    }

    public func run() async throws -> VerificationReport {
        do {
            let report = try await compare()
            await source.close()
            await destination.close()
            return report
        } catch {
            await source.close()
            await destination.close()
            throw error
        }
    }

    private func compare() async throws -> VerificationReport {
        _ = try await source.open()
        _ = try await destination.open()
        let planner = try FolderPlanner(options: options.folders)
        let destinationFolders = try await destination.folders()
        let plan = try await planner.plan(source: try await source.folders(), destination: destinationFolders,
            rules: rules)
        let mailboxID = try await state.mailboxID(source: sourceKey, destination: destinationKey)
        let ledger = try await state.failures(mailbox: mailboxID)
        var folders: [FolderVerification] = []
        for planned in plan.pairs {
            // Where the copy put the folder, as sync finds it (`resolved`).
            let pair = planned.resolved(record: try await state.folder(mailbox: mailboxID,
                sourceName: planned.source.raw), destination: destinationFolders)
            folders.append(try await verify(pair, mailboxID: mailboxID, ledger: ledger))
        }
        return VerificationReport(source: sourceKey, destination: destinationKey, folders: folders)
    }

    private func verify(_ pair: FolderPlanner.Pair, mailboxID: Int64, ledger: [FailureRecord]) async throws
        -> FolderVerification
    {
        let destinationName = pair.existing?.portableName ?? pair.destinationPath.joined(separator: "/")
        var result = FolderVerification(source: pair.source.portableName, destination: destinationName)
        let sourceListing = try await source.messages(in: pair.source, changedSince: nil)
        let sourceHeaders = try await source.headers(in: pair.source, uids: sourceListing.messages.map(\.uid))
        result.sourceCount = sourceListing.messages.count

        var destinationMessages: [MessageMeta] = []
        var destinationHeaders: [UInt32: HeaderFields] = [:]
        var acceptedKeywords: Set<String>?
        if let folder = pair.existing {
            let listing = try await destination.messages(in: folder, changedSince: nil)
            destinationMessages = listing.messages
            acceptedKeywords = listing.acceptedKeywords
            destinationHeaders = try await destination.headers(in: folder, uids: listing.messages.map(\.uid))
        }
        result.destinationCount = destinationMessages.count

        let record = try await state.folder(mailbox: mailboxID, sourceName: pair.source.raw)
        var map: [UInt32: MessageRecord] = [:]
        if let folderID = record?.id { map = try await state.messages(folder: folderID) }
        let failed = Set(ledger.filter { $0.folderID == record?.id }.map(\.sourceUID))
        // A UID listed for several messages cannot be compared: each is a difference, named.
        let sourceListed = DuplicateUIDs(sourceListing.messages)
        for uid in sourceListed.uids {
            result.entries.append(ManifestEntry(status: .failed, sourceFolder: result.source, sourceUID: uid,
                messageID: nil, size: nil, date: nil, destinationFolder: destinationName, destinationUID: nil,
                detail: DuplicateUIDs.describe(uid, count: sourceListed.duplicated[uid] ?? 0, side: "source")))
            result.missing += 1
        }
        let destinationListed = DuplicateUIDs(destinationMessages)
        for uid in destinationListed.uids {
            result.entries.append(ManifestEntry(status: .extra, sourceFolder: result.source, sourceUID: nil,
                messageID: nil, size: nil, date: nil, destinationFolder: destinationName, destinationUID: uid,
                detail: "the destination listed UID \(uid) for \(destinationListed.duplicated[uid] ?? 0) messages"))
            result.extra += 1
        }
        destinationMessages = destinationListed.unique
        var remaining = Dictionary(destinationMessages.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        var pool: [String: [MessageMeta]] = [:]
        for message in destinationMessages.reversed() {
            pool[MessageIdentity.fingerprint(destinationHeaders[message.uid] ?? [:]), default: []].append(message)
        }
        func take(_ uid: UInt32, fingerprint: String) {
            remaining[uid] = nil
            if let index = pool[fingerprint]?.firstIndex(where: { $0.uid == uid }) { pool[fingerprint]?.remove(at: index) }
        }

        let now = Date()
        for message in sourceListed.unique {
            let headers = sourceHeaders[message.uid] ?? [:]
            let fingerprint = MessageIdentity.fingerprint(headers)
            var entry = ManifestEntry(status: .copied, sourceFolder: result.source, sourceUID: message.uid,
                messageID: headers["message-id"], size: message.size, date: message.internalDate?.date,
                destinationFolder: destinationName, destinationUID: nil, detail: nil)
            // The same filter the copy ran: a message it skips is excluded, not missing, and
            // the flags it adds or removes are the ones expected at the destination.
            var sourceFlags = FlagSet.normalize(message.flags)
            var filterVerdict: String?
            if rules.filtersMessages {
                let summary = MessageSummary(folder: result.source, uid: message.uid, size: message.size,
                    internalDate: message.internalDate?.date, flags: sourceFlags,
                    headers: .init(from: headers["from"], to: headers["to"], subject: headers["subject"],
                        date: headers["date"], messageID: headers["message-id"]))
                do {
                    switch try await rules.filterMessage(summary) {
                    case .copy: break
                    case .skip: filterVerdict = "skipped by the message filter"
                    case .copyAdjustingFlags(let add, let remove):
                        let removed = Set(remove.map { $0.lowercased() })
                        sourceFlags = FlagSet.normalize(sourceFlags.filter { !removed.contains($0.lowercased()) } + add)
                    }
                } catch {
                    filterVerdict = "the message filter failed: \(error)"
                }
            }
            var match: MessageMeta?
            if let mapped = map[message.uid]?.destinationUID, let copy = remaining[mapped] {
                match = copy
            } else {
                match = pool[fingerprint]?.last
            }
            if let match {
                take(match.uid, fingerprint: fingerprint)
                entry.destinationUID = match.uid
                let expected = FlagSet.accepted(sourceFlags, keywords: acceptedKeywords).kept
                let actual = FlagSet.normalize(match.flags)
                var details: [String] = []
                if let altered = Self.alteration(source: message, headers, copy: match,
                                                 destinationHeaders[match.uid] ?? [:]) {
                    entry.status = .altered
                    details.append(altered)
                    result.altered += 1
                }
                if Set(expected) != Set(actual) {
                    if entry.status != .altered { entry.status = .flagMismatch }
                    details.append("flags: source \(expected.joined(separator: " ")) / destination "
                        + actual.joined(separator: " "))
                    result.flagMismatches += 1
                }
                if !details.isEmpty { entry.detail = details.joined(separator: "; ") }
                result.matched += 1
            } else if !options.admits(message, now: now) {
                entry.status = .excluded
                entry.detail = "outside --max-size/--min-size/--max-age/--min-age"
                result.excluded += 1
            } else if filterVerdict == "skipped by the message filter" {
                entry.status = .excluded
                entry.detail = filterVerdict
                result.excluded += 1
            } else if let filterVerdict {
                entry.status = .failed
                entry.detail = filterVerdict
                result.missing += 1
            } else {
                entry.status = failed.contains(message.uid) ? .failed : .missing
                entry.detail = failed.contains(message.uid) ? "in the failure ledger" : nil
                result.missing += 1
            }
            result.entries.append(entry)
        }
        for message in remaining.values.sorted(by: { $0.uid < $1.uid }) {
            let headers = destinationHeaders[message.uid] ?? [:]
            result.entries.append(ManifestEntry(status: .extra, sourceFolder: result.source, sourceUID: nil,
                messageID: headers["message-id"], size: message.size, date: message.internalDate?.date,
                destinationFolder: destinationName, destinationUID: message.uid, detail: nil))
            result.extra += 1
        }
        return result
    }
}

extension MailboxVerifier {
    /// What the destination changed in a copy it holds, in words, or nil when the copy is the
    /// source's message: its identity headers (beyond folding) and its size. A server that
    /// rewrites 8-bit header bytes (Cyrus) or adds a header shows here.
    static func alteration(source: MessageMeta, _ sourceHeaders: HeaderFields, copy: MessageMeta,
                           _ copyHeaders: HeaderFields) -> String? {
        var changes = MessageIdentity.differences(sourceHeaders, copyHeaders).map { change in
            "\(change.field) \"\(change.source)\" became \"\(change.destination)\""
        }
        if source.size != copy.size { changes.append("size \(source.size) → \(copy.size) bytes") }
        return changes.isEmpty ? nil : "the destination altered it: " + changes.joined(separator: ", ")
    }
}

public struct VerificationReport: Sendable, Codable {
    public var source: String
    public var destination: String
    public var folders: [FolderVerification]

    public var matches: Bool { folders.allSatisfy(\.matches) }
}

public struct FolderVerification: Sendable, Codable {
    public var source: String
    public var destination: String
    public var sourceCount = 0
    public var destinationCount = 0
    public var matched = 0
    public var missing = 0
    public var extra = 0
    public var flagMismatches = 0
    /// Copies the destination holds in a changed form (headers rewritten, size differs).
    public var altered = 0
    public var excluded = 0
    public var entries: [ManifestEntry] = []

    public init(source: String, destination: String) {
        self.source = source
        self.destination = destination
    }

    public var matches: Bool { missing == 0 && extra == 0 && flagMismatches == 0 && altered == 0 }
}

/// One line of the reconciliation manifest.
public struct ManifestEntry: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case copied, missing, extra, failed, excluded, altered
        case flagMismatch = "flag-mismatch"
    }

    public var status: Status
    public var sourceFolder: String
    public var sourceUID: UInt32?
    public var messageID: String?
    public var size: Int64?
    public var date: Date?
    public var destinationFolder: String
    public var destinationUID: UInt32?
    public var detail: String?
}
