/// How a stream verifies the server it talks TLS to.
///
/// The default verifies the chain against the system's trusted CAs and checks that the
/// certificate names the host we dialled. Turning verification off needs `insecure`, said
/// by name on the command line (`--insecure`), never implied.
public struct TLSConfiguration: Sendable, Equatable {
    /// A PEM file of CA certificates to trust instead of the system store (a private CA).
    public var caFile: String?
    /// Skip chain and host-name verification. The link is still encrypted.
    public var insecure: Bool
    /// The name to send as SNI and to verify against; defaults to the host dialled.
    public var serverName: String?

    public init(caFile: String? = nil, insecure: Bool = false, serverName: String? = nil) {
        self.caFile = caFile
        self.insecure = insecure
        self.serverName = serverName
    }

    public static let verified = TLSConfiguration()
}
