import Foundation

/// One record change in a cutover plan.
public struct RecordChange: Sendable, Codable, Hashable {
    public enum Action: String, Sendable, Codable { case add, remove, lowerTTL = "lower-ttl" }
    public var action: Action
    public var name: String
    public var type: String
    public var ttl: UInt32
    /// Presentation data; for TXT the unquoted text.
    public var value: String
    public var reason: String

    /// Zone-file form of the record (TXT split into quoted 255-octet strings).
    public var zoneLine: String {
        "\(name). \(ttl) IN \(type) " + (type == "TXT" ? TXTRecord(value).presentation : value)
    }

    /// The typed record data, for RFC 2136 updates.
    public func recordData() throws -> RData {
        switch type {
        case "TXT": return .txt(TXTRecord(value))
        case "CNAME": return .cname(CNAMERecord(try DNSName(value)))
        case "MX":
            let parts = value.split(separator: " ")
            guard parts.count == 2, let preference = UInt16(parts[0]) else { throw DNSError(.badInput, "bad MX value '\(value)'") }
            return .mx(MXRecord(preference: preference, exchange: try DNSName(String(parts[1]))))
        default: throw DNSError(.badInput, "Tern does not update \(type) records")
        }
    }
}

/// The cutover plan (issue item 6): changes, resulting SPF, and the TTL timeline.
public struct CutoverPlan: Sendable, Codable {
    public struct Step: Sendable, Codable, Hashable {
        public var at: Date
        public var action: String
    }

    public var domain: String
    public var target: CutoverTarget
    /// The RRsets as the plan saw them (MX values, apex TXT texts): apply's prerequisites.
    public var currentMX: [String]
    public var currentApexTXT: [String]
    public var currentSPF: String?
    public var newSPF: String
    public var newSPFLookups: Int
    public var changes: [RecordChange]
    /// Highest TTL of the MX and SPF RRsets across the authoritative servers.
    public var oldTTL: UInt32
    public var shortTTL: UInt32
    public var earliestCutover: Date
    public var requestedCutover: Date?
    public var timeline: [Step]
    public var warnings: [String]
    public var createdAt: Date

    /// `nsupdate` input for the cutover changes (the TTL-lowering step is listed separately).
    public func nsupdateScript(server: String = "PRIMARY-NAMESERVER", keyFile: String = "KEYFILE") -> String {
        var lines = ["# tern dns plan \(domain): apply with: nsupdate -k \(keyFile) < this-file", "server \(server)", "zone \(domain).", ""]
        lines.append("# Prerequisites: stop if the MX records changed since the plan")
        for mx in currentMX { lines.append("prereq yxrrset \(domain). IN MX \(mx)") }
        for change in changes where change.action == .remove { lines.append("update delete \(change.name). IN \(change.type) " + (change.type == "TXT" ? TXTRecord(change.value).presentation : change.value)) }
        for change in changes where change.action == .add { lines.append("update add \(change.zoneLine)") }
        lines.append("send")
        return lines.joined(separator: "\n")
    }

    public var zoneSnippet: String {
        var lines = ["; \(domain) after the cutover (tern dns plan)"]
        for change in changes where change.action == .remove { lines.append("; remove: \(change.zoneLine)") }
        for change in changes where change.action == .add { lines.append(change.zoneLine) }
        return lines.joined(separator: "\n")
    }
}
