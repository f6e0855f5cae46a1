/// RFC 7162 §3.2.5 QRESYNC select parameter: `(uidvalidity modseq [known-uids])`.
public struct QResyncParameters: Sendable, Equatable {
    public var uidValidity: UInt32
    public var modSeq: UInt64
    public var knownUIDs: UIDSet?

    public init(uidValidity: UInt32, modSeq: UInt64, knownUIDs: UIDSet? = nil) {
        self.uidValidity = uidValidity
        self.modSeq = modSeq
        self.knownUIDs = knownUIDs
    }
}
