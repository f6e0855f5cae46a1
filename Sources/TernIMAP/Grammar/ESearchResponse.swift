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
