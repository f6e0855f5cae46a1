/// A STATUS item (RFC 9051 §6.3.11 `status-att`, RFC 7162 HIGHESTMODSEQ, RFC 8438 SIZE,
/// RFC 7889 APPENDLIMIT). Items the codec does not know are skipped when parsed.
public enum StatusAttribute: String, Sendable, Hashable, CaseIterable {
    case messages = "MESSAGES"
    case recent = "RECENT"
    case uidNext = "UIDNEXT"
    case uidValidity = "UIDVALIDITY"
    case unseen = "UNSEEN"
    case deleted = "DELETED"
    case size = "SIZE"
    case highestModSeq = "HIGHESTMODSEQ"
    case appendLimit = "APPENDLIMIT"
}

/// One resource in a QUOTA reply (RFC 9208 §5.1): `STORAGE` is in KiB, `MESSAGE` a count.
///
/// `quota-resource = resource-name SP resource-usage SP resource-limit`
public struct QuotaResource: Sendable, Equatable {
    /// Upper-cased resource name, e.g. `STORAGE`, `MESSAGE`, `MAILBOX`.
    public var name: String
    public var usage: Int64
    public var limit: Int64

    public init(name: String, usage: Int64, limit: Int64) {
        self.name = name
        self.usage = usage
        self.limit = limit
    }
}

/// An ESEARCH reply (RFC 4731 §3.1, RFC 7162 MODSEQ).
///
/// `esearch-response = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)`
public struct ESearchResponse: Sendable, Equatable {
    /// The command tag from `(TAG "a1")`.
    public var tag: String?
    /// True when the numbers are UIDs.
    public var uid: Bool
    public var min: UInt32?
    public var max: UInt32?
    public var count: Int?
    /// The `ALL` ranges: UIDs when ``uid`` is true, else sequence numbers.
    public var all: [ClosedRange<UInt32>]?
    public var modSeq: UInt64?
    /// Return data the codec does not model (upper-cased name, value).
    public var other: [ListExtendedItem]

    public init(
        tag: String? = nil, uid: Bool = false, min: UInt32? = nil, max: UInt32? = nil, count: Int? = nil,
        all: [ClosedRange<UInt32>]? = nil, modSeq: UInt64? = nil, other: [ListExtendedItem] = []
    ) {
        self.tag = tag
        self.uid = uid
        self.min = min
        self.max = max
        self.count = count
        self.all = all
        self.modSeq = modSeq
        self.other = other
    }

    /// `ALL` as UIDs (only when ``uid`` is true).
    public var allUIDs: UIDSet? { uid ? all.map(UIDSet.init(ranges:)) : nil }
    /// `ALL` as sequence numbers (only when ``uid`` is false).
    public var allSequenceNumbers: SequenceSet? { uid ? nil : all.map(SequenceSet.init(ranges:)) }
}
