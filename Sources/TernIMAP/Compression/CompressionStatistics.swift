/// Bytes through COMPRESS=DEFLATE on one connection, before and after compression.
public struct CompressionStatistics: Sendable, Equatable {
    /// IMAP bytes written, and what they became on the wire.
    public var sentBytes: Int
    public var sentCompressedBytes: Int
    /// IMAP bytes read, and what arrived on the wire for them.
    public var receivedBytes: Int
    public var receivedCompressedBytes: Int

    public init(sentBytes: Int, sentCompressedBytes: Int, receivedBytes: Int, receivedCompressedBytes: Int) {
        self.sentBytes = sentBytes
        self.sentCompressedBytes = sentCompressedBytes
        self.receivedBytes = receivedBytes
        self.receivedCompressedBytes = receivedCompressedBytes
    }
}
