import Foundation
import TernCore
import TernIMAP
import TernIMAPStore
import TernTLS

/// One test's own account (`u01`…) on both local Dovecot servers: wipes it, seeds it over
/// IMAP APPEND and reads folders back. Each test owns a distinct user, so tests run in
/// parallel with each other and with other suites without sharing mail. Either side can
/// instead be an account on a packaged server (Cyrus, Courier; see `Endpoint`).
public struct AccountFixture: Sendable {
    public enum Side: String, Sendable {
        case source, destination
    }

    /// An account on a packaged server that stands in for one side's Dovecot.
    public struct Endpoint: Sendable {
        public var server: PackagedServer
        public var user: String
        public var password: String

        public init(_ kind: PackagedServer.Kind, user: String) throws {
            server = try TestEnvironment.packaged(kind)
            guard let password = server.users[user] else {
                throw TestEnvironmentError(message: "no test user \(user) in \(kind.rawValue).json")
            }
            self.user = user
            self.password = password
        }
    }

    public let env: TestEnvironment
    public let user: String
    /// COMPRESS=DEFLATE on the connections this fixture makes (the default, as in `tern`);
    /// off for tests that count bytes on the wire.
    public var compression = true
    /// Sides served by a packaged server instead of the Dovecot pair.
    public private(set) var endpoints: [Side: Endpoint] = [:]

    /// `user` on the Dovecot side(s); `source`/`destination` replace a side with an account
    /// on a packaged server.
    public init(user: String, source: Endpoint?, destination: Endpoint?) throws {
        try self.init(user: user)
        endpoints[.source] = source
        endpoints[.destination] = destination
    }

    public init(user: String) throws {
        env = try TestEnvironment.dovecot()
        guard env.users[user] != nil else {
            throw TestEnvironmentError(
                message: "no test user \(user) in dovecot.json; run scripts/testenv/dovecot.sh start")
        }
        self.user = user
    }

    public var password: String { env.users[user]! }

    public func server(_ side: Side) -> TestEnvironment.Server {
        side == .source ? env.source : env.destination
    }

    /// IMAPS to the side's server, verified against the test CA as "localhost"; `port`
    /// overrides the port (a proxy in front of the server).
    public func configuration(_ side: Side, port: Int? = nil) -> ConnectionConfiguration {
        let endpoint = endpoints[side]
        var configuration = ConnectionConfiguration(host: "127.0.0.1",
            port: port ?? endpoint?.server.tlsPort ?? server(side).tlsPort, security: .implicit,
            tls: TLSConfiguration(caFile: endpoint?.server.ca ?? env.ca,
                serverName: endpoint?.server.tlsServerName ?? "localhost"),
            connectTimeout: .seconds(10), responseTimeout: .seconds(30), label: "\(side.rawValue) \(user(side))")
        configuration.compression = compression
        return configuration
    }

    public func credentials(password: String? = nil) -> Credentials {
        Credentials(user: user, secret: .password(Secret(password ?? self.password)))
    }

    /// The login name on a side (the packaged server's account, or `user`).
    public func user(_ side: Side) -> String { endpoints[side]?.user ?? user }

    public func credentials(_ side: Side, password: String? = nil) -> Credentials {
        Credentials(user: user(side), secret: .password(Secret(password ?? endpoints[side]?.password ?? self.password)))
    }

    /// A mail store for one side (the source read-only, as the engine uses it).
    public func store(_ side: Side, port: Int? = nil, password: String? = nil) -> IMAPMailStore {
        IMAPMailStore(configuration: configuration(side, port: port), credentials: credentials(side, password: password),
            label: "\(side.rawValue) \(user(side))", readOnly: side == .source)
    }

    /// A read-write store, for seeding and changing mail behind the engine's back.
    public func writableStore(_ side: Side) -> IMAPMailStore {
        IMAPMailStore(configuration: configuration(side), credentials: credentials(side),
            label: "\(side.rawValue) \(user(side)) (fixture)", readOnly: false)
    }

    public func connect(_ side: Side) async throws -> IMAPConnection {
        let connection = try await IMAPConnection.connect(configuration(side))
        try await connection.authenticate(credentials(side))
        // As the store does: Courier cannot LIST an emoji folder to a session without UTF8=ACCEPT.
        try await connection.enable(["UTF8=ACCEPT"])
        return connection
    }

    // MARK: - Wipe

    /// Empties the account on both servers: every folder but INBOX deleted, INBOX emptied.
    /// Folders the server creates by itself (Sent, Drafts … with `auto`) come back empty.
    public func wipe() async throws {
        try await wipe(.source)
        try await wipe(.destination)
    }

    public func wipe(_ side: Side) async throws {
        let connection = try await connect(side)
        defer { Task { await connection.logout() } }
        var names = try await listNames(connection)
        // Children first, so a parent is empty when its turn comes.
        for name in names.sorted(by: { $0.decoded.count > $1.decoded.count }) where !name.isInbox {
            _ = try await connection.execute(.delete(name))
            _ = try await connection.execute(.unsubscribe(name))
        }
        names = try await listNames(connection)
        for name in names {
            let selected = try await connection.execute(.select(name))
            guard selected.isOK else { continue }
            _ = try await connection.execute(.uidStore(.all, .add, [.deleted], silent: true))
            _ = try await connection.execute(.expunge)
        }
        _ = try await connection.execute(.unselect)
    }

    private func listNames(_ connection: IMAPConnection) async throws -> [MailboxName] {
        let listed = try await connection.run(
            .list(reference: MailboxName(decoded: ""), pattern: MailboxName(decoded: "*")))
        var names: [MailboxName] = []
        for case .list(let entry) in listed.untagged { names.append(entry.name) }
        return names
    }

    // MARK: - Seed

    /// Creates the folders the messages name (with a special use where given) and appends
    /// the messages in order. Returns the folders as listed afterwards.
    @discardableResult
    public func seed(_ side: Side, _ messages: [SeedMessage], specialUse: [[String]: String] = [:],
                     extraFolders: [[String]] = []) async throws -> [StoreFolder] {
        let store = writableStore(side)
        _ = try await store.open()
        defer { Task { await store.close() } }
        var folders = try await store.folders()
        func folder(_ path: [String]) async throws -> StoreFolder {
            if let existing = folders.first(where: { Self.same($0.path, path) }) { return existing }
            let created = try await store.createFolder(path: path, specialUse: specialUse[path])
            try await store.subscribe(created)
            folders.append(created)
            return created
        }
        for path in extraFolders { _ = try await folder(path) }
        var groups: [[String]: [SeedMessage]] = [:]
        var order: [[String]] = []
        for message in messages {
            if groups[message.folder] == nil { order.append(message.folder) }
            groups[message.folder, default: []].append(message)
        }
        for path in order {
            let target = try await folder(path)
            let outgoing = groups[path]!.map {
                OutgoingMessage(bytes: $0.bytes[...], flags: $0.flags, internalDate: $0.internalDate)
            }
            for result in try await store.append(to: target, outgoing) { _ = try result.get() }
        }
        return try await store.folders()
    }

    /// Appends messages to an existing folder (by path).
    public func append(_ side: Side, _ messages: [SeedMessage]) async throws {
        try await seed(side, messages)
    }

    // MARK: - Read back

    public func folders(_ side: Side) async throws -> [StoreFolder] {
        let store = writableStore(side)
        _ = try await store.open()
        defer { Task { await store.close() } }
        return try await store.folders()
    }

    /// The messages of a folder, in UID order; empty when the folder does not exist.
    public func messages(_ side: Side, _ path: [String]) async throws -> [FixtureMessage] {
        let store = writableStore(side)
        _ = try await store.open()
        defer { Task { await store.close() } }
        guard let folder = try await store.folders().first(where: { Self.same($0.path, path) }) else { return [] }
        let listing = try await store.messages(in: folder, changedSince: nil)
        let headers = try await store.headers(in: folder, uids: listing.messages.map(\.uid))
        return listing.messages.map { meta in
            let fields = headers[meta.uid] ?? [:]
            return FixtureMessage(uid: meta.uid, messageID: fields["message-id"].map(Self.stripBrackets),
                subject: fields["subject"],
                flags: meta.flags.filter { $0.lowercased() != "\\recent" }.sorted(),
                internalDate: meta.internalDate, size: meta.size)
        }
    }

    /// Every selectable folder's messages, keyed by portable path ("Projects/2024").
    public func allMessages(_ side: Side) async throws -> [String: [FixtureMessage]] {
        var result: [String: [FixtureMessage]] = [:]
        for folder in try await folders(side) where folder.selectable {
            result[folder.portableName] = try await messages(side, folder.path)
        }
        return result
    }

    /// Replaces the flags of the message with this Message-ID in a folder.
    public func setFlags(_ side: Side, _ path: [String], messageID: String, to flags: [String]) async throws {
        let target = try await messages(side, path).first { $0.messageID == messageID }
        guard let target else { throw TestEnvironmentError(message: "no message \(messageID) in \(path)") }
        let store = writableStore(side)
        _ = try await store.open()
        defer { Task { await store.close() } }
        let folder = try await store.folders().first { Self.same($0.path, path) }!
        try await store.setFlags(in: folder, [FlagChange(uid: target.uid, flags: flags)])
    }

    /// Deletes (flags \Deleted and expunges) the messages with these Message-IDs in a folder.
    public func delete(_ side: Side, _ path: [String], messageIDs: Set<String>) async throws {
        let uids = try await messages(side, path).filter { $0.messageID.map(messageIDs.contains) ?? false }.map(\.uid)
        let store = writableStore(side)
        _ = try await store.open()
        defer { Task { await store.close() } }
        let folder = try await store.folders().first { Self.same($0.path, path) }!
        try await store.delete(in: folder, uids: uids)
    }

    /// Deletes one folder (not INBOX) by portable path.
    public func deleteFolder(_ side: Side, _ path: [String]) async throws {
        let folder = try await folders(side).first { Self.same($0.path, path) }
        guard let folder else { return }
        let connection = try await connect(side)
        defer { Task { await connection.logout() } }
        let result = try await connection.execute(.delete(MailboxName(bytes: Array(folder.raw.utf8))))
        guard result.isOK else { throw TestEnvironmentError(message: "cannot delete \(folder.raw): \(result.state)") }
    }

    /// STATUS MESSAGES of a folder (0 when it does not exist).
    public func count(_ side: Side, _ path: [String]) async throws -> Int {
        let store = writableStore(side)
        _ = try await store.open()
        defer { Task { await store.close() } }
        guard let folder = try await store.folders().first(where: { Self.same($0.path, path) }) else { return 0 }
        return try await store.status(folder).messages
    }

    /// UIDVALIDITY of a folder (0 when it does not exist).
    public func uidValidity(_ side: Side, _ path: [String]) async throws -> UInt32 {
        let store = writableStore(side)
        _ = try await store.open()
        defer { Task { await store.close() } }
        guard let folder = try await store.folders().first(where: { Self.same($0.path, path) }) else { return 0 }
        return try await store.status(folder).uidValidity
    }

    static func same(_ lhs: [String], _ rhs: [String]) -> Bool {
        if lhs.count == 1 && rhs.count == 1 && lhs[0].uppercased() == "INBOX" && rhs[0].uppercased() == "INBOX" {
            return true
        }
        return lhs == rhs
    }

    static func stripBrackets(_ value: String) -> String {
        var text = value.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("<") && text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        return text
    }
}
