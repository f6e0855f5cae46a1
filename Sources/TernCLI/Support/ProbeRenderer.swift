import Foundation
import TernCore
import TernIMAPStore

/// Renders an `AccountReport` for people (aligned text) and for machines (JSON).
enum ProbeRenderer {
    static func json(_ report: AccountReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    static func text(_ report: AccountReport) -> String {
        var out = ""
        let server = report.server
        out += "Server      \(server.host):\(server.port)\n"
        out += "Security    \(server.security)\n"
        out += "Compression \(compressionLine(server))\n"
        out += "Greeting    \(server.greeting)\n"
        if !server.id.isEmpty {
            let id = server.id.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            out += "Server ID   \(id)\n"
        }
        out += "Logged in   \(report.user)" + (report.admin.map { " (through admin \($0))" } ?? "") + "\n"
        out += "Capabilities\n" + wrap(server.capabilities.joined(separator: " "), indent: 12, width: 100) + "\n"
        for kind in ["personal", "otherUsers", "shared"] {
            guard let list = report.namespaces[kind], !list.isEmpty else { continue }
            let shown = list.map { "\"\($0.prefix)\" separator \($0.separator.map { "\"\($0)\"" } ?? "none")" }
            out += "Namespace   \(kind): \(shown.joined(separator: ", "))\n"
        }
        out += "\nFolders (\(report.folders.count))\n"
        let rows = report.folders.map { folder -> [String] in
            [folder.name, folder.raw == folder.name ? "" : folder.raw, folder.specialUse ?? "",
             folder.subscribed ? "yes" : "no",
             folder.selectable ? (folder.messages.map(String.init) ?? "?") : "-",
             folder.unseen.map(String.init) ?? "", folder.size.map(String.init) ?? ""]
        }
        out += table(header: ["Folder", "Raw name", "Special", "Subscribed", "Messages", "Unseen", "Bytes"],
            rows: rows, rightAligned: [4, 5, 6])
        out += "Total       \(report.totalMessages) messages, \(report.totalSize) bytes "
            + "(\(ByteCount.format(report.totalSize)))\n"
        for root in report.quota {
            for resource in root.resources {
                let unit = resource.name == "STORAGE" ? " KiB" : ""
                out += "Quota       \(root.root.isEmpty ? "(default)" : root.root) \(resource.name): "
                    + "\(resource.usage)\(unit) of \(resource.limit)\(unit)\n"
            }
        }
        if report.warnings.isEmpty {
            out += "Warnings    none\n"
        } else {
            out += "Warnings\n"
            for warning in report.warnings { out += "  ! \(warning)\n" }
        }
        return out
    }

    static func compressionLine(_ server: AccountReport.Server) -> String {
        if let compression = server.compression { return "\(compression) (COMPRESS, RFC 4978)" }
        let offered = server.capabilities.contains { $0.uppercased() == "COMPRESS=DEFLATE" }
        return offered ? "off (offered, not turned on: --no-compress, or the server refused)" : "off (not offered)"
    }

    static func table(header: [String], rows: [[String]], rightAligned: Set<Int>) -> String {
        TextTable.render(header: header, rows: rows, rightAligned: rightAligned, indent: "  ")
    }

    static func wrap(_ text: String, indent: Int, width: Int) -> String {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.count + word.count + 1 > width - indent, !current.isEmpty {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty { lines.append(current) }
        let pad = String(repeating: " ", count: indent)
        return lines.map { pad + $0 }.joined(separator: "\n")
    }
}
