/// What one command produced: the untagged responses received while it was the oldest
/// command in flight, and its tagged completion.
///
/// Untagged data carries no tag. A server may run several non-conflicting commands at once
/// (RFC 9051 §5.5; Dovecot does for pipelined FETCHes) and send their data before any of their
/// completions, so within a pipeline of such commands the data can land on an earlier command.
/// Callers of `pipeline` match untagged responses by content — UID, sequence number, mailbox
/// name — never by position. Commands that change the selected mailbox are barriers, so data
/// never crosses them.
public struct CommandResult: Sendable, Equatable {
    public var untagged: [UntaggedResponse]
    public var state: ResponseState

    public init(untagged: [UntaggedResponse], state: ResponseState) {
        self.untagged = untagged
        self.state = state
    }

    public var isOK: Bool { state.status == .ok }
}
