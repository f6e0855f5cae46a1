/// What `tern probe` (and later the inventory scan) learns about one account: the facts a
/// migration pilot checks before any mail moves.
public struct AccountReport: Sendable, Codable, Equatable {
    public struct Server: Sendable, Codable, Equatable {
        public var host: String
        public var port: Int
        /// "TLSv1.3 TLS_AES_256_GCM_SHA384, certificate verified" or "plaintext".
        public var security: String
        public var encrypted: Bool
        public var certificateVerified: Bool
        public var greeting: String
        /// The server's ID reply (RFC 2971), e.g. name and version.
        public var id: [String: String]
        public var capabilities: [String]
        /// "DEFLATE" when the connection runs COMPRESS=DEFLATE (RFC 4978), nil when uncompressed.
        public var compression: String? = nil
    }

    public struct Namespace: Sendable, Codable, Equatable {
        public var prefix: String
        public var separator: String?
    }

    public struct Folder: Sendable, Codable, Equatable {
        /// The name decoded to Unicode (modified UTF-7 undone), as the server lists it.
        public var name: String
        /// The name exactly as on the wire.
        public var raw: String
        /// The hierarchy separator the server listed it with (nil for a flat name space).
        public var separator: String?
        /// `\Sent`, `\Drafts` … when the server marks it (RFC 6154).
        public var specialUse: String?
        public var attributes: [String]
        public var subscribed: Bool
        public var selectable: Bool
        public var messages: Int?
        public var unseen: Int?
        /// Total size in bytes (STATUS SIZE, or the sum of RFC822.SIZE).
        public var size: Int64?
    }

    public struct QuotaRoot: Sendable, Codable, Equatable {
        public struct Resource: Sendable, Codable, Equatable {
            public var name: String
            public var usage: Int64
            public var limit: Int64
        }
        public var root: String
        public var resources: [Resource]
    }

    public var server: Server
    public var user: String
    public var admin: String?
    public var authentication: String
    public var separator: String?
    public var namespaces: [String: [Namespace]]
    public var folders: [Folder]
    public var quota: [QuotaRoot]
    public var totalMessages: Int
    public var totalSize: Int64
    /// Things an operator must know before migrating this account.
    public var warnings: [String]
    /// The largest message's RFC822.SIZE in any folder, when the inspector was asked to find it
    /// (`AccountInspector.findLargestMessage`) and could; nil otherwise.
    public var largestMessage: Int64? = nil
}
