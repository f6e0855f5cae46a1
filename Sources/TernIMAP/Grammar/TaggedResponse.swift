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
