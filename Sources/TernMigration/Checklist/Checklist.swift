import Foundation
import TernCore
import TernState

/// The pre-cutover checklist: each item ok, fail or manual, with the evidence it was judged on.
///
/// The evaluator is pure: the CLI gathers the inputs (IMAP logins, ManageSieve reads, DNS
/// answers, the state database, the operator's `tern checklist set` values) and this decides.
/// An input that was not gathered (no credentials, no DNS servers given) makes its item
/// `manual`, never `ok`.
public struct ChecklistItem: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case ok, fail, manual }
    public var key: String
    public var title: String
    public var status: Status
    public var evidence: [String]
}

public struct ChecklistReport: Sendable, Equatable, Codable {
    public var items: [ChecklistItem]
    /// True when no item failed (manual items remain for a person).
    public var passed: Bool { !items.contains { $0.status == .fail } }

    public subscript(key: String) -> ChecklistItem? { items.first { $0.key == key } }

    public init(items: [ChecklistItem]) { self.items = items }

    enum CodingKeys: String, CodingKey { case items, passed }

    public init(from decoder: any Decoder) throws {
        items = try decoder.container(keyedBy: CodingKeys.self).decode([ChecklistItem].self, forKey: .items)
    }

    /// `{"passed": …, "items": […]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(passed, forKey: .passed)
    }
}

/// A yes/no check someone ran, with what it saw.
public struct ChecklistCheck: Sendable, Equatable {
    public var ok: Bool
    public var evidence: String
    public init(ok: Bool, evidence: String) {
        self.ok = ok
        self.evidence = evidence
    }
}

/// One authoritative nameserver's MX answer for one domain.
public struct MXObservation: Sendable, Equatable, Codable {
    public var domain: String
    public var nameserver: String
    public var values: [String]
    public var ttl: UInt32?
    public var error: String?
    public init(domain: String, nameserver: String, values: [String], ttl: UInt32?, error: String? = nil) {
        self.domain = domain
        self.nameserver = nameserver
        self.values = values
        self.ttl = ttl
        self.error = error
    }
}

public struct ChecklistInputs: Sendable {
    /// The inventory (mailboxes with sizes, routing objects).
    public var inventory: [InventoryObject]
    /// IMAP login result per destination mailbox address; nil when not checked.
    public var destinationLogins: [String: ChecklistCheck]?
    /// `RoutingApplier.verify` outcomes; nil when not checked.
    public var routingVerify: [RoutingApplier.Outcome]?
    /// Source IMAP over TLS; nil when not checked.
    public var sourceTLS: ChecklistCheck?
    /// The state database's per-mailbox sync status.
    public var syncRecords: [MailboxRecord]
    /// MX answers of every authoritative server of every project domain; nil when DNS was not asked.
    public var mx: [MXObservation]?
    /// The operator's values (`tern checklist set`).
    public var settings: [String: String]
    /// How many of the largest mailboxes must have finished pre-stage.
    public var largestCount: Int
    /// The MX TTL, in seconds, that counts as lowered.
    public var maxMXTTL: UInt32

    public init(inventory: [InventoryObject], destinationLogins: [String: ChecklistCheck]? = nil,
                routingVerify: [RoutingApplier.Outcome]? = nil, sourceTLS: ChecklistCheck? = nil,
                syncRecords: [MailboxRecord] = [], mx: [MXObservation]? = nil, settings: [String: String] = [:],
                largestCount: Int = 5, maxMXTTL: UInt32 = 300) {
        self.inventory = inventory
        self.destinationLogins = destinationLogins
        self.routingVerify = routingVerify
        self.sourceTLS = sourceTLS
        self.syncRecords = syncRecords
        self.mx = mx
        self.settings = settings
        self.largestCount = largestCount
        self.maxMXTTL = maxMXTTL
    }
}

public enum Checklist {
    /// Keys `tern checklist set` accepts, with what they mean.
    public static let settingKeys: [(key: String, meaning: String)] = [
        ("final-delta", "when the final delta pass is scheduled (e.g. \"2026-12-05 22:00 UTC\")"),
        ("test-mailbox", "the destination mailbox kept for test mail after cutover"),
        ("monitoring-owner", "who watches bounces and the mail flow after cutover"),
        ("old-mx", "the MX values before cutover (recorded by tern checklist when DNS is asked)"),
    ]

    public static func evaluate(_ inputs: ChecklistInputs) -> ChecklistReport {
        var items: [ChecklistItem] = []
        let mailboxes = inputs.inventory.filter { $0.kind.isMailbox && $0.status != .skipped }
        items.append(destinationMailboxes(mailboxes, inputs.destinationLogins))
        items.append(routing(RoutingTable(inventory: inputs.inventory), inputs.routingVerify))
        items.append(check("source-tls", "Source IMAP works over TLS", inputs.sourceTLS,
            missing: "not checked: give --host1 and --user1 (with a password) to test the source over TLS"))
        items.append(largestPrestaged(mailboxes, inputs.syncRecords, count: inputs.largestCount))
        items.append(mxTTL(inputs.mx, maxTTL: inputs.maxMXTTL))
        items.append(setting("old-mx", "The old MX values are recorded", inputs.settings,
            missing: "not recorded: run the checklist with --server to read them from DNS, or tern checklist set old-mx VALUES"))
        items.append(setting("final-delta", "A final delta pass is scheduled", inputs.settings,
            missing: "not scheduled: tern checklist set final-delta \"WHEN\""))
        items.append(setting("test-mailbox", "A test mailbox is ready", inputs.settings,
            missing: "none named: tern checklist set test-mailbox ADDRESS"))
        items.append(setting("monitoring-owner", "A monitoring owner is named", inputs.settings,
            missing: "nobody named: tern checklist set monitoring-owner NAME"))
        return ChecklistReport(items: items)
    }

    static func destinationMailboxes(_ mailboxes: [InventoryObject], _ logins: [String: ChecklistCheck]?) -> ChecklistItem {
        let title = "Every destination mailbox exists and logs in"
        guard !mailboxes.isEmpty else {
            return ChecklistItem(key: "destination-mailboxes", title: title, status: .manual,
                evidence: ["the inventory has no mailboxes"])
        }
        guard let logins else {
            return ChecklistItem(key: "destination-mailboxes", title: title, status: .manual,
                evidence: ["not checked: give --host2 and --admin-user2/--password-file2 to log in to each mailbox"])
        }
        var evidence: [String] = []
        var failed = false
        for mailbox in mailboxes {
            let address = mailbox.destinationAddress
            if let login = logins[address] {
                failed = failed || !login.ok
                evidence.append("\(address): \(login.evidence)")
            } else {
                failed = true
                evidence.append("\(address): not checked")
            }
        }
        return ChecklistItem(key: "destination-mailboxes", title: title, status: failed ? .fail : .ok, evidence: evidence)
    }

    static func routing(_ table: RoutingTable, _ verify: [RoutingApplier.Outcome]?) -> ChecklistItem {
        let title = "Every alias, group and forwarder is recreated"
        let forwarders = Set(RoutingApplier.scripts(table).map(\.address))
        let manual = RoutingApplier.manual(table)
        if forwarders.isEmpty && manual.isEmpty {
            return ChecklistItem(key: "routing", title: title, status: .ok, evidence: ["the inventory has no routing objects"])
        }
        var evidence: [String] = []
        var failed = false
        if let verify, !verify.isEmpty {
            // `routing verify`'s outcomes cover every object: Sieve forwarders read back, objects
            // the destination preset lists, and the manual rest.
            var manual = 0
            for outcome in verify {
                switch outcome.status {
                case .ok: break
                case .manual, .planned: manual += 1
                case .missing, .failed: failed = true
                }
                let said = outcome.status == .ok || outcome.detail.hasPrefix(outcome.status.rawValue + ":")
                evidence.append("\(outcome.address): \(said ? "" : outcome.status.rawValue + ": ")\(outcome.detail)")
            }
            // Objects the outcomes do not mention: forwarders were not verified, the rest is manual.
            func covered(_ address: String, _ kind: InventoryObject.Kind) -> Bool {
                verify.contains { $0.address == address && $0.kind == kind }
            }
            for address in forwarders.sorted() where !covered(address, .forwarder) {
                failed = true
                evidence.append("\(address): not verified")
            }
            for outcome in RoutingApplier.manual(table) where !covered(outcome.address, outcome.kind) {
                manual += 1
                evidence.append("\(outcome.address): \(outcome.detail)")
            }
            return ChecklistItem(key: "routing", title: title, status: failed ? .fail : manual > 0 ? .manual : .ok,
                evidence: evidence)
        }
        if !forwarders.isEmpty {
            if let verify {
                for address in forwarders.sorted() {
                    if let outcome = verify.first(where: { $0.address == address && $0.kind == .forwarder }) {
                        failed = failed || outcome.status != .ok
                        evidence.append("\(address): \(outcome.status == .ok ? "" : outcome.status.rawValue + ": ")\(outcome.detail)")
                    } else {
                        failed = true
                        evidence.append("\(address): not verified")
                    }
                }
            } else {
                evidence.append("\(forwarders.count) forwarders not verified: give --host2 (ManageSieve) to read them back")
            }
        }
        for outcome in manual { evidence.append("\(outcome.address): \(outcome.detail)") }
        let status: ChecklistItem.Status = failed ? .fail : (manual.isEmpty && verify != nil ? .ok : .manual)
        return ChecklistItem(key: "routing", title: title, status: status, evidence: evidence)
    }

    static func check(_ key: String, _ title: String, _ check: ChecklistCheck?, missing: String) -> ChecklistItem {
        guard let check else { return ChecklistItem(key: key, title: title, status: .manual, evidence: [missing]) }
        return ChecklistItem(key: key, title: title, status: check.ok ? .ok : .fail, evidence: [check.evidence])
    }

    /// The record for a mailbox: its state key is `user@host:port`, the user being the address
    /// or its local part.
    static func record(for mailbox: InventoryObject, in records: [MailboxRecord]) -> MailboxRecord? {
        func user(_ key: String) -> String {
            guard let at = key.lastIndex(of: "@") else { return key }
            return String(key[..<at])
        }
        let names: Set<String> = [mailbox.address, mailbox.destinationAddress,
            String(mailbox.address.split(separator: "@").first ?? ""),
            String(mailbox.destinationAddress.split(separator: "@").first ?? "")]
        return records.filter { names.contains(user($0.source)) || names.contains(user($0.destination)) }
            .max { ($0.updatedAt ?? .distantPast) < ($1.updatedAt ?? .distantPast) }
    }

    static func largestPrestaged(_ mailboxes: [InventoryObject], _ records: [MailboxRecord], count: Int) -> ChecklistItem {
        let title = "The largest mailboxes finished pre-stage"
        guard !mailboxes.isEmpty else {
            return ChecklistItem(key: "largest-prestaged", title: title, status: .manual,
                evidence: ["the inventory has no mailboxes"])
        }
        let largest = mailboxes.sorted { ($0.sizeBytes ?? -1, $1.address) > ($1.sizeBytes ?? -1, $0.address) }
            .prefix(max(1, count))
        var evidence: [String] = []
        var failed = false
        for mailbox in largest {
            let size = mailbox.sizeBytes.map { " (\(ByteCount.format($0)))" } ?? ""
            guard let record = record(for: mailbox, in: records) else {
                failed = true
                evidence.append("\(mailbox.address)\(size): never synced")
                continue
            }
            if record.status != .done { failed = true }
            evidence.append("\(mailbox.address)\(size): \(record.status.rawValue)"
                + (record.lastError.map { " (\($0))" } ?? ""))
        }
        return ChecklistItem(key: "largest-prestaged", title: title, status: failed ? .fail : .ok, evidence: evidence)
    }

    static func mxTTL(_ observations: [MXObservation]?, maxTTL: UInt32) -> ChecklistItem {
        let title = "MX TTL is lowered on every authoritative server"
        guard let observations, !observations.isEmpty else {
            return ChecklistItem(key: "mx-ttl", title: title, status: .manual,
                evidence: [observations == nil ? "not checked: give --server (DNS) and a project domain"
                                               : "the project has no domains"])
        }
        var evidence: [String] = []
        var failed = false
        for observation in observations {
            let place = "\(observation.domain) at \(observation.nameserver)"
            if let error = observation.error {
                failed = true
                evidence.append("\(place): \(error)")
            } else if let ttl = observation.ttl, !observation.values.isEmpty {
                if ttl > maxTTL { failed = true }
                evidence.append("\(place): MX TTL \(ttl)s\(ttl > maxTTL ? " (over \(maxTTL)s)" : "") "
                    + observation.values.joined(separator: ", "))
            } else {
                failed = true
                evidence.append("\(place): no MX records")
            }
        }
        return ChecklistItem(key: "mx-ttl", title: title, status: failed ? .fail : .ok, evidence: evidence)
    }

    static func setting(_ key: String, _ title: String, _ settings: [String: String], missing: String) -> ChecklistItem {
        guard let value = settings[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return ChecklistItem(key: key, title: title, status: .manual, evidence: [missing])
        }
        return ChecklistItem(key: key, title: title, status: .ok, evidence: [value])
    }

    /// `old-mx` text from DNS answers: `domain: values` per domain, from the first server that answered.
    public static func oldMX(_ observations: [MXObservation]) -> String? {
        var parts: [String] = []
        var seen: Set<String> = []
        for observation in observations where observation.error == nil && !observation.values.isEmpty
            && !seen.contains(observation.domain) {
            seen.insert(observation.domain)
            parts.append("\(observation.domain): \(observation.values.joined(separator: ", "))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

/// `DIR/checklist.json`: the operator's checklist values (`tern checklist set KEY VALUE`).
public struct ChecklistSettings: Sendable {
    public var path: String
    public init(project: MigrationProject) { path = project.directory + "/checklist.json" }

    public func load() throws(ProjectError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        do {
            return try JSONDecoder().decode([String: String].self, from: data)
        } catch {
            throw ProjectError("\(path) is not a valid checklist file: \(error)")
        }
    }

    public func save(_ values: [String: String]) throws(ProjectError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(values)
            data.append(0x0A)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            // Names, phone numbers and evidence about a client: owner only, like the state.
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw ProjectError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// `DIR/reports/checklist.json`: the last evaluation, with its time — what `tern report`
/// shows and what the next evaluation compares against to fire `checklist_changed` events.
public struct ChecklistRecord: Sendable, Equatable, Codable {
    public var evaluatedAt: Date
    public var report: ChecklistReport

    public init(evaluatedAt: Date, report: ChecklistReport) {
        self.evaluatedAt = evaluatedAt
        self.report = report
    }

    public static func path(in project: MigrationProject) -> String { project.reportsDirectory + "/checklist.json" }

    /// The last evaluation, or nil when there was none.
    public static func load(from project: MigrationProject) throws(ProjectError) -> ChecklistRecord? {
        let path = path(in: project)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(ChecklistRecord.self, from: data)
        } catch {
            throw ProjectError("\(path) is not a valid checklist record: \(error); delete it to start afresh")
        }
    }

    public func save(to project: MigrationProject) throws(ProjectError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let path = Self.path(in: project)
        do {
            try FileManager.default.createDirectory(atPath: project.reportsDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            var data = try encoder.encode(self)
            data.append(0x0A)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            // Names, phone numbers and evidence about a client: owner only, like the state.
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw ProjectError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// One item whose status is not what the last evaluation said (`from` nil: not evaluated before).
public struct ChecklistChange: Sendable, Equatable {
    public var item: ChecklistItem
    public var from: ChecklistItem.Status?

    /// The changes from `previous` to `current`, in the current list's order.
    public static func between(_ previous: ChecklistReport?, _ current: ChecklistReport) -> [ChecklistChange] {
        current.items.compactMap { item in
            let before = previous?[item.key]?.status
            return before == item.status ? nil : ChecklistChange(item: item, from: before)
        }
    }

    /// The `checklist_changed` event hooks receive.
    public var event: MigrationEvent {
        MigrationEvent(.checklistChanged, message: item.evidence.joined(separator: "; "),
            details: ["key": item.key, "title": item.title, "from": from?.rawValue ?? "new", "to": item.status.rawValue])
    }
}
