/// A DMARC policy record at `_dmarc.domain` (RFC 7489 §6.3).
public struct DMARCRecord: Sendable, Hashable, Codable {
    public enum Policy: String, Sendable, Codable { case none, quarantine, reject }
    public enum Alignment: String, Sendable, Codable { case relaxed = "r", strict = "s" }

    public var policy: Policy
    public var subdomainPolicy: Policy?
    public var percent: Int
    public var aggregateReports: [String]
    public var failureReports: [String]
    public var dkimAlignment: Alignment
    public var spfAlignment: Alignment
    public var failureOptions: [String]
    public var reportInterval: Int
    /// Problems that did not invalidate the record (RFC 7489 §6.6.3 fallbacks).
    public var warnings: [String] = []

    public static func isDMARC(_ text: String) -> Bool {
        let compact = text.prefix(20).filter { !$0.isWhitespace }
        return compact.hasPrefix("v=DMARC1;") || compact == "v=DMARC1"
    }

    public init(parsing text: String) throws {
        let tags = try TagList(parsing: text)
        guard tags.tags.first?.name == "v", tags.tags.first?.value == "DMARC1" else {
            throw PolicyError("a DMARC record must start with v=DMARC1")
        }
        aggregateReports = try Self.uris(tags["rua"], tag: "rua")
        failureReports = try Self.uris(tags["ruf"], tag: "ruf")
        if let p = tags["p"], let value = Policy(rawValue: p.lowercased()) {
            policy = value
        } else if !aggregateReports.isEmpty {
            // RFC 7489 §6.6.3: an invalid or missing p= with a valid rua= acts as p=none.
            policy = .none
            warnings.append(tags["p"] == nil ? "p= is missing; receivers treat the record as p=none because rua= is valid"
                            : "p=\(tags["p"]!) is not none/quarantine/reject; receivers treat it as p=none")
        } else {
            throw PolicyError(tags["p"] == nil ? "the record has no p= tag" : "p=\(tags["p"]!) is not none, quarantine or reject")
        }
        if let sp = tags["sp"] {
            guard let value = Policy(rawValue: sp.lowercased()) else { throw PolicyError("sp=\(sp) is not none, quarantine or reject") }
            subdomainPolicy = value
        }
        if let pct = tags["pct"] {
            guard let value = Int(pct), (0...100).contains(value) else { throw PolicyError("pct=\(pct) is not 0-100") }
            percent = value
        } else {
            percent = 100
        }
        func alignment(_ tag: String) throws -> Alignment {
            guard let raw = tags[tag] else { return .relaxed }
            guard let value = Alignment(rawValue: raw.lowercased()) else { throw PolicyError("\(tag)=\(raw) is not r or s") }
            return value
        }
        dkimAlignment = try alignment("adkim")
        spfAlignment = try alignment("aspf")
        failureOptions = tags["fo"].map { $0.split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? ["0"]
        if failureOptions.contains(where: { !["0", "1", "d", "s"].contains($0) }) {
            throw PolicyError("fo=\(tags["fo"]!) may only combine 0, 1, d and s")
        }
        if let ri = tags["ri"] {
            guard let value = Int(ri), value >= 0 else { throw PolicyError("ri=\(ri) is not a number of seconds") }
            reportInterval = value
        } else {
            reportInterval = 86_400
        }
        if percent < 100 && policy != .none { warnings.append("pct=\(percent): the policy applies to only \(percent)% of failing mail") }
    }

    /// `dmarc-uri *( "," dmarc-uri )`, each `URI [ "!" size ]` (RFC 7489 §6.4).
    static func uris(_ value: String?, tag: String) throws -> [String] {
        guard let value else { return [] }
        return try value.split(separator: ",").map { raw in
            let uri = raw.trimmingCharacters(in: .whitespaces)
            let base = uri.split(separator: "!").first.map(String.init) ?? uri
            guard base.lowercased().hasPrefix("mailto:") || base.lowercased().hasPrefix("https:"),
                  !base.lowercased().hasPrefix("mailto:") || base.contains("@") else {
                throw PolicyError("\(tag)=\(uri) is not a mailto: or https: URI")
            }
            return uri
        }
    }

    /// The address domain of a mailto: report URI.
    static func reportDomain(_ uri: String) -> String? {
        guard uri.lowercased().hasPrefix("mailto:"), let at = uri.lastIndex(of: "@") else { return nil }
        let rest = uri[uri.index(after: at)...]
        return String(rest.split(separator: "!").first ?? rest)
    }
}
