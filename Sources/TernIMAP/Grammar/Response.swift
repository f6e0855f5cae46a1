/// One complete server response (RFC 9051 §7, RFC 3501 §7 `response`): a tagged completion,
/// untagged data, or a continuation request.
///
/// Produced by ``ResponseParser/parse(_:)`` from one frame of ``ResponseFramer``.
public enum Response: Sendable, Equatable {
    /// `tag SP resp-cond-state CRLF`: completes the command with this tag.
    case tagged(TaggedResponse)
    /// `* …`: data or status not tied to one command.
    case untagged(UntaggedResponse)
    /// `+ …`: the server waits for the rest of a command (literal data or a SASL response).
    case continuation(ContinuationRequest)
}

/// Status of an untagged condition: `resp-cond-state`, `resp-cond-auth` (PREAUTH) or
/// `resp-cond-bye` (RFC 9051 §7.1).
public enum ConditionStatus: String, Sendable, Equatable {
    case ok = "OK"
    case no = "NO"
    case bad = "BAD"
    case preauth = "PREAUTH"
    case bye = "BYE"
}
