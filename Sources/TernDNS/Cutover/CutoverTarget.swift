import Foundation

/// What the destination provider needs in DNS: from a preset's `dns` table (once the Lua host
/// exists) or from `--mx/--spf-include/--dkim-selector/--dmarc` flags.
public struct CutoverTarget: Sendable, Codable, Hashable {
    public struct MX: Sendable, Codable, Hashable {
        public var host: String
        public var preference: UInt16
        public init(host: String, preference: UInt16) {
            self.host = host.trimmingSuffixDot.lowercased()
            self.preference = preference
        }
    }

    public struct DKIM: Sendable, Codable, Hashable {
        public var selector: String
        /// Publish `selector._domainkey` as a CNAME to this host; nil: the operator publishes the TXT key.
        public var cname: String?
        public init(selector: String, cname: String?) {
            self.selector = selector
            self.cname = cname
        }
    }

    public var mx: [MX]
    public var spfInclude: String?
    /// SPF includes to remove (the old provider's); when empty, Tern removes includes in the same
    /// organizational domain as the current MX hosts.
    public var spfRemove: [String]
    public var dkim: [DKIM]
    /// DMARC record to publish when the domain has none.
    public var dmarc: String?

    public init(mx: [MX], spfInclude: String?, spfRemove: [String] = [], dkim: [DKIM] = [], dmarc: String? = nil) {
        self.mx = mx
        self.spfInclude = spfInclude
        self.spfRemove = spfRemove
        self.dkim = dkim
        self.dmarc = dmarc
    }

    /// Parses `HOST[:PRIO]` (preference defaults to 10, then 20, 30… in order given).
    public static func parseMX(_ values: [String]) throws -> [MX] {
        try values.enumerated().map { index, value in
            let parts = value.split(separator: ":").map(String.init)
            guard let host = parts.first, (try? DNSName(host)) != nil, parts.count <= 2 else {
                throw DNSError(.badInput, "--mx \(value): expected HOST[:PREFERENCE], e.g. mx1.example.net:10")
            }
            var preference = UInt16(10 * (index + 1))
            if parts.count == 2 {
                guard let value = UInt16(parts[1]) else { throw DNSError(.badInput, "--mx \(value): the preference must be 0-65535") }
                preference = value
            }
            return MX(host: host, preference: preference)
        }
    }

    /// A stop-gap table of well-known destinations until presets come from the Lua host. Values
    /// follow each provider's public setup documentation; `{domain}` and `{domain-dashed}` are
    /// replaced with the migrating domain.
    public static func builtIn(_ name: String, domain: DNSName) -> CutoverTarget? {
        let dashed = domain.text.replacingOccurrences(of: ".", with: "-")
        switch name.lowercased() {
        case "google-workspace", "google":
            return CutoverTarget(mx: [MX(host: "smtp.google.com", preference: 1)], spfInclude: "_spf.google.com",
                                 dkim: [DKIM(selector: "google", cname: nil)])
        case "microsoft-365", "m365", "office365":
            return CutoverTarget(mx: [MX(host: "\(dashed).mail.protection.outlook.com", preference: 0)],
                                 spfInclude: "spf.protection.outlook.com",
                                 dkim: [DKIM(selector: "selector1", cname: nil), DKIM(selector: "selector2", cname: nil)])
        case "fastmail":
            return CutoverTarget(mx: [MX(host: "in1-smtp.messagingengine.com", preference: 10), MX(host: "in2-smtp.messagingengine.com", preference: 20)],
                                 spfInclude: "spf.messagingengine.com",
                                 dkim: ["fm1", "fm2", "fm3"].map { DKIM(selector: $0, cname: "\($0).\(domain.text).dkim.fmhosted.com") })
        default:
            return nil
        }
    }

    public static let builtInNames = ["google-workspace", "microsoft-365", "fastmail"]
}
