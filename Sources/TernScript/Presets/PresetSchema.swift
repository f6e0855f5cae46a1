import TernCore

/// The fields a provider preset may have, their types, and how each lands in `ProviderPreset`.
/// Validation collects every problem (not just the first), each with the file and the line
/// where the field is written.
struct PresetSchema {
    enum FieldType {
        case string, integer(ClosedRange<Int64>), number, stringList, stringMap, oneOf([String]), listOf([String])
        case table([String: FieldType])
        /// A table of Lua functions Tern calls later (never with the context at load time).
        case functions([String])
    }

    static let mechanisms = ["plain", "login", "xoauth2", "oauthbearer"]
    static let specialUses = ["\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive", "\\All", "\\Flagged", "\\Important"]

    /// The functions a destination preset's `routing` table may define (`PresetRoutingAPI`).
    static let routingFunctions = ["create_alias", "create_group", "create_forwarder", "list_aliases", "list_groups",
                                   "list_forwarders"]

    static let root: [String: FieldType] = [
        "name": .string,
        "description": .string,
        "references": .stringList,
        "imap": .table([
            "host": .string,
            "port": .integer(1...65535),
            "tls": .oneOf(["implicit", "starttls", "plain"]),
            "auth": .listOf(mechanisms),
            "admin_separator": .string,
        ]),
        "limits": .table([
            "max_connections": .integer(1...10_000),
            "bytes_per_day": .integer(0...Int64.max),
            "messages_per_second": .number,
            "max_message_size": .integer(1...Int64.max),
        ]),
        "folders": .table([
            "special_use": .stringMap,
            "skip": .stringList,
        ]),
        "quirks": .stringList,
        "dns": .table([
            "mx": .stringList,
            "spf_include": .string,
            "dkim_selector": .string,
            "dmarc": .string,
        ]),
        "routing": .functions(routingFunctions),
    ]

    static func describe(_ type: FieldType) -> String {
        switch type {
        case .string: "a string"
        case .integer(let range): range.upperBound == .max ? "an integer ≥ \(range.lowerBound)"
            : "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .number: "a number"
        case .stringList: "a list of strings"
        case .stringMap: "a table of strings"
        case .oneOf(let options): "one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
        case .listOf(let options): "a list of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
        case .table: "a table"
        case .functions(let names): "a table of functions (" + names.joined(separator: ", ") + ")"
        }
    }
}

/// Finds the line a field is written on, for messages: the first `key =` after the line of its
/// parent. Lua tables do not remember positions; presets are written one field per line, so
/// this finds the right line in practice and falls back to the parent's.
struct SourceLines {
    let lines: [Substring]

    init(_ source: String) { lines = source.split(separator: "\n", omittingEmptySubsequences: false) }

    func line(of path: [String]) -> Int? {
        var from = 0
        var found: Int?
        for key in path {
            guard let index = lines[from...].firstIndex(where: { Self.assigns($0, key) }) else { break }
            found = index + 1
            from = index
        }
        return found ?? lines.firstIndex { $0.contains("return") }.map { $0 + 1 }
    }

    static func assigns(_ line: Substring, _ key: String) -> Bool {
        let code = line.split(separator: "--", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var rest = code[...]
        while let range = rest.range(of: key) {
            let before = range.lowerBound == code.startIndex ? " " : code[code.index(before: range.lowerBound)]
            let after = code[range.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "]" || $0 == "'" }
            if !(before.isLetter || before.isNumber || before == "_"), after.hasPrefix("="), !after.hasPrefix("==") {
                return true
            }
            rest = code[range.upperBound...]
        }
        return false
    }
}
