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

/// The completion of a command (RFC 9051 §7.1): its tag and `OK` / `NO` / `BAD` state.
public struct TaggedResponse: Sendable, Equatable {
    public var tag: String
    public var state: ResponseState

    public init(tag: String, state: ResponseState) {
        self.tag = tag
        self.state = state
    }
}

/// `resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text`.
public struct ResponseState: Sendable, Equatable {
    /// The three states a command can complete with (RFC 9051 §7.1.1–7.1.3).
    public enum Status: String, Sendable, Equatable {
        case ok = "OK"
        case no = "NO"
        case bad = "BAD"
    }

    public var status: Status
    /// The bracketed response code, if any (`[UIDNEXT 4392]`).
    public var code: ResponseCode?
    /// The human-readable text after the code.
    public var text: String

    public init(status: Status, code: ResponseCode? = nil, text: String = "") {
        self.status = status
        self.code = code
        self.text = text
    }
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

/// A continuation request (`continue-req = "+" [SP (resp-text / base64)] CRLF`).
///
/// The codec cannot tell text from base64 for sure (`+ Ready` is valid base64 of nothing
/// useful), so it keeps the raw text; ``base64Decoded`` decodes it when it is strict base64,
/// as during AUTHENTICATE.
public struct ContinuationRequest: Sendable, Equatable {
    /// The response code, when the text starts with `[`.
    public var code: ResponseCode?
    /// Everything after `+ ` (and after the code), undecoded.
    public var text: String

    public init(code: ResponseCode? = nil, text: String = "") {
        self.code = code
        self.text = text
    }

    /// The text decoded as strict base64 (RFC 4648, with padding), or nil when it is not.
    /// An empty continuation (`+ ` or `+`) decodes to an empty challenge.
    public var base64Decoded: [UInt8]? {
        code == nil ? Base64.decode(text) : nil
    }
}
