import Foundation

/// The routing objects as data: CSV (RFC 4180) and JSON, for spreadsheets, ticket systems and
/// providers' bulk-upload tools.
extension RoutingTable {
    static let csvColumns = ["kind", "address", "targets", "keep_copy", "action", "action_text", "status", "sources",
                             "notes"]

    public func csv() -> String {
        var lines = [Self.csvColumns.joined(separator: ",")]
        for entry in entries {
            let fields = [
                entry.kind.rawValue, entry.address, entry.targets.joined(separator: ";"), entry.keepCopy ? "yes" : "no",
                entry.action.rawValue, entry.actionText ?? "", entry.status.rawValue, entry.sources.joined(separator: ";"),
                entry.notes.joined(separator: "; "),
            ]
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 §2: quote fields holding commas, quotes or line breaks; double inner quotes.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(entries) else { return "[]\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
