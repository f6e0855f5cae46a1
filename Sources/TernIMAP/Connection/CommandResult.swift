/// What one command produced: the untagged responses received while it was the oldest
/// command in flight, and its tagged completion.
///
/// Servers answer pipelined commands in order (RFC 9051 §5.5 forbids ambiguous overlap), so
/// attributing untagged data to the oldest outstanding command is exact for the commands
/// Tern pipelines (FETCH, STATUS, APPEND, STORE).
public struct CommandResult: Sendable, Equatable {
    public var untagged: [UntaggedResponse]
    public var state: ResponseState

    public init(untagged: [UntaggedResponse], state: ResponseState) {
        self.untagged = untagged
        self.state = state
    }

    public var isOK: Bool { state.status == .ok }
}
