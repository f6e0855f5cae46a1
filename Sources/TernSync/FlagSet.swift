/// IMAP flags as Tern stores and compares them: `\Recent` dropped (the server sets it, a
/// client cannot), system flags in canonical case, sorted, space-separated.
enum FlagSet {
    static let systemFlags = ["\\answered": "\\Answered", "\\flagged": "\\Flagged", "\\deleted": "\\Deleted",
                              "\\seen": "\\Seen", "\\draft": "\\Draft"]

    static func normalize(_ flags: [String]) -> [String] {
        var result = Set<String>()
        for flag in flags {
            let lower = flag.lowercased()
            if lower == "\\recent" || flag.isEmpty { continue }
            if let system = systemFlags[lower] {
                result.insert(system)
            } else if flag.hasPrefix("\\") {
                continue  // an unknown system flag cannot be set by a client
            } else {
                result.insert(flag)
            }
        }
        return result.sorted()
    }

    static func key(_ flags: [String]) -> String { normalize(flags).joined(separator: " ") }

    static func parse(_ key: String) -> [String] { key.split(separator: " ").map(String.init) }

    /// Splits flags into those the destination keeps and keywords it would drop.
    static func accepted(_ flags: [String], keywords: Set<String>?) -> (kept: [String], dropped: [String]) {
        guard let keywords else { return (flags, []) }
        let lowered = Set(keywords.map { $0.lowercased() })
        var kept: [String] = []
        var dropped: [String] = []
        for flag in flags {
            if flag.hasPrefix("\\") || lowered.contains(flag.lowercased()) { kept.append(flag) } else { dropped.append(flag) }
        }
        return (kept, dropped)
    }
}
