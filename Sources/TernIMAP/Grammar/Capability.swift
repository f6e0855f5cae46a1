/// One server capability (RFC 9051 §7.2.2 `capability = ("AUTH=" auth-type) / atom`).
///
/// Kept as the raw atom; equality and hashing ignore ASCII case, as RFC 9051 §2.2 requires for
/// keywords. Parameterized capabilities (`AUTH=PLAIN`, `COMPRESS=DEFLATE`, `APPENDLIMIT=n`)
/// expose their parts through ``name`` and ``value``.
public struct Capability: Sendable, Hashable, CustomStringConvertible {
    /// The atom exactly as the server sent it.
    public let rawValue: String
    /// Upper-cased form used for comparison.
    private let key: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
        self.key = rawValue.uppercased()
    }

    /// The part before `=` (upper-cased), e.g. `AUTH` for `AUTH=PLAIN`.
    public var name: String {
        guard let equals = key.firstIndex(of: "=") else { return key }
        return String(key[..<equals])
    }

    /// The part after `=` as sent, e.g. `PLAIN` for `AUTH=PLAIN`; nil when there is no `=`.
    public var value: String? {
        guard let equals = rawValue.firstIndex(of: "=") else { return nil }
        return String(rawValue[rawValue.index(after: equals)...])
    }

    public var description: String { rawValue }

    public static func == (lhs: Capability, rhs: Capability) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    public static let imap4rev1 = Capability("IMAP4rev1")
    public static let imap4rev2 = Capability("IMAP4rev2")
    public static let literalPlus = Capability("LITERAL+")
    public static let literalMinus = Capability("LITERAL-")
    public static let uidPlus = Capability("UIDPLUS")
    public static let multiAppend = Capability("MULTIAPPEND")
    public static let condStore = Capability("CONDSTORE")
    public static let qResync = Capability("QRESYNC")
    public static let specialUse = Capability("SPECIAL-USE")
    public static let createSpecialUse = Capability("CREATE-SPECIAL-USE")
    public static let listExtended = Capability("LIST-EXTENDED")
    public static let listStatus = Capability("LIST-STATUS")
    public static let namespace = Capability("NAMESPACE")
    public static let id = Capability("ID")
    public static let enable = Capability("ENABLE")
    public static let utf8Accept = Capability("UTF8=ACCEPT")
    public static let saslIR = Capability("SASL-IR")
    public static let startTLS = Capability("STARTTLS")
    public static let loginDisabled = Capability("LOGINDISABLED")
    public static let quota = Capability("QUOTA")
    public static let esearch = Capability("ESEARCH")
    /// RFC 5256.
    public static let sort = Capability("SORT")
    /// RFC 5267: SORT with ESEARCH-style `RETURN (MIN MAX COUNT ALL)`.
    public static let esort = Capability("ESORT")
    public static let statusSize = Capability("STATUS=SIZE")
    public static let objectID = Capability("OBJECTID")
    public static let move = Capability("MOVE")
    public static let unselect = Capability("UNSELECT")
    public static let idle = Capability("IDLE")
    public static let binary = Capability("BINARY")
    public static let children = Capability("CHILDREN")
    public static let gmailExtensions = Capability("X-GM-EXT-1")

    /// `AUTH=<mechanism>`.
    public static func sasl(_ mechanism: String) -> Capability { Capability("AUTH=\(mechanism)") }
    /// `COMPRESS=<algorithm>` (RFC 4978).
    public static func compress(_ algorithm: String) -> Capability { Capability("COMPRESS=\(algorithm)") }
    /// `APPENDLIMIT` or `APPENDLIMIT=<n>` (RFC 7889).
    public static func appendLimit(_ limit: Int?) -> Capability {
        limit.map { Capability("APPENDLIMIT=\($0)") } ?? Capability("APPENDLIMIT")
    }

    /// The mechanism of an `AUTH=` capability.
    public var saslMechanism: String? { name == "AUTH" ? value : nil }

    /// For `APPENDLIMIT=n`: `.some(n)`; for bare `APPENDLIMIT`: `.some(nil)`; otherwise nil.
    public var appendLimitValue: Int?? {
        guard name == "APPENDLIMIT" else { return nil }
        guard let value else { return .some(nil) }
        return .some(Int(value))
    }
}

extension Sequence where Element == Capability {
    /// The SASL mechanisms among these capabilities (`AUTH=PLAIN` → `PLAIN`), upper-cased.
    public var saslMechanisms: [String] { compactMap { $0.saslMechanism?.uppercased() } }
}
