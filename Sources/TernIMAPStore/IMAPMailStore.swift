import Foundation
import TernCore
import TernIMAP
import TernTLS

/// `MailStore` over one IMAP account: uses the extensions the server offers (UIDPLUS,
/// CONDSTORE, LITERAL+, LIST-EXTENDED, SPECIAL-USE), pipelines what can be pipelined, and
/// turns every IMAP failure into a `StoreError` with a scope and retry class
/// (`StoreErrorClassifier`).
public actor IMAPMailStore: MailStore {
    public nonisolated let label: String
    public let configuration: ConnectionConfiguration
    public let credentials: Credentials
    /// A source is only ever read: folders are opened with EXAMINE, never SELECT.
    public nonisolated let readOnly: Bool

    private var connection: IMAPConnection?
    private var info: StoreInfo?
    private var selected: (raw: String, readOnly: Bool)?
    /// An admin login was checked to open the user's session, not the admin's (once per store).
    private var adminSessionChecked = false
    /// UTF8=ACCEPT is on: the server sends names as UTF-8, in which "&" is just a character.
    private var utf8Names = false
    /// UIDs per UID FETCH command: long enough to amortise, short enough for any server's line limit.
    let uidsPerCommand = 400

    public init(configuration: ConnectionConfiguration, credentials: Credentials, label: String, readOnly: Bool) {
        self.readOnly = readOnly
        self.configuration = configuration
        self.credentials = credentials
        self.label = label
    }

    // MARK: - Session

    public func open() async throws(StoreError) -> StoreInfo {
        if let connection { await connection.close() }
        connection = nil
        selected = nil
        let fresh: IMAPConnection
        let enabled: Set<String>
        do {
            fresh = try await IMAPConnection.connect(configuration)
            try await fresh.authenticate(credentials)
            // UTF8=ACCEPT (RFC 6855) where offered: Courier refuses a name outside Unicode's
            // basic plane (an emoji) in modified UTF-7, and cannot LIST one to a session without it.
            enabled = try await fresh.enable(["CONDSTORE", "UTF8=ACCEPT"])
        } catch {
            throw StoreErrorClassifier.classify(error, during: "log in", label: label)
        }
        if credentials.admin != nil && !adminSessionChecked {
            do {
                try await AdminSessionCheck.verify(fresh, configuration: configuration, credentials: credentials,
                    label: label)
            } catch {
                await fresh.close()
                throw error
            }
            adminSessionChecked = true
        }
        utf8Names = enabled.contains("UTF8=ACCEPT")
        connection = fresh
        let learned = try await learn(fresh)
        info = learned
        return learned
    }

    public func close() async {
        if let connection { await connection.logout() }
        connection = nil
        selected = nil
    }

    private func learn(_ connection: IMAPConnection) async throws(StoreError) -> StoreInfo {
        let capabilities = await connection.capabilities
        var prefix = ""
        var separator: String?
        if capabilities.contains(.namespace) {
            let reply = try await run(.namespace, "read the namespaces")
            for case .namespace(let namespaces) in reply.untagged {
                if let personal = namespaces.personal.first {
                    prefix = personal.prefix
                    separator = personal.delimiter.map(String.init)
                }
            }
        }
        if separator == nil {
            let reply = try await run(.list(reference: MailboxName(decoded: ""), pattern: MailboxName(decoded: "")),
                "learn the hierarchy separator")
            for case .list(let entry) in reply.untagged { separator = entry.separator.map(String.init) }
        }
        let limit = capabilities.lazy.compactMap { $0.appendLimitValue }.first.flatMap { $0 }
        return StoreInfo(
            separator: separator, personalPrefix: prefix, supportsUIDPlus: capabilities.contains(.uidPlus),
            supportsCondStore: capabilities.contains(.condStore), supportsSpecialUse: capabilities.contains(.specialUse),
            appendLimit: limit.map(Int64.init), capabilities: capabilities.map(\.rawValue).sorted())
    }

    var selectedFolder: (raw: String, readOnly: Bool)? { selected }
    func setSelected(_ raw: String, readOnly: Bool) { selected = (raw, readOnly) }

    func live() throws(StoreError) -> IMAPConnection {
        guard let connection else {
            throw StoreError(scope: .connection, retry: .now, category: .connection,
                message: "\(label): not connected")
        }
        return connection
    }

    /// Runs one command; NO/BAD become a `StoreError` of the scope the command implies.
    @discardableResult
    func run(_ command: Command, _ purpose: String, scope: StoreError.Scope = .folder) async throws(StoreError)
        -> CommandResult
    {
        let connection = try live()
        let result: CommandResult
        do {
            result = try await connection.execute(command)
        } catch {
            throw StoreErrorClassifier.classify(error, during: purpose, label: label)
        }
        guard result.isOK else { throw StoreErrorClassifier.classify(result.state, during: purpose, label: label, scope: scope) }
        return result
    }

    @discardableResult
    func pipeline(_ commands: [Command], _ purpose: String) async throws(StoreError) -> [CommandResult] {
        let connection = try live()
        let results: [CommandResult]
        do {
            results = try await connection.pipeline(commands)
        } catch {
            throw StoreErrorClassifier.classify(error, during: purpose, label: label)
        }
        if let failed = results.first(where: { !$0.isOK }) {
            throw StoreErrorClassifier.classify(failed.state, during: purpose, label: label, scope: .folder)
        }
        return results
    }

    // MARK: - Folders

    public func folders() async throws(StoreError) -> [StoreFolder] {
        let capabilities = try await live().capabilities
        let extended = capabilities.contains(.listExtended)
        var returnOptions: [ListReturnOption] = []
        if extended {
            returnOptions = [.subscribed]
            if capabilities.contains(.specialUse) { returnOptions.append(.specialUse) }
        }
        let everything = MailboxName(decoded: "*")
        var commands: [Command] = [.list(reference: MailboxName(decoded: ""), pattern: everything,
            returnOptions: returnOptions)]
        if !extended { commands.append(.lsub(reference: MailboxName(decoded: ""), pattern: everything)) }
        let results = try await pipeline(commands, "list folders")
        var subscribed = Set<MailboxName>()
        if results.count > 1 {
            for case .lsub(let entry) in results[1].untagged { subscribed.insert(canonical(entry.name)) }
        }
        var folders: [StoreFolder] = []
        for case .list(let entry) in results[0].untagged {
            guard let folder = storeFolder(entry, subscribed: subscribed.contains(canonical(entry.name))) else { continue }
            folders.append(folder)
        }
        return folders
    }

    /// A listed name in the one form folders keep whatever the session: modified UTF-7, as a
    /// server without UTF8=ACCEPT sends it. So the state's names stay the same when a server
    /// starts offering UTF8=ACCEPT, and the encoder sends each name the way its session needs.
    func canonical(_ name: MailboxName) -> MailboxName {
        utf8Names ? MailboxName(decoded: String(decoding: name.bytes, as: UTF8.self)) : name
    }

    /// Converts a LIST entry; nil for names outside the personal namespace.
    func storeFolder(_ entry: ListEntry, subscribed: Bool) -> StoreFolder? {
        let separator = entry.separator.map(String.init) ?? info?.separator
        let name = canonical(entry.name)
        guard let path = Self.path(of: name, separator: separator, personalPrefix: info?.personalPrefix ?? "")
        else { return nil }
        let attributes = entry.attributes
        return StoreFolder(
            path: path, raw: name.wireString, separator: separator,
            specialUse: entry.specialUse.map(\.description), attributes: attributes.map(\.description),
            subscribed: subscribed || attributes.contains(.subscribed),
            selectable: !attributes.contains(.noSelect) && !attributes.contains(.nonExistent))
    }

    /// A listed name's portable path (levels below the personal namespace, decoded); nil for
    /// names outside it. Public so the scan stores folders exactly as `sync` will see them.
    public static func path(of name: MailboxName, separator: String?, personalPrefix prefix: String) -> [String]? {
        let decoded = name.decoded
        var path: [String]
        if name.isInbox {
            path = ["INBOX"]
        } else if prefix.isEmpty || decoded.hasPrefix(prefix) {
            let relative = String(decoded.dropFirst(prefix.count))
            path = separator.map { relative.components(separatedBy: $0) } ?? [relative]
        } else {
            return nil
        }
        path = path.filter { !$0.isEmpty }
        return path.isEmpty ? nil : path
    }

    /// The wire name for a portable path: prefix + levels joined by the separator. A level
    /// containing the separator itself gets it replaced by `_` (it could not be a level).
    func mailboxName(for path: [String]) -> MailboxName {
        MailboxName(decoded: Self.decodedName(for: path, separator: info?.separator,
            personalPrefix: info?.personalPrefix ?? ""))
    }

    /// `mailboxName(for:)` decoded: what a folder of this path is called on a server with this
    /// separator (nil: `/`) and personal prefix. Public for the folder-mapping preview.
    public static func decodedName(for path: [String], separator: String?, personalPrefix: String) -> String {
        if path.count == 1 && path[0].uppercased() == "INBOX" { return "INBOX" }
        let separator = separator ?? "/"
        let levels = path.map { $0.replacingOccurrences(of: separator, with: "_") }
        return personalPrefix + levels.joined(separator: separator)
    }

    public func createFolder(path: [String], specialUse: String?) async throws(StoreError) -> StoreFolder {
        let name = mailboxName(for: path)
        let capabilities = try await live().capabilities
        var uses: [MailboxAttribute] = []
        if let specialUse, capabilities.contains(.createSpecialUse) { uses = [MailboxAttribute(specialUse)] }
        let connection = try live()
        let created: CommandResult
        let purpose = "create folder \(name.decoded)"
        do {
            created = try await connection.execute(.create(name, specialUse: uses))
        } catch {
            throw StoreErrorClassifier.classify(error, during: purpose, label: label)
        }
        // Refused: perhaps because it is there — made with a child (Cyrus creates parents as
        // real folders), or by an earlier run. Cyrus says so only in words, Courier not even that
        // ("Cannot create this folder."): whatever the wording, a selectable folder LIST shows is it.
        let listed = try await listFolder(name, extended: capabilities.contains(.listExtended))
        if created.isOK, let listed { return listed }
        if !created.isOK, let listed, listed.selectable { return listed }
        if !created.isOK, !StoreErrorClassifier.isAlreadyExists(created.state) {
            throw StoreErrorClassifier.classify(created.state, during: purpose, label: label, scope: .folder)
        }
        throw StoreError(scope: .folder, retry: .never, category: .folder,
            message: "\(label): \(created.isOK ? "created" : "the server says it has") folder \(name.decoded) "
                + "but does not list it as a folder that can hold mail")
    }

    /// The folder LIST shows under exactly this name, if any.
    private func listFolder(_ name: MailboxName, extended: Bool) async throws(StoreError) -> StoreFolder? {
        let listed = try await run(.list(reference: MailboxName(decoded: ""), pattern: name,
            returnOptions: extended ? [.subscribed] : []), "list folder \(name.decoded)")
        for case .list(let entry) in listed.untagged {
            if let folder = storeFolder(entry, subscribed: false) { return folder }
        }
        return nil
    }

    public func subscribe(_ folder: StoreFolder) async throws(StoreError) {
        try await run(.subscribe(MailboxName(bytes: Array(folder.raw.utf8))), "subscribe to \(folder.portableName)")
    }

    public func status(_ folder: StoreFolder) async throws(StoreError) -> FolderStatus {
        let condStore = try await live().capabilities.contains(.condStore)
        var items: [StatusAttribute] = [.messages, .uidNext, .uidValidity]
        if condStore { items.append(.highestModSeq) }
        let reply = try await run(.status(MailboxName(bytes: Array(folder.raw.utf8)), items),
            "read the status of \(folder.portableName)")
        for case .status(_, let values) in reply.untagged {
            return FolderStatus(
                uidValidity: UInt32(truncatingIfNeeded: values[.uidValidity] ?? 0),
                uidNext: values[.uidNext].map { UInt32(truncatingIfNeeded: $0) },
                messages: Int(values[.messages] ?? 0),
                highestModSeq: values[.highestModSeq].map { UInt64($0) })
        }
        throw StoreError(scope: .folder, retry: .never, category: .protocol,
            message: "\(label): no STATUS data for \(folder.portableName)")
    }
}
