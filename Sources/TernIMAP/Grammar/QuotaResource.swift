/// One resource in a QUOTA reply (RFC 9208 §5.1): `STORAGE` is in KiB, `MESSAGE` a count.
///
/// `quota-resource = resource-name SP resource-usage SP resource-limit`
public struct QuotaResource: Sendable, Equatable {
    /// Upper-cased resource name, e.g. `STORAGE`, `MESSAGE`, `MAILBOX`.
    public var name: String
    public var usage: Int64
    public var limit: Int64

    public init(name: String, usage: Int64, limit: Int64) {
        self.name = name
        self.usage = usage
        self.limit = limit
    }
}
