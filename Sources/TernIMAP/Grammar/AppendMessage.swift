/// One message of an APPEND (RFC 9051 §6.3.12).
///
/// `bytes` is sent as its own encoder part sharing storage with the caller's buffer (a slice,
/// so a message fetched from another server goes out without being copied).
public struct AppendMessage: Sendable, Equatable {
    public var flags: [Flag]
    public var internalDate: InternalDate?
    public var bytes: ArraySlice<UInt8>

    public init(flags: [Flag] = [], internalDate: InternalDate? = nil, bytes: ArraySlice<UInt8>) {
        self.flags = flags
        self.internalDate = internalDate
        self.bytes = bytes
    }

    public init(flags: [Flag] = [], internalDate: InternalDate? = nil, bytes: [UInt8]) {
        self.init(flags: flags, internalDate: internalDate, bytes: bytes[...])
    }
}
