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
