/// The data items of one `* n FETCH (…)` reply (RFC 9051 §7.5.2 `msg-att`, RFC 7162 MODSEQ,
/// RFC 8474 OBJECTID, Gmail's X-GM-* items).
///
/// Every property is nil when the server did not send that item. Body sections are slices of
/// the response frame: no second copy of the message is made. Items the codec does not model
/// (ENVELOPE, BODYSTRUCTURE, BINARY, vendor items) are skipped with their names kept in
/// ``skippedItems``.
public struct FetchAttributes: Sendable, Equatable {
    public var uid: UInt32?
    public var flags: [Flag]?
    public var internalDate: InternalDate?
    public var rfc822Size: Int64?
    public var modSeq: UInt64?
    /// `BODY[…]` / `RFC822*` values; the value is nil when the server sent `NIL`.
    public var bodySections: [BodySection: ArraySlice<UInt8>?]
    /// X-GM-LABELS, decoded (`\\Inbox`, `\\Important` keep their backslash).
    public var gmailLabels: [String]?
    public var gmailMessageID: UInt64?
    public var gmailThreadID: UInt64?
    /// RFC 8474 `EMAILID (id)`.
    public var emailID: String?
    /// RFC 8474 `THREADID (id)` (nil also for `THREADID NIL`).
    public var threadID: String?
    /// Upper-cased names of items that were parsed past but not modelled, in order.
    public var skippedItems: [String]

    public init(
        uid: UInt32? = nil, flags: [Flag]? = nil, internalDate: InternalDate? = nil, rfc822Size: Int64? = nil,
        modSeq: UInt64? = nil, bodySections: [BodySection: ArraySlice<UInt8>?] = [:],
        gmailLabels: [String]? = nil, gmailMessageID: UInt64? = nil, gmailThreadID: UInt64? = nil,
        emailID: String? = nil, threadID: String? = nil, skippedItems: [String] = []
    ) {
        self.uid = uid
        self.flags = flags
        self.internalDate = internalDate
        self.rfc822Size = rfc822Size
        self.modSeq = modSeq
        self.bodySections = bodySections
        self.gmailLabels = gmailLabels
        self.gmailMessageID = gmailMessageID
        self.gmailThreadID = gmailThreadID
        self.emailID = emailID
        self.threadID = threadID
        self.skippedItems = skippedItems
    }

    /// The value of `section`, ignoring the partial origin when `section` has none.
    /// Returns nil both when absent and when the server sent NIL.
    public func body(_ section: BodySection = .complete) -> ArraySlice<UInt8>? {
        if let value = bodySections[section] { return value }
        guard section.origin == nil else { return nil }
        for (key, value) in bodySections where key.withoutOrigin == section {
            return value
        }
        return nil
    }
}
