/// The MTA-STS policy indicator at `_mta-sts.domain` (RFC 8461 §3.1). The policy itself is an
/// HTTPS resource at `mta-sts.domain`; Tern only checks the DNS part.
public struct MTASTSRecord: Sendable, Hashable, Codable {
    public var id: String

    public static func isMTASTS(_ text: String) -> Bool { text.hasPrefix("v=STSv1") }

    public init(parsing text: String) throws {
        let tags = try TagList(parsing: text)
        guard tags.tags.first?.name == "v", tags["v"] == "STSv1" else { throw PolicyError("the record must start with v=STSv1") }
        guard let id = tags["id"], (1...32).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw PolicyError("id= must be 1-32 letters and digits (change it whenever the policy changes)")
        }
        self.id = id
    }
}

/// The SMTP TLS reporting record at `_smtp._tls.domain` (RFC 8460 §3).
public struct TLSRPTRecord: Sendable, Hashable, Codable {
    public var reportURIs: [String]

    public static func isTLSRPT(_ text: String) -> Bool { text.hasPrefix("v=TLSRPTv1") }

    public init(parsing text: String) throws {
        let tags = try TagList(parsing: text)
        guard tags.tags.first?.name == "v", tags["v"] == "TLSRPTv1" else { throw PolicyError("the record must start with v=TLSRPTv1") }
        guard let rua = tags["rua"] else { throw PolicyError("the record has no rua= (where reports go)") }
        reportURIs = rua.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !reportURIs.isEmpty, reportURIs.allSatisfy({ $0.hasPrefix("mailto:") || $0.hasPrefix("https:") }) else {
            throw PolicyError("rua= must list mailto: or https: URIs")
        }
    }
}
