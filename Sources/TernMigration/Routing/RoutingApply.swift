import Foundation
import TernManageSieve
import TernScript
import TernTLS

/// `tern routing apply` / `tern routing verify`: puts the routing table on the destination and
/// reads it back.
///
/// Each forwarder becomes the script `tern-forward` of the mailbox it belongs to (the text of
/// `tern routing export --format sieve`), made the active script over ManageSieve (RFC 5804).
/// PUTSCRIPT replaces a script of the same name, so running apply again is harmless. When the
/// destination preset defines routing functions (`PresetRoutingAPI`), aliases and groups go to
/// its `create_alias`/`create_group`, and forwarders to its `create_forwarder` instead of Sieve
/// (see `RoutingApplier+Preset.swift`); what neither can make is reported as a manual step.
public struct RoutingApplier: Sendable {
    /// The name every installed script has, so a re-run replaces it and verify finds it.
    public static let scriptName = "tern-forward"

    /// How the mailbox's address becomes its ManageSieve login name.
    public enum LoginName: String, Sendable, CaseIterable {
        case address
        case localPart = "local-part"

        public func login(for address: String) -> String {
            switch self {
            case .address: address
            case .localPart: String(address.split(separator: "@", maxSplits: 1).first ?? Substring(address))
            }
        }
    }

    public struct Connection: Sendable {
        public var host: String
        public var port: Int
        public var security: ManageSieveClient.Security
        /// The mailbox's password, or the admin's with `admin`.
        public var password: String
        /// Log in as this admin (master) user and act as the mailbox: a PLAIN authorization
        /// identity, or `mailbox<SEP>admin` with `adminSeparator`.
        public var admin: String?
        public var adminSeparator: String?
        public var loginName: LoginName
        public var connectTimeout: Duration
        /// Each ManageSieve exchange's deadline (`--sieve-timeout`).
        public var commandTimeout: Duration

        public init(host: String, port: Int, security: ManageSieveClient.Security, password: String, admin: String? = nil,
                    adminSeparator: String? = nil, loginName: LoginName = .address, connectTimeout: Duration = .seconds(30),
                    commandTimeout: Duration = .seconds(120)) {
            self.host = host
            self.port = port
            self.security = security
            self.password = password
            self.admin = admin
            self.adminSeparator = adminSeparator
            self.loginName = loginName
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
        }
    }

    /// One routing object's result.
    public struct Outcome: Sendable, Equatable, Codable {
        public enum Status: String, Sendable, Codable {
            /// apply: the script is installed and active; verify: it is there, active, as expected.
            case ok
            /// --dry-run: what apply would do.
            case planned
            /// Not something ManageSieve can make: do it by hand.
            case manual
            /// verify: the script is missing, different or not active.
            case missing
            case failed
        }
        public var kind: InventoryObject.Kind
        public var address: String
        public var status: Status
        public var detail: String
    }

    public var connection: Connection?
    /// The destination preset's routing functions, if it has any.
    public var preset: PresetRoutingAPI?

    public init(connection: Connection?, preset: PresetRoutingAPI? = nil) {
        self.connection = connection
        self.preset = preset
    }

    /// The forwarders' scripts by address.
    /// The Sieve scripts apply installs: not those of forwarders under review, which a person
    /// decides on first (they are manual steps).
    public static func scripts(_ table: RoutingTable) -> [(address: String, text: String)] {
        let review = Set(table.entries.filter { $0.kind == .forwarder && $0.status == .review }.map(\.address))
        return table.sieveScripts().map { (String($0.name.dropLast(".sieve".count)), $0.text) }
            .filter { !review.contains($0.0) }
    }

    /// What cannot be done over ManageSieve: aliases, groups, the catch-all, forwarders under
    /// review or that reject, discard or have no target.
    public static func manual(_ table: RoutingTable) -> [Outcome] {
        let scripted = Set(scripts(table).map(\.address))
        return manual(table.entries.filter { !($0.kind == .forwarder && scripted.contains($0.address)) }
            .map { ($0, nil) })
    }

    /// Manual steps for `entries`, each with its reason (the default one when nil).
    static func manual(_ entries: [(entry: RoutingTable.Entry, why: String?)]) -> [Outcome] {
        entries.map { entry, why in
            Outcome(kind: entry.kind, address: entry.address, status: .manual,
                    detail: "manual: " + (why ?? manualReason(entry)))
        }
    }

    /// Why an object is a manual step when nothing else is known.
    static func manualReason(_ entry: RoutingTable.Entry) -> String {
        switch entry.kind {
        case .alias, .group:
            "create in the provider's admin console (\(entry.address) → \(entry.targets.joined(separator: ", ")))"
        case .catchall:
            "set the catch-all policy in the provider's admin console"
        default:
            entry.status == .review ? "under review: decide, then install by hand"
                : "no redirect to install (\(entry.action.rawValue), \(entry.targets.count) targets)"
        }
    }

    public func apply(_ table: RoutingTable, dryRun: Bool) async -> [Outcome] {
        let creates = await preset?.creates ?? []
        let routes = Self.routes(table, creates: creates, preset: presetName)
        var outcomes: [Outcome] = []
        for (address, text) in Self.scripts(table) where routes.sieve.contains(address) {
            if dryRun {
                outcomes.append(Outcome(kind: .forwarder, address: address, status: .planned,
                    detail: "would install and activate Sieve script \(Self.scriptName) in \(address)"))
                continue
            }
            do throws(ManageSieveError) {
                let client = try await login(address)
                defer { client.close() }
                // Only one script is active per mailbox (RFC 5804 §2.8): say which one ours replaces.
                let before = try await client.listScripts().first { $0.active }?.name
                try await client.putScript(name: Self.scriptName, content: text)
                try await client.setActive(name: Self.scriptName)
                await client.logout()
                let replaced = before.flatMap { $0 == Self.scriptName ? nil : $0 }
                outcomes.append(Outcome(kind: .forwarder, address: address, status: .ok,
                    detail: "installed and activated Sieve script \(Self.scriptName)"
                        + (replaced.map { " (it replaces the active script \"\($0)\": merge its rules by hand if still needed)" } ?? "")))
            } catch {
                outcomes.append(Outcome(kind: .forwarder, address: address, status: .failed, detail: error.message))
            }
        }
        outcomes += await create(routes.preset, dryRun: dryRun)
        return outcomes + Self.manual(routes.manual)
    }

    /// Reads each forwarder's script back (LISTSCRIPTS, GETSCRIPT) and compares it; objects the
    /// preset can list are looked up in its lists.
    public func verify(_ table: RoutingTable) async -> [Outcome] {
        let creates = await preset?.creates ?? []
        let lists = await preset?.lists ?? []
        let routes = Self.routes(table, creates: creates, lists: lists, preset: presetName)
        var outcomes: [Outcome] = []
        for (address, text) in Self.scripts(table) where routes.sieve.contains(address) {
            do throws(ManageSieveError) {
                let client = try await login(address)
                defer { client.close() }
                let listed = try await client.listScripts()
                let installed = try await client.getScript(name: Self.scriptName)
                await client.logout()
                let outcome: (Outcome.Status, String)
                if installed == nil {
                    outcome = (.missing, "no Sieve script \(Self.scriptName) in \(address)")
                } else if Self.normalised(installed!) != Self.normalised(text) {
                    outcome = (.missing, "Sieve script \(Self.scriptName) in \(address) differs from the inventory's forwarder")
                } else if !(listed.first { $0.name == Self.scriptName }?.active ?? false) {
                    let active = listed.first { $0.active }?.name
                    outcome = (.missing, "Sieve script \(Self.scriptName) in \(address) is not active"
                        + (active.map { " (\($0) is)" } ?? " (no script is)"))
                } else {
                    outcome = (.ok, "Sieve script \(Self.scriptName) installed and active")
                }
                outcomes.append(Outcome(kind: .forwarder, address: address, status: outcome.0, detail: outcome.1))
            } catch {
                outcomes.append(Outcome(kind: .forwarder, address: address, status: .failed, detail: error.message))
            }
        }
        outcomes += await lookUp(routes.preset)
        return outcomes + Self.manual(routes.manual)
    }

    /// The script's commands: line endings unified, `#` comment lines (which name the import
    /// file) and blank lines dropped, so a re-import from another path still compares equal.
    static func normalised(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .joined(separator: "\n")
    }

    func login(_ address: String) async throws(ManageSieveError) -> ManageSieveClient {
        guard let connection else {
            throw ManageSieveError(.unsupported, "no destination ManageSieve server given")
        }
        let client = try await ManageSieveClient.connect(host: connection.host, port: connection.port,
            security: connection.security, connectTimeout: connection.connectTimeout,
            commandTimeout: connection.commandTimeout)
        let mailbox = connection.loginName.login(for: address)
        do throws(ManageSieveError) {
            if let admin = connection.admin {
                if let separator = connection.adminSeparator {
                    try await client.authenticate(user: mailbox + separator + admin, password: connection.password)
                } else {
                    try await client.authenticate(user: admin, password: connection.password, authorization: mailbox)
                }
            } else {
                try await client.authenticate(user: mailbox, password: connection.password)
            }
        } catch {
            client.close()
            throw error
        }
        return client
    }
}
