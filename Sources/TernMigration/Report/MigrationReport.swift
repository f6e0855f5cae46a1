import Foundation
import TernState

/// The migration's state for a client (`tern report`): what the project's recorded state says
/// about every mailbox, wave, routing object and checklist item, and what needs attention.
///
/// Built only from recorded facts — the inventory, the latest scans, the run history, the
/// per-mailbox sync status and the last checklist evaluation — never by asking a server, so
/// each fact carries the time it was recorded. `MigrationReport.build(_:)` assembles it
/// (`MigrationReport+Assembly.swift`); `ReportRenderer` writes it as Markdown, HTML or JSON.
public struct MigrationReport: Sendable, Equatable, Codable {
    /// The JSON form's version; a newer Tern may add keys, never reinterpret these.
    public var version: Int
    public var generatedAt: Date
    public var project: ProjectSummary
    public var inventory: InventorySummary
    public var totals: MailboxTotals
    /// Every mailbox and shared mailbox of the inventory, by address.
    public var mailboxes: [MailboxRow]
    public var waves: [WaveProgress]
    /// Aliases, groups, forwarders and the catch-all, by kind then address.
    public var routing: [RoutingRow]
    public var checklist: ChecklistSection
    public var attention: [AttentionItem]
    /// Runs that match no inventory mailbox (a `tern sync` of an account not in the inventory).
    public var unlinkedRuns: [UnlinkedRun]

    public struct ProjectSummary: Sendable, Equatable, Codable {
        public var from: String
        public var to: String
        public var domains: [String]
        public var created: Date
    }

    public struct InventorySummary: Sendable, Equatable, Codable {
        public var objects: Int
        /// One entry per kind present, in kind order.
        public var byKind: [KindCount]
        /// Objects whose status is `review`, with why.
        public var review: [ReviewObject]
    }

    public struct KindCount: Sendable, Equatable, Codable {
        public var kind: InventoryObject.Kind
        public var total: Int
        public var planned: Int
        public var review: Int
        public var skipped: Int
    }

    public struct ReviewObject: Sendable, Equatable, Codable {
        public var kind: InventoryObject.Kind
        public var address: String
        public var notes: [String]
        public var sources: [String]
    }

    public struct MailboxTotals: Sendable, Equatable, Codable {
        public var mailboxes: Int
        /// Mailboxes per overall state, every state listed (zero included) in `MailboxState` order.
        public var byState: [StateCount]
        public var scanned: Int
        public var scannedBytes: Int64
        public var scannedMessages: Int
        public var copyRuns: Int
        public var verifyRuns: Int
        public var copiedMessages: Int
        public var copiedBytes: Int64
    }

    public struct StateCount: Sendable, Equatable, Codable {
        public var state: MailboxState
        public var count: Int
    }
}

/// Where one mailbox stands, from its latest recorded copy and verification.
public enum MailboxState: String, Sendable, Equatable, Codable, CaseIterable {
    /// The last copy finished and a later verification matched.
    case verified
    /// The last copy finished; not verified since.
    case preStaged = "pre-staged"
    /// The last verification after the last copy found differences.
    case mismatch
    /// The last copy finished with some messages failed.
    case partial
    /// The last copy failed as a whole (login, connection …).
    case failed
    /// A copy started after the last recorded one and has not finished: running now, or killed.
    case inProgress = "in-progress"
    case notStarted = "not-started"
    /// Deliberately left behind (inventory status `skipped`).
    case skipped

    /// The words a client reads.
    public var label: String {
        switch self {
        case .verified: "verified"
        case .preStaged: "pre-staged"
        case .mismatch: "verification differs"
        case .partial: "partly copied"
        case .failed: "failed"
        case .inProgress: "running or interrupted"
        case .notStarted: "not started"
        case .skipped: "skipped"
        }
    }

    /// The last copy went through (whatever verification said since).
    public var copied: Bool { self == .verified || self == .preStaged || self == .mismatch }
}

/// One mailbox's row: its plan, what the scan saw, what the copies and verifications did.
public struct MailboxRow: Sendable, Equatable, Codable {
    public var kind: InventoryObject.Kind
    public var address: String
    public var destination: String
    public var wave: String?
    public var inventoryStatus: InventoryObject.Status
    /// The size the inventory holds (from an import or the latest successful scan).
    public var sizeBytes: Int64?
    public var scan: ScanFact?
    public var lastCopy: RunFact?
    /// Over every pass recorded for this mailbox.
    public var totals: RunTotals
    /// The latest verification's outcome: `match`, `mismatch`, `failed` or `never`.
    public var verification: String
    public var lastVerification: RunFact?
    /// The `mailbox` table's status of the latest sync state (running, done …), when there is one.
    public var sync: SyncFact?
    public var state: MailboxState

    public struct ScanFact: Sendable, Equatable, Codable {
        public var status: String
        public var messages: Int?
        public var sizeBytes: Int64?
        public var error: String?
        public var scannedAt: Date
    }

    public struct RunFact: Sendable, Equatable, Codable {
        public var startedAt: Date
        public var finishedAt: Date
        public var status: String
        public var wave: String?
        public var sourceMessages: Int
        public var copied: Int
        public var bytes: Int64
        /// Messages that failed (copy) or differences found (verification).
        public var failed: Int
        public var error: String?
    }

    public struct RunTotals: Sendable, Equatable, Codable {
        public var copyRuns: Int
        /// Messages and bytes copied, summed over the copy passes.
        public var copied: Int
        public var bytes: Int64
        public var verifyRuns: Int
    }

    public struct SyncFact: Sendable, Equatable, Codable {
        public var status: String
        public var error: String?
        public var updatedAt: Date?
    }
}

/// One wave's progress. `final` counts each mailbox's copies made in the final wave; the
/// other waves count the overall state of the mailboxes the plan placed in them.
public struct WaveProgress: Sendable, Equatable, Codable {
    /// nil: mailboxes no wave was planned for.
    public var wave: String?
    public var mailboxes: Int
    /// Last copy went through (pre-staged, verified or differing).
    public var copied: Int
    public var verified: Int
    /// Failed, partly copied or differing on verification.
    public var failed: Int
    public var inProgress: Int
    public var notStarted: Int
    /// The latest scans' sizes of the wave's mailboxes.
    public var scannedBytes: Int64
    /// Bytes copied for them (final: in the final wave's passes only).
    public var copiedBytes: Int64
    public var lastActivity: Date?
}

/// One routing object, in the destination's addresses, and whether it is known to be recreated.
public struct RoutingRow: Sendable, Equatable, Codable {
    public enum DestinationStatus: String, Sendable, Equatable, Codable {
        /// Read back from the destination (routing verify, the checklist), as expected.
        case verified
        /// Made by `routing apply`, not read back since.
        case created
        /// Checked and absent, different or inactive at the destination.
        case missing
        /// The check itself failed (login, connection).
        case failed
        /// To be created by hand in the provider's console; Tern cannot check it.
        case manual
        /// Under review: a person decides before it is recreated.
        case review
        /// Not checked yet (run `tern routing apply`, then `tern checklist` with `--host2`).
        case notChecked = "not-checked"
        case skipped

        public var label: String {
            switch self {
            case .verified: "verified at destination"
            case .created: "created at destination"
            case .missing: "missing at destination"
            case .failed: "check failed"
            case .manual: "create by hand"
            case .review: "needs review"
            case .notChecked: "not checked yet"
            case .skipped: "skipped"
            }
        }
    }

    public var kind: InventoryObject.Kind
    /// The address at the source.
    public var address: String
    /// The address at the destination (differs when the inventory renames it).
    public var destinationAddress: String
    /// Targets at the destination (renamed mailboxes followed).
    public var targets: [String]
    public var keepCopy: Bool
    public var action: InventoryObject.Action
    public var actionText: String?
    public var inventoryStatus: InventoryObject.Status
    public var destinationStatus: DestinationStatus
    /// What the check said, or what to do.
    public var detail: String
    /// When the check ran (the checklist evaluation), if it did.
    public var checkedAt: Date?
}

public struct ChecklistSection: Sendable, Equatable, Codable {
    /// nil: `tern checklist` never ran in this project.
    public var evaluatedAt: Date?
    public var passed: Bool?
    public var items: [ChecklistItem]
}

/// Something a person should look at before cutover.
public struct AttentionItem: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        case mailboxFailed = "mailbox-failed"
        case mailboxPartial = "mailbox-partial"
        case verificationMismatch = "verification-mismatch"
        case verificationFailed = "verification-failed"
        case copyInterrupted = "copy-interrupted"
        case checklistFailed = "checklist-failed"
        case review
        case scanFailed = "scan-failed"
        case neverScanned = "never-scanned"

        public var label: String {
            switch self {
            case .mailboxFailed: "copy failed"
            case .mailboxPartial: "messages failed"
            case .verificationMismatch: "verification differs"
            case .verificationFailed: "verification failed"
            case .copyInterrupted: "copy interrupted"
            case .checklistFailed: "checklist item fails"
            case .review: "needs review"
            case .scanFailed: "scan failed"
            case .neverScanned: "never scanned"
            }
        }
    }

    public var kind: Kind
    /// The mailbox or object address, or the checklist item's key.
    public var subject: String
    public var detail: String
    /// When the fact behind it was recorded, when known.
    public var recordedAt: Date?
}

/// Runs the report could not place on an inventory mailbox, per source account.
public struct UnlinkedRun: Sendable, Equatable, Codable {
    public var sourceKey: String
    public var destinationKey: String
    public var runs: Int
    public var lastFinishedAt: Date
    /// Why it is not linked: no inventory mailbox has that user, or several do.
    public var reason: String
}
