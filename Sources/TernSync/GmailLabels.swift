import TernCore

/// How Gmail's labels become folders on a destination that has none.
public enum GmailLabelMode: String, Sendable, CaseIterable, Codable {
    /// One copy of each message, in the folder its labels choose (`GmailPlacement`); its other
    /// user labels become keywords. The default.
    case keywords
    /// One copy in every label's folder (what Microsoft's own Gmail import does), for
    /// destinations that keep no keywords.
    case folders
}

/// Gmail's folders as an X-GM-EXT-1 server lists them, told apart by their special use (or,
/// on a server that marks none, by Gmail's own names).
struct GmailFolders: Sendable {
    /// Every message but Spam and Trash, archived mail (no label at all) included.
    var allMail: StoreFolder
    var inbox: StoreFolder?
    var sent: StoreFolder?
    var drafts: StoreFolder?
    /// Starred and Important: labels kept as flags, never copied as folders.
    var flagLabels: [StoreFolder] = []
    /// User labels by their decoded name, which is the folder's portable name.
    var userLabels: [String: StoreFolder] = [:]

    init?(_ folders: [StoreFolder]) {
        guard let allMail = folders.first(where: { $0.selectable && Self.use(of: $0) == "\\All" }) else { return nil }
        self.allMail = allMail
        for folder in folders where folder.selectable && folder.raw != allMail.raw {
            if folder.isInbox {
                inbox = folder
                continue
            }
            switch Self.use(of: folder) {
            case "\\Sent": if sent == nil { sent = folder }
            case "\\Drafts": if drafts == nil { drafts = folder }
            case "\\Flagged", "\\Important": flagLabels.append(folder)
            // Spam and Trash are real folders: Gmail keeps their mail out of All Mail.
            case "\\Junk", "\\Trash", "\\All": break
            default: userLabels[folder.portableName] = folder
            }
        }
    }

    static func use(of folder: StoreFolder) -> String? {
        if let use = folder.specialUse { return use }
        let name = folder.portableName.lowercased()
        if name == "[gmail]/important" || name == "[google mail]/important" { return "\\Important" }
        if name == "[gmail]/starred" || name == "[google mail]/starred" { return "\\Flagged" }
        return FolderPlanner.specialUse(of: folder)
    }

    /// The folder a placement names, if the server lists one.
    func folder(for target: GmailPlacement.Target) -> StoreFolder? {
        switch target {
        case .inbox: inbox
        case .sent: sent
        case .drafts: drafts
        case .label(let name): userLabels[name]
        case .archive: nil
        }
    }
}

/// Where a Gmail message goes and which flags it carries there. Pure logic.
enum GmailPlacement {
    enum Target: Hashable, Sendable {
        case inbox, sent, drafts, archive
        case label(String)
    }

    static let starred = "\\Starred"
    static let important = "\\Important"

    /// The folders a message with these labels belongs in, in the default order (drafts, Inbox,
    /// Sent, its first user label that has a folder, else the archive) or from the rule's
    /// `choice` (one of the labels, or `\Archive`). In `.folders` mode: every label's folder.
    static func targets(labels: [String], mode: GmailLabelMode, folders: GmailFolders, choice: String? = nil)
        -> [Target]
    {
        let available = labels.compactMap(target(of:)).filter { folders.folder(for: $0) != nil }
        switch mode {
        case .folders:
            var seen = Set<Target>()
            let all = available.filter { seen.insert($0).inserted }
            return all.isEmpty ? [.archive] : all
        case .keywords:
            if let choice {
                if choice.caseInsensitiveCompare("\\Archive") == .orderedSame { return [.archive] }
                if let chosen = target(of: choice), folders.folder(for: chosen) != nil { return [chosen] }
            }
            for preferred in [Target.drafts, .inbox, .sent] where available.contains(preferred) { return [preferred] }
            return [available.first { if case .label = $0 { true } else { false } } ?? .archive]
        }
    }

    /// The placement a label stands for; nil for Starred, Important, Spam, Trash.
    static func target(of label: String) -> Target? {
        guard label.hasPrefix("\\") else { return label.isEmpty ? nil : .label(label) }
        switch label.lowercased() {
        case "\\inbox": return .inbox
        case "\\sent": return .sent
        case "\\draft": return .drafts
        default: return nil
        }
    }

    /// The message's flags at `target`: Starred as `\Flagged`, Important as `$Important`
    /// (RFC 8457), and in `.keywords` mode every user label but the placement's own as a keyword.
    static func flags(_ flags: [String], labels: [String], at target: Target?, mode: GmailLabelMode) -> [String] {
        var result = flags
        for label in labels {
            if label.caseInsensitiveCompare(starred) == .orderedSame {
                result.append("\\Flagged")
            } else if label.caseInsensitiveCompare(important) == .orderedSame {
                result.append("$Important")
            } else if mode == .keywords, !label.hasPrefix("\\"), target != .label(label), let keyword = keyword(for: label) {
                result.append(keyword)
            }
        }
        return FlagSet.normalize(result)
    }

    /// A user label as an IMAP keyword: as Gmail sends it on the wire (modified UTF-7), with
    /// each character an atom cannot hold (space, parentheses, quotes, `%*]{\`) made `_`.
    static func keyword(for label: String) -> String? {
        let forbidden: Set<Character> = [" ", "(", ")", "{", "%", "*", "\"", "\\", "]"]
        let wire = ModifiedUTF7.encode(label)
        let keyword = String(wire.map { forbidden.contains($0) || $0.asciiValue.map { $0 < 0x21 || $0 == 0x7F } == true
            ? "_" : $0 })
        return keyword.isEmpty ? nil : keyword
    }
}
