/// A FETCH data item to request (RFC 9051 §6.4.5 `fetch-att`, RFC 7162, RFC 8474, Gmail).
public enum FetchAttribute: Sendable, Equatable {
    case uid
    case flags
    case internalDate
    case rfc822Size
    /// RFC 7162.
    case modSeq
    /// `BODY.PEEK[section]<partial>`: never sets \Seen.
    case bodyPeek(BodySection = .complete, partial: ClosedRange<UInt32>? = nil)
    /// `BODY.PEEK[HEADER.FIELDS (names…)]`.
    case headerFields([String])
    case envelope
    case bodyStructure
    case gmailLabels
    case gmailMessageID
    case gmailThreadID
    /// RFC 8474.
    case emailID

    /// The item as written in a FETCH command.
    public var wireText: String {
        switch self {
        case .uid: "UID"
        case .flags: "FLAGS"
        case .internalDate: "INTERNALDATE"
        case .rfc822Size: "RFC822.SIZE"
        case .modSeq: "MODSEQ"
        case .bodyPeek(let section, let partial):
            "BODY.PEEK[\(section.specText)]"
                + (partial.map { "<\($0.lowerBound).\(UInt64($0.upperBound) - UInt64($0.lowerBound) + 1)>" } ?? "")
        case .headerFields(let names): "BODY.PEEK[HEADER.FIELDS (\(names.joined(separator: " ")))]"
        case .envelope: "ENVELOPE"
        case .bodyStructure: "BODYSTRUCTURE"
        case .gmailLabels: "X-GM-LABELS"
        case .gmailMessageID: "X-GM-MSGID"
        case .gmailThreadID: "X-GM-THRID"
        case .emailID: "EMAILID"
        }
    }
}
