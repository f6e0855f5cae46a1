/// A provider preset as Tern uses it, resolved from a Lua preset file (`presets/providers/`).
/// Every field is optional: command-line options override preset values, and a preset only
/// says what it knows.
public struct ProviderPreset: Sendable, Equatable, Codable {
    public struct IMAP: Sendable, Equatable, Codable {
        public var host: String?
        public var port: Int?
        /// "implicit", "starttls" or "plain".
        public var tls: String?
        /// Preferred mechanisms in order, e.g. ["xoauth2", "plain"].
        public var auth: [String]?
        /// Dovecot-style master-user separator, e.g. "*", when the provider uses one.
        public var adminSeparator: String?

        public init(host: String? = nil, port: Int? = nil, tls: String? = nil, auth: [String]? = nil,
                    adminSeparator: String? = nil) {
            self.host = host
            self.port = port
            self.tls = tls
            self.auth = auth
            self.adminSeparator = adminSeparator
        }
    }

    public struct Limits: Sendable, Equatable, Codable {
        public var maxConnections: Int?
        public var bytesPerDay: Int64?
        public var messagesPerSecond: Double?
        /// Largest message the provider accepts, in bytes.
        public var maxMessageSize: Int64?

        public init(maxConnections: Int? = nil, bytesPerDay: Int64? = nil, messagesPerSecond: Double? = nil,
                    maxMessageSize: Int64? = nil) {
            self.maxConnections = maxConnections
            self.bytesPerDay = bytesPerDay
            self.messagesPerSecond = messagesPerSecond
            self.maxMessageSize = maxMessageSize
        }
    }

    public struct Folders: Sendable, Equatable, Codable {
        /// Special use (`\Sent` …) → the provider's folder name, for servers without SPECIAL-USE.
        public var specialUse: [String: String]
        /// Folders never copied (e.g. Gmail's `[Gmail]/All Mail`, which would duplicate mail).
        public var skip: [String]

        public init(specialUse: [String: String] = [:], skip: [String] = []) {
            self.specialUse = specialUse
            self.skip = skip
        }
    }

    /// DNS records a destination needs (used by `tern dns plan --to PRESET`).
    public struct DNS: Sendable, Equatable, Codable {
        /// "10 mx.example.net." style entries: priority and host.
        public var mx: [String]
        public var spfInclude: String?
        public var dkimSelector: String?
        public var dmarc: String?

        public init(mx: [String] = [], spfInclude: String? = nil, dkimSelector: String? = nil, dmarc: String? = nil) {
            self.mx = mx
            self.spfInclude = spfInclude
            self.dkimSelector = dkimSelector
            self.dmarc = dmarc
        }
    }

    public var name: String
    public var description: String
    public var imap: IMAP
    public var limits: Limits
    public var folders: Folders
    /// Free-text notes on a provider's known quirks, shown by `tern preset show`.
    public var quirks: [String]
    public var dns: DNS?
    /// The file it came from, for messages.
    public var source: String?
    /// Documentation pages the preset's values come from (shown by `tern preset show`).
    public var references: [String] = []

    public init(name: String, description: String, imap: IMAP = IMAP(), limits: Limits = Limits(),
                folders: Folders = Folders(), quirks: [String] = [], dns: DNS? = nil, source: String? = nil,
                references: [String] = []) {
        self.name = name
        self.description = description
        self.imap = imap
        self.limits = limits
        self.folders = folders
        self.quirks = quirks
        self.dns = dns
        self.source = source
        self.references = references
    }
}
