/// Untagged server data (`response-data`, `message-data`, `mailbox-data`, RFC 9051 §7.2–7.5,
/// plus the extensions a migration meets).
public enum UntaggedResponse: Sendable, Equatable {
    /// `* OK/NO/BAD/PREAUTH/BYE [code] text` (greetings, warnings, BYE).
    case condition(ConditionStatus, ResponseCode?, String)
    /// `* CAPABILITY …` (RFC 9051 §7.2.2).
    case capability([Capability])
    /// `* LIST (attrs) "sep" name [extended]` (RFC 9051 §7.3.1, RFC 5258).
    case list(ListEntry)
    /// `* LSUB …` (RFC 3501 §7.2.3).
    case lsub(ListEntry)
    /// `* STATUS name (MESSAGES n …)` (RFC 9051 §7.3.4; also sent by LIST-STATUS, RFC 5819).
    case status(MailboxName, [StatusAttribute: Int64])
    /// `* FLAGS (…)` (RFC 9051 §7.3.5).
    case flags([Flag])
    /// `* n EXISTS`.
    case exists(Int)
    /// `* n RECENT` (IMAP4rev1 only).
    case recent(Int)
    /// `* n EXPUNGE` (sequence number).
    case expunge(Int)
    /// `* n FETCH (…)` (RFC 9051 §7.5.2).
    case fetch(Int, FetchAttributes)
    /// `* SEARCH n n n [(MODSEQ m)]` (RFC 3501 §7.2.5, RFC 7162 §3.1.5).
    case search([UInt32], modSeq: UInt64?)
    /// `* ESEARCH …` (RFC 4731).
    case esearch(ESearchResponse)
    /// `* NAMESPACE …` (RFC 2342).
    case namespace(NamespaceResponse)
    /// `* QUOTA root (resource usage limit …)` (RFC 9208).
    case quota(root: String, [QuotaResource])
    /// `* QUOTAROOT mailbox root…` (RFC 9208).
    case quotaRoot(MailboxName, [String])
    /// `* ID (key value …)` or `* ID NIL` (RFC 2971); pairs in server order.
    case id([IDField])
    /// `* ENABLED cap…` (RFC 5161).
    case enabled([String])
    /// `* VANISHED [(EARLIER)] uids` (RFC 7162 §3.2.10).
    case vanished(earlier: Bool, UIDSet)
    /// Any untagged response this codec does not model, kept as its keyword and the rest of
    /// the frame as text (literals inlined, non-UTF-8 bytes replaced).
    case other(name: String, raw: String)
}

/// One `key value` pair of an ID response (RFC 2971). The value is nil for `NIL`.
public struct IDField: Sendable, Equatable {
    public var key: String
    public var value: String?

    public init(_ key: String, _ value: String?) {
        self.key = key
        self.value = value
    }
}
