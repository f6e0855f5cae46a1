/// A bracketed response code (`resp-text-code`, RFC 9051 §7.1, RFC 3501 §7.1) with the
/// extension codes of RFC 4315 (UIDPLUS), RFC 5530, RFC 7162 (CONDSTORE), RFC 9208 (QUOTA),
/// RFC 7889 (APPENDLIMIT is a capability; `TOOBIG`) and Microsoft's `THROTTLED`.
public enum ResponseCode: Sendable, Equatable {
    case alert
    case parse
    case readOnly
    case readWrite
    case tryCreate
    case uidNext(UInt32)
    case uidValidity(UInt32)
    case unseen(Int)
    case permanentFlags([Flag])
    case capability([Capability])
    case highestModSeq(UInt64)
    case noModSeq
    /// RFC 4315: `[APPENDUID uidvalidity uid-set]`.
    case appendUID(uidValidity: UInt32, uids: UIDSet)
    /// RFC 4315: `[COPYUID uidvalidity source-set destination-set]`, sets in matching order.
    case copyUID(uidValidity: UInt32, source: UIDSet, destination: UIDSet)
    /// RFC 9208: `[OVERQUOTA]`.
    case overQuota
    // RFC 5530 codes.
    case limit
    case unavailable
    case authenticationFailed
    case authorizationFailed
    case expired
    case privacyRequired
    case contactAdmin
    case noPerm
    case inUse
    case expungeIssued
    case corruption
    case serverBug
    case clientBug
    case cannot
    case alreadyExists
    case nonExistent
    /// RFC 7162: `[CLOSED]` when SELECT replaces a selected mailbox.
    case closed
    /// `[BADCHARSET (charset …)]`.
    case badCharset([String])
    /// RFC 4469 / RFC 7889: `[TOOBIG]`.
    case tooBig
    /// RFC 7162: `[MODIFIED uid-set]` from a conditional STORE.
    case modified(UIDSet)
    /// Microsoft Exchange / Outlook.com: `[THROTTLED]`.
    case throttled
    /// Any other code: its upper-cased name and the raw text after it, if any.
    case other(String, String?)
}
