import Foundation
import TernState

/// One thing at the source that mail is addressed to, and what it becomes at the destination.
///
/// IMAP moves only mailboxes; aliases, groups, forwarders and a catch-all are routing objects
/// the destination must be told about before MX cutover, which is why they are inventoried
/// next to the mailboxes.
public struct InventoryObject: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable, Comparable {
        /// A person's inbox, copied over IMAP.
        case mailbox
        /// A mailbox several people use (M365 SharedMailbox, room and equipment mailboxes, role accounts).
        case shared
        /// Another address of a mailbox: mail to it lands in one local mailbox.
        case alias
        /// A distribution list: mail to it goes to every member.
        case group
        /// Server-side forwarding, usually to an outside address; `keepCopy` when the mailbox keeps one.
        case forwarder
        /// What happens to mail for unknown local parts of a domain (address `@domain`).
        case catchall

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }

        /// Objects that are copied over IMAP (the rest are routing objects).
        public var isMailbox: Bool { self == .mailbox || self == .shared }
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Imported; nothing done at the destination yet.
        case planned
        /// Needs a person's decision before cutover (see notes): conflicts, pipes, unknown types.
        case review
        /// Deliberately left behind (e.g. an external contact).
        case skipped
    }

    /// What the object does with mail besides routing it to `targets`.
    public enum Action: String, Sendable, Codable, CaseIterable {
        case deliver
        /// Refused at SMTP time with `actionText` (cPanel `:fail:`).
        case reject
        /// Accepted and dropped (cPanel `:blackhole:`).
        case discard
    }

    /// A record's place in an import file.
    public struct Source: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public init(file: String, line: Int) {
            self.file = file
            self.line = line
        }
        public var description: String { "\(file):\(line)" }
    }

    public var kind: Kind
    /// Normalised (see `AddressNormalizer`); `@domain` for a catch-all.
    public var address: String
    /// Where mail goes: the aliased mailbox, the group's members, the forwarding addresses,
    /// the catch-all's mailbox. Normalised, in file order, without duplicates.
    public var targets: [String]
    public var displayName: String?
    /// Every record this object was read from (more than one after a merge).
    public var sources: [Source]
    /// The destination counterpart when it is not `address` (e.g. a mailbox renamed by a batch CSV).
    public var destination: String?
    public var wave: String?
    public var status: Status
    public var notes: [String]
    /// A forwarder that also delivers to its own mailbox.
    public var keepCopy: Bool
    public var action: Action
    /// The rejection text of `.reject`.
    public var actionText: String?
    /// The mailbox's size when the source said (oversized mailboxes need an early wave).
    public var sizeBytes: Int64?

    public init(kind: Kind, address: String, targets: [String] = [], displayName: String? = nil,
                sources: [Source] = [], destination: String? = nil, wave: String? = nil, status: Status = .planned,
                notes: [String] = [], keepCopy: Bool = false, action: Action = .deliver, actionText: String? = nil,
                sizeBytes: Int64? = nil) {
        self.kind = kind
        self.address = address
        self.targets = targets
        self.displayName = displayName
        self.sources = sources
        self.destination = destination
        self.wave = wave
        self.status = status
        self.notes = notes
        self.keepCopy = keepCopy
        self.action = action
        self.actionText = actionText
        self.sizeBytes = sizeBytes
    }

    /// The address this object has at the destination.
    public var destinationAddress: String { destination ?? address }

    /// The domain part (`example.com` for `alice@example.com` and for `@example.com`).
    public var domain: String { AddressNormalizer.domainOf(address) ?? "" }

    public struct Key: Sendable, Hashable {
        public var kind: Kind
        public var address: String
    }

    public var key: Key { Key(kind: kind, address: address) }
}

// MARK: - Storage

extension InventoryObject {
    /// The state layer's form.
    public var record: InventoryRecord {
        InventoryRecord(kind: kind.rawValue, address: address, targets: targets, displayName: displayName,
            sources: sources.map(\.description), destination: destination, wave: wave, status: status.rawValue,
            notes: notes, keepCopy: keepCopy, action: action.rawValue, actionText: actionText, sizeBytes: sizeBytes)
    }

    /// Back from the state layer; nil for a kind this version does not know.
    public init?(record: InventoryRecord) {
        guard let kind = Kind(rawValue: record.kind) else { return nil }
        self.init(kind: kind, address: record.address, targets: record.targets, displayName: record.displayName,
            sources: record.sources.map(Source.init(parsing:)), destination: record.destination, wave: record.wave,
            status: Status(rawValue: record.status) ?? .review, notes: record.notes, keepCopy: record.keepCopy,
            action: Action(rawValue: record.action) ?? .deliver, actionText: record.actionText,
            sizeBytes: record.sizeBytes)
    }
}

extension InventoryObject.Source {
    /// Parses `file:line` (the file may itself contain colons).
    init(parsing text: String) {
        if let colon = text.lastIndex(of: ":"), let line = Int(text[text.index(after: colon)...]) {
            self.init(file: String(text[..<colon]), line: line)
        } else {
            self.init(file: text, line: 0)
        }
    }
}
