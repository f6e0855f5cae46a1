import TernCore
import TernIMAP
import TernTLS

/// Reads an account's shape over an authenticated connection: server identity, namespaces,
/// every folder with its special use, subscription, counts and size, and quota — using the
/// cheapest commands the server offers (LIST-STATUS, STATUS=SIZE) and pipelining the rest.
public struct AccountInspector: Sendable {
    /// Folders above these trip a warning: they take long and hit provider limits.
    public var largeFolderMessages = 100_000
    public var largeFolderBytes: Int64 = 10 * 1024 * 1024 * 1024
    /// Also find the account's largest message (`inventory scan`; `probe` leaves it off): one
    /// EXAMINE and a `UID SORT RETURN (MIN) (REVERSE SIZE)` plus a one-message FETCH per non-empty
    /// folder where the server has SORT and ESORT, else `FETCH RFC822.SIZE` over the folder in
    /// chunks. All pipelined, all read-only.
    public var findLargestMessage = false
    /// Messages per `FETCH n:m (RFC822.SIZE)` when the largest message is found without ESORT,
    /// and how many such chunks are in flight at once: only that many sizes are held at a time.
    public var sizeFetchChunk = 5_000
    public var sizeFetchWindow = 4

    public init(findLargestMessage: Bool = false) {
        self.findLargestMessage = findLargestMessage
    }

    public func inspect(_ connection: IMAPConnection, user: String, admin: String?,
                        authentication: String) async throws(IMAPError) -> AccountReport {
        let capabilities = await connection.capabilities
        var warnings: [String] = []

        var id: [String: String] = [:]
        if capabilities.contains(.id) {
            let reply = try await connection.execute(.id([IDField("name", "tern"), IDField("version", "0.1")]))
            for case .id(let fields) in reply.untagged {
                for field in fields { id[field.key.lowercased()] = field.value ?? "" }
            }
        }

        var namespaces: [String: [AccountReport.Namespace]] = [:]
        if capabilities.contains(.namespace) {
            let reply = try await connection.run(.namespace)
            for case .namespace(let response) in reply.untagged {
                func convert(_ list: [NamespaceDescription]) -> [AccountReport.Namespace] {
                    list.map { AccountReport.Namespace(prefix: $0.prefix, separator: $0.delimiter.map(String.init)) }
                }
                namespaces = ["personal": convert(response.personal), "otherUsers": convert(response.otherUsers),
                              "shared": convert(response.shared)]
            }
        }

        var folders = try await listFolders(connection, capabilities: capabilities)
        try await fillSizes(&folders, connection: connection, capabilities: capabilities)
        var largest: Int64?
        if findLargestMessage {
            do throws(IMAPError) {
                largest = try await largestMessage(folders, connection: connection, capabilities: capabilities)
            } catch {
                // A folder that cannot be read leaves the largest unknown, never understated.
                guard error.code == .commandFailed else { throw error }
                warnings.append("the largest message is unknown: \(error.message)")
            }
        }

        var quota: [AccountReport.QuotaRoot] = []
        if capabilities.contains(.quota) {
            let reply = try await connection.execute(.getQuotaRoot(.inbox))
            for case .quota(let root, let resources) in reply.untagged {
                quota.append(AccountReport.QuotaRoot(root: root, resources: resources.map {
                    AccountReport.QuotaRoot.Resource(name: $0.name, usage: $0.usage, limit: $0.limit)
                }))
            }
        }

        let security = connection.security
        let server = AccountReport.Server(
            host: connection.configuration.host, port: connection.configuration.port,
            security: Self.describe(security), encrypted: security != .plaintext,
            certificateVerified: { if case .tls(_, _, true) = security { true } else { false } }(),
            greeting: await connection.greeting.text, id: id,
            capabilities: capabilities.map(\.rawValue).sorted(),
            compression: await connection.compression != nil ? "DEFLATE" : nil)

        warnings += Self.capabilityWarnings(capabilities, security: security)
        warnings += folderWarnings(folders)
        warnings += Self.quotaWarnings(quota)
        warnings += await connection.alerts.map { "the server says: \($0)" }

        return AccountReport(
            server: server, user: user, admin: admin, authentication: authentication,
            separator: folders.lazy.compactMap { $0.separator }.first,
            namespaces: namespaces, folders: folders.map(\.report), quota: quota,
            totalMessages: folders.reduce(0) { $0 + ($1.report.messages ?? 0) },
            totalSize: folders.reduce(0) { $0 + ($1.report.size ?? 0) },
            warnings: warnings, largestMessage: largest)
    }

    // MARK: - Folders

    struct ListedFolder {
        var name: MailboxName
        var separator: String?
        var report: AccountReport.Folder
        /// The folder's largest RFC822.SIZE, when a pass over its sizes already saw them all.
        var largest: Int64?
    }

    private func listFolders(_ connection: IMAPConnection, capabilities: Set<Capability>) async throws(IMAPError)
        -> [ListedFolder]
    {
        let extended = capabilities.contains(.listExtended)
        let statusItems: [StatusAttribute] = capabilities.contains(.statusSize)
            ? [.messages, .unseen, .size] : [.messages, .unseen]
        var returnOptions: [ListReturnOption] = []
        if extended {
            returnOptions.append(.subscribed)
            if capabilities.contains(.specialUse) { returnOptions.append(.specialUse) }
            if capabilities.contains(.listStatus) { returnOptions.append(.status(statusItems)) }
        }
        let all = MailboxName(decoded: "*")
        var commands: [Command] = [.list(reference: MailboxName(decoded: ""), pattern: all, returnOptions: returnOptions)]
        if !extended { commands.append(.lsub(reference: MailboxName(decoded: ""), pattern: all)) }
        let replies = try await connection.pipeline(commands)
        guard replies[0].isOK else { throw IMAPError(.commandFailed, "LIST failed: \(replies[0].state.text)") }

        var subscribed = Set<MailboxName>()
        if replies.count > 1 { for case .lsub(let entry) in replies[1].untagged { subscribed.insert(entry.name) } }

        var folders: [ListedFolder] = []
        var statuses: [MailboxName: [StatusAttribute: Int64]] = [:]
        for response in replies[0].untagged {
            switch response {
            case .list(let entry):
                let attributes = entry.attributes
                folders.append(ListedFolder(
                    name: entry.name, separator: entry.separator.map(String.init),
                    report: AccountReport.Folder(
                        name: entry.name.decoded, raw: entry.name.wireString,
                        separator: entry.separator.map(String.init),
                        specialUse: entry.specialUse.map(\.description), attributes: attributes.map(\.description),
                        subscribed: attributes.contains(.subscribed) || subscribed.contains(entry.name),
                        selectable: !attributes.contains(.noSelect) && !attributes.contains(.nonExistent))))
            case .status(let name, let values):
                statuses[name] = values
            default: break
            }
        }

        // Without LIST-STATUS: one pipelined STATUS per selectable folder.
        let missing = folders.indices.filter { folders[$0].report.selectable && statuses[folders[$0].name] == nil }
        if !missing.isEmpty {
            let results = try await connection.pipeline(missing.map { .status(folders[$0].name, statusItems) })
            for result in results { for case .status(let name, let values) in result.untagged { statuses[name] = values } }
        }
        for index in folders.indices {
            guard let values = statuses[folders[index].name] else { continue }
            folders[index].report.messages = values[.messages].map { Int($0) }
            folders[index].report.unseen = values[.unseen].map { Int($0) }
            folders[index].report.size = values[.size]
        }
        return folders
    }

    /// Without STATUS=SIZE: EXAMINE each non-empty folder and sum RFC822.SIZE, all pipelined.
    private func fillSizes(_ folders: inout [ListedFolder], connection: IMAPConnection,
                           capabilities: Set<Capability>) async throws(IMAPError) {
        let needing = folders.indices.filter { folders[$0].report.size == nil && folders[$0].report.selectable }
        guard !needing.isEmpty else { return }
        var commands: [Command] = []
        for index in needing {
            commands.append(.examine(folders[index].name))
            if (folders[index].report.messages ?? 1) > 0 {
                commands.append(.fetch(SequenceSet(ranges: [1...UInt32.max]), [.rfc822Size]))
            }
        }
        let results = try await connection.pipeline(commands)
        var cursor = 0
        for index in needing {
            let examine = results[cursor]
            cursor += 1
            var total: Int64 = 0
            var largest: Int64 = 0
            var fetched = true
            if (folders[index].report.messages ?? 1) > 0 {
                for case .fetch(_, let attributes) in results[cursor].untagged {
                    total += attributes.rfc822Size ?? 0
                    largest = max(largest, attributes.rfc822Size ?? 0)
                }
                fetched = results[cursor].isOK
                cursor += 1
            }
            if examine.isOK {
                folders[index].report.size = total
                if fetched { folders[index].largest = largest }
            }
        }
        _ = try? await connection.execute(capabilities.contains(.unselect) ? .unselect : .close)
    }

    // MARK: - Warnings

    static func describe(_ security: StreamSecurity) -> String {
        switch security {
        case .plaintext: "plaintext (not encrypted)"
        case .tls(let version, let cipher, let verified):
            "\(version) \(cipher), certificate \(verified ? "verified" : "NOT verified (--insecure)")"
        }
    }

    static func capabilityWarnings(_ capabilities: Set<Capability>, security: StreamSecurity) -> [String] {
        var warnings: [String] = []
        switch security {
        case .plaintext:
            warnings.append("the connection is not encrypted: passwords and mail cross the network in the clear")
        case .tls(_, _, false):
            warnings.append("the server's certificate was not verified (--insecure): the link can be intercepted")
        default: break
        }
        if !capabilities.contains(.uidPlus) {
            warnings.append("no UIDPLUS: copies are matched by header fingerprint instead of APPENDUID (slower re-runs)")
        }
        if !capabilities.contains(.specialUse) {
            warnings.append("no SPECIAL-USE: Sent, Drafts, Trash, Junk and Archive are recognised by name only")
        }
        if !capabilities.contains(.condStore) {
            warnings.append("no CONDSTORE: delta passes must re-read all flags to find changes")
        }
        if !capabilities.contains(.literalPlus) && !capabilities.contains(.multiAppend) {
            warnings.append("neither LITERAL+ nor MULTIAPPEND: each APPEND costs an extra round trip")
        }
        return warnings
    }

    func folderWarnings(_ folders: [ListedFolder]) -> [String] {
        folders.compactMap { folder in
            let messages = folder.report.messages ?? 0
            let size = folder.report.size ?? 0
            guard messages >= largeFolderMessages || size >= largeFolderBytes else { return nil }
            return "very large folder \(folder.report.name): \(messages) messages, \(ByteCount.format(size)) — "
                + "start it in the pre-stage wave"
        }
    }

    static func quotaWarnings(_ roots: [AccountReport.QuotaRoot]) -> [String] {
        roots.flatMap { root in
            root.resources.compactMap { resource in
                guard resource.limit > 0, resource.usage * 10 >= resource.limit * 9 else { return nil }
                return "quota \(root.root) \(resource.name) is \(resource.usage * 100 / resource.limit)% used"
            }
        }
    }
}
