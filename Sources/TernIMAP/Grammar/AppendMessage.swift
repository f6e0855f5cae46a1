/// One message of an APPEND (RFC 9051 §6.3.12).
///
/// `bytes` is sent as its own encoder part sharing storage with this array: the message is
/// never copied by the encoder.
public struct AppendMessage: Sendable, Equatable {
    public var flags: [Flag]
    public var internalDate: InternalDate?
    public var bytes: [UInt8]

    public init(flags: [Flag] = [], internalDate: InternalDate? = nil, bytes: [UInt8]) {
        self.flags = flags
        self.internalDate = internalDate
        self.bytes = bytes
    }
}
