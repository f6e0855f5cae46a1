import Foundation
import TernCore
import TernIMAP
import TernIMAPStore
import TernState
import TernTLS

/// One source mailbox to scan: where to connect and how to log in. The CLI resolves options,
/// presets and batch-file passwords into these; a mailbox it could not resolve arrives as
/// `problem` and is recorded as a failed scan without connecting.
public struct ScanTarget: Sendable {
    public var address: String
    public var login: String
    public var configuration: ConnectionConfiguration?
    public var credentials: Credentials?
    /// Why there is nothing to connect with (no credentials for this mailbox, a bad preset …).
    public var problem: String?

    public init(address: String, login: String, configuration: ConnectionConfiguration, credentials: Credentials) {
        self.address = address
        self.login = login
        self.configuration = configuration
        self.credentials = credentials
    }

    public init(address: String, login: String, problem: String) {
        self.address = address
        self.login = login
        self.problem = problem
    }
}

/// One mailbox's scan: the record and, when the login worked, its folders.
public struct MailboxScan: Sendable, Equatable {
    public var record: ScanRecord
    /// Empty for a failed scan.
    public var folders: [ScannedFolder]

    public init(record: ScanRecord, folders: [ScannedFolder] = []) {
        self.record = record
        self.folders = folders
    }
}

/// `tern inventory scan`: logs in to every source mailbox, `parallel` at a time, and reads its
/// folders, message count, size and quota with `AccountInspector` (STATUS SIZE where offered,
/// else summed RFC822.SIZE) and, with `findLargestMessage`, its largest message. One mailbox
/// failing never stops the others: its login problem is the scan's result.
public struct MailboxScanner: Sendable {
    public var parallel: Int
    /// Read every folder's sizes for the largest message (the source scan; not for the
    /// destination logins of `plan capacity` and `plan folders`).
    public var findLargestMessage: Bool

    public init(parallel: Int = 4, findLargestMessage: Bool = false) {
        self.parallel = max(1, parallel)
        self.findLargestMessage = findLargestMessage
    }

    /// Scans every target; the results come back in the targets' order.
    public func scan(_ targets: [ScanTarget]) async -> [MailboxScan] {
        await inspect(targets).map { result in
            MailboxScan(record: result.record, folders: result.report.map(Self.folders) ?? [])
        }
    }

    /// One mailbox: connect, log in, inspect, log out.
    public static func scan(_ target: ScanTarget) async -> ScanRecord {
        await inspect(target).record
    }

    /// One mailbox's scan and, when the login worked, the inspector's whole report (the
    /// capacity check reads the destination's APPENDLIMIT from its capabilities).
    public static func inspect(_ target: ScanTarget, inspector: AccountInspector = AccountInspector())
        async -> (record: ScanRecord, report: AccountReport?)
    {
        guard let configuration = target.configuration, let credentials = target.credentials else {
            return (ScanRecord(address: target.address, login: target.login, status: "failed",
                error: target.problem ?? "nothing to log in with", errorCategory: "usage"), nil)
        }
        let connection: IMAPConnection
        do {
            connection = try await IMAPConnection.connect(configuration)
        } catch {
            return (failed(target, error), nil)
        }
        do {
            let mechanism = try await connection.authenticate(credentials)
            try await AdminSessionCheck.verify(connection, configuration: configuration, credentials: credentials,
                label: target.login)
            let report = try await inspector.inspect(connection, user: target.login,
                admin: credentials.admin, authentication: mechanism.map(\.rawValue) ?? "preauth")
            await connection.logout()
            return (record(target, report: report), report)
        } catch {
            await connection.close()
            return (failed(target, error), nil)
        }
    }

    /// Like `scan(_:)`, keeping each successful login's report.
    public func inspect(_ targets: [ScanTarget]) async -> [(record: ScanRecord, report: AccountReport?)] {
        let inspector = AccountInspector(findLargestMessage: findLargestMessage)
        var results = [(record: ScanRecord, report: AccountReport?)?](repeating: nil, count: targets.count)
        await withTaskGroup(of: (Int, ScanRecord, AccountReport?).self) { group in
            var next = 0
            func startNext() {
                guard next < targets.count else { return }
                let index = next
                let target = targets[index]
                next += 1
                group.addTask {
                    let result = await Self.inspect(target, inspector: inspector)
                    return (index, result.record, result.report)
                }
            }
            for _ in 0..<min(parallel, targets.count) { startNext() }
            while let (index, record, report) = await group.next() {
                results[index] = (record, report)
                startNext()
            }
        }
        return results.compactMap { $0 }
    }

    /// The scan's facts from an inspector report. The quota is the STORAGE resource of the
    /// INBOX's root (RFC 9208 counts it in units of 1024 octets).
    static func record(_ target: ScanTarget, report: AccountReport) -> ScanRecord {
        let storage = report.quota.lazy.flatMap(\.resources).first { $0.name.uppercased() == "STORAGE" }
        return ScanRecord(address: target.address, login: target.login, status: "ok",
            folders: report.folders.filter(\.selectable).count, messages: report.totalMessages,
            sizeBytes: report.totalSize, largestMessage: report.largestMessage,
            quotaUsed: storage.map { $0.usage * 1024 }, quotaLimit: storage.map { $0.limit * 1024 })
    }

    /// The report's folders as stored, with the paths `sync` computes (relative to the
    /// personal namespace, levels split at the folder's separator).
    public static func folders(_ report: AccountReport) -> [ScannedFolder] {
        let personal = report.namespaces["personal"]?.first
        return report.folders.map { folder in
            let separator = folder.separator ?? personal?.separator ?? report.separator
            let path = IMAPMailStore.path(of: MailboxName(bytes: Array(folder.raw.utf8)), separator: separator,
                personalPrefix: personal?.prefix ?? "")
            return ScannedFolder(wireName: folder.raw, name: path?.joined(separator: "/") ?? folder.name, path: path,
                separator: separator, specialUse: folder.specialUse, attributes: folder.attributes,
                selectable: folder.selectable, subscribed: folder.subscribed, messages: folder.messages,
                sizeBytes: folder.size)
        }
    }

    static func failed(_ target: ScanTarget, _ error: any Error) -> ScanRecord {
        let (message, category) = describe(error)
        return ScanRecord(address: target.address, login: target.login, status: "failed", error: message,
            errorCategory: category)
    }

    /// The error's text and its failure category, the same one `sync` reports.
    static func describe(_ error: any Error) -> (String, String) {
        switch error {
        case let error as IMAPError: (error.message, StoreErrorClassifier.category(of: error.code).rawValue)
        case let error as StoreError: (error.message, error.category.rawValue)
        default: ("\(error)", FailureCategory.other.rawValue)
        }
    }
}

extension MigrationProject {
    /// Stores scans; successful ones also set the mailbox's `sizeBytes` in the inventory.
    public func saveScans(_ records: [ScanRecord]) async throws {
        try await openState().saveScans(records)
    }

    /// Stores scans with their folders: a successful scan replaces the address's stored
    /// folders, a failed one keeps them.
    public func saveScans(_ scans: [MailboxScan]) async throws {
        var folders: [String: [ScannedFolder]] = [:]
        for scan in scans where scan.record.status == "ok" { folders[scan.record.address] = scan.folders }
        try await openState().saveScans(scans.map(\.record), folders: folders)
    }

    /// The folders of every address's latest successful scan.
    public func scanFolders() async throws -> [String: [ScannedFolder]] {
        try await openState().scanFolders()
    }

    /// The latest scan of every scanned address.
    public func scans() async throws -> [String: ScanRecord] {
        Dictionary(try await openState().scans().map { ($0.address, $0) }, uniquingKeysWith: { $1 })
    }
}
