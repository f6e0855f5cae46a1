import Foundation
import TernCore
import TernIMAPStore
import TernState
import TernSync

/// How the destination names folders: its hierarchy separator, personal-namespace prefix and
/// the folders it already has (special folders map onto those, as in `tern sync`).
public struct DestinationNaming: Sendable, Equatable {
    public var separator: String
    public var prefix: String
    /// Existing folders, with paths relative to `prefix` (empty when nobody logged in).
    public var folders: [StoreFolder]

    /// Without a login: `/` and no prefix, what Microsoft 365, Gmail and most current servers use.
    public static let `default` = DestinationNaming(separator: "/", prefix: "")

    public init(separator: String, prefix: String, folders: [StoreFolder] = []) {
        self.separator = separator
        self.prefix = prefix
        self.folders = folders
    }

    /// From a destination login: the personal namespace's prefix and separator (as `sync`
    /// learns them) and the folders there.
    public init(report: AccountReport) {
        let personal = report.namespaces["personal"]?.first
        self.init(separator: personal?.separator ?? report.separator ?? "/", prefix: personal?.prefix ?? "",
            folders: MailboxScanner.folders(report).compactMap { $0.storeFolder })
    }
}

extension ScannedFolder {
    /// The folder as `sync`'s folder planner sees it; nil outside the personal namespace.
    public var storeFolder: StoreFolder? {
        guard let path else { return nil }
        return StoreFolder(path: path, raw: wireName, separator: separator, specialUse: specialUse,
            attributes: attributes, subscribed: subscribed, selectable: selectable)
    }
}

/// `tern plan folders` for one account (pure: scanned folders, rules and the destination's
/// naming in, a mapping out): every source folder's destination name as `tern sync` would
/// choose it — `FolderPlanner` with the preset's skips, the operator's rules and
/// `--include/--exclude/--subfolder2`, then `IMAPMailStore`'s wire naming (prefix, separator,
/// a separator inside a level replaced by `_`) — and the names that will cause trouble.
public enum FolderMappingPreview {
    /// A kind of trouble, in the order reports list them.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Several source folders land in one destination folder: their mail is merged.
        case collision
        /// Destination names equal ignoring case: Microsoft 365/Exchange and Gmail treat them as one.
        case caseOnly = "case-only"
        /// A folder other than INBOX lands on INBOX (reserved in any spelling, RFC 9051 §5.1).
        case reserved
        /// A character or length the destination refuses (its separator inside a level, a
        /// control character, a name over `maxNameOctets`).
        case refused
    }

    public struct Problem: Sendable, Equatable, Codable {
        public var kind: Kind
        public var message: String
        /// The source folders involved (decoded names as the source lists them).
        public var folders: [String]
    }

    public struct Row: Sendable, Equatable, Codable {
        /// The source folder's decoded name as the server lists it, e.g. `INBOX.Projects`.
        public var source: String
        public var sourceWire: String
        /// The destination folder's decoded name; nil when the folder is not copied.
        public var destination: String?
        /// How it was decided (`inbox`, `special-use`, `name`, `rule`, `subfolder`), or why it is skipped.
        public var reason: String
        /// The destination folder exists already.
        public var exists: Bool
        public var problems: [Kind]
        /// Renames the preview saw happen (the separator inside a level …).
        public var notes: [String]

        public var skipped: Bool { destination == nil }
    }

    public struct Account: Sendable, Equatable, Codable {
        public var address: String
        public var rows: [Row]
        public var problems: [Problem]

        public func count(_ kind: Kind) -> Int { problems.filter { $0.kind == kind }.count }
    }

    /// Longest destination name accepted without a warning, in octets as sent (modified UTF-7).
    /// Dovecot, Cyrus and Exchange all stop at or below 255 for a name or a level.
    public static let maxNameOctets = 255

    /// One account's mapping. Folders outside the personal namespace are listed as skipped
    /// (`sync` does not copy them). Throws when a rule fails.
    public static func preview(address: String, source: [ScannedFolder], destination: DestinationNaming,
                               planner: FolderPlanner, rules: any Rules = NoRules(),
                               maxNameOctets: Int = maxNameOctets) async throws(ScriptError) -> Account {
        var stores: [StoreFolder] = []
        var decodedNames: [String: String] = [:]  // wire → decoded, for display
        var rows: [Row] = []
        for folder in source {
            let decoded = displayName(folder)
            decodedNames[folder.wireName] = decoded
            guard let store = folder.storeFolder else {
                rows.append(Row(source: decoded, sourceWire: folder.wireName, destination: nil,
                    reason: "outside the personal namespace (not copied)", exists: false, problems: [], notes: []))
                continue
            }
            stores.append(store)
        }
        let plan = try await planner.plan(source: stores, destination: destination.folders, rules: rules)
        var mapped: [(row: Int, path: [String])] = []
        for pair in plan.pairs {
            let name: String
            if let existing = pair.existing {
                name = decode(existing.raw)
            } else {
                name = IMAPMailStore.decodedName(for: pair.destinationPath, separator: destination.separator,
                    personalPrefix: destination.prefix)
            }
            mapped.append((rows.count, pair.destinationPath))
            rows.append(Row(source: decodedNames[pair.source.raw] ?? pair.source.raw, sourceWire: pair.source.raw,
                destination: name, reason: pair.reason, exists: pair.existing != nil, problems: [], notes: []))
        }
        for skip in plan.skipped {
            rows.append(Row(source: decodedNames[skip.source.raw] ?? skip.source.raw, sourceWire: skip.source.raw,
                destination: nil, reason: skip.reason, exists: false, problems: [], notes: []))
        }
        // Rows in the source's LIST order.
        let order = Dictionary(source.enumerated().map { ($1.wireName, $0) }, uniquingKeysWith: { first, _ in first })
        let sorted = rows.indices.sorted {
            (order[rows[$0].sourceWire] ?? 0, $0) < (order[rows[$1].sourceWire] ?? 0, $1)
        }
        var account = Account(address: address, rows: rows, problems: [])
        check(&account, mapped: mapped, destination: destination, maxNameOctets: maxNameOctets)
        account.rows = sorted.map { account.rows[$0] }
        return account
    }

    // MARK: - Checks

    private static func check(_ account: inout Account, mapped: [(row: Int, path: [String])],
                              destination: DestinationNaming, maxNameOctets: Int) {
        func flag(_ kind: Kind, rows: [Int], _ message: String) {
            for row in rows where !account.rows[row].problems.contains(kind) { account.rows[row].problems.append(kind) }
            account.problems.append(Problem(kind: kind, message: message,
                folders: rows.map { account.rows[$0].source }))
        }
        let rows = mapped.map(\.row)

        // Collisions: one destination name (INBOX in any spelling) for several source folders.
        let byName = Dictionary(grouping: rows) { key(account.rows[$0].destination ?? "") }
        for (_, group) in byName.sorted(by: { $0.key < $1.key }) where group.count > 1 {
            let names = group.map { account.rows[$0].source }.sorted()
            let target = account.rows[group[0]].destination ?? ""
            flag(.collision, rows: group, "\(names.joined(separator: ", ")) → \(target): "
                + "\(group.count) source folders land in one destination folder (their mail is merged)")
        }

        // Case-only differences, at every level (a parent spelled two ways splits or merges
        // the tree), including folders the destination has already.
        var spellings: [String: (names: Set<String>, rows: Set<Int>)] = [:]
        for (row, path) in mapped where !isInbox(path) {
            for depth in 1...path.count {
                let prefix = Array(path.prefix(depth))
                if isInbox(prefix) { continue }
                let name = IMAPMailStore.decodedName(for: prefix, separator: destination.separator,
                    personalPrefix: destination.prefix)
                spellings[name.lowercased(), default: ([], [])].names.insert(name)
                spellings[name.lowercased(), default: ([], [])].rows.insert(row)
            }
        }
        var existing: [String: String] = [:]
        for folder in destination.folders where !isInbox(folder.path) {
            let name = decode(folder.raw)
            existing[name] = name
            spellings[name.lowercased()]?.names.insert(name)
        }
        for (_, entry) in spellings.sorted(by: { $0.key < $1.key }) where entry.names.count > 1 {
            let names = entry.names.sorted().map { existing[$0] != nil ? "\($0) (exists)" : $0 }
            flag(.caseOnly, rows: entry.rows.sorted(), "\(names.joined(separator: ", ")) differ only in case: "
                + "Microsoft 365/Exchange and Gmail treat them as one folder")
        }

        for (row, path) in mapped {
            let current = account.rows[row]
            guard let name = current.destination else { continue }
            let split = path.filter { $0.contains(destination.separator) }
            if !split.isEmpty && !isInbox(path) {
                account.rows[row].notes.append("\"\(destination.separator)\" inside a level replaced by \"_\"")
                flag(.refused, rows: [row], "\(current.source) → \(name): \(split.joined(separator: ", ")) "
                    + "contains \"\(destination.separator)\", the destination's separator (sync replaces it by \"_\")")
            }
            // Reserved: INBOX is the source's INBOX only.
            if key(name) == "INBOX" && !isInbox([decode(current.sourceWire)]) {
                flag(.reserved, rows: [row], "\(current.source) → \(name): only INBOX may be INBOX "
                    + "(any spelling); this folder's mail would land in the inbox")
            }
            if let control = name.unicodeScalars.first(where: isControl) {
                flag(.refused, rows: [row], "\(current.source) → \(printable(name)): control character "
                    + "U+\(String(control.value, radix: 16, uppercase: true).leftPadded(4)) in the name")
            }
            let octets = ModifiedUTF7.encode(name).utf8.count
            if octets > maxNameOctets {
                flag(.refused, rows: [row], "\(current.source) → \(printable(name).prefix(60))…: \(octets) octets "
                    + "on the wire, over \(maxNameOctets)")
            }
        }
    }

    /// INBOX compares case-insensitively (RFC 9051 §5.1); everything else exactly.
    static func key(_ name: String) -> String { name.uppercased() == "INBOX" ? "INBOX" : name }

    static func isInbox(_ path: [String]) -> Bool { path.count == 1 && path[0].uppercased() == "INBOX" }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    static func printable(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { isControl($0) ? "\u{FFFD}" : $0 }))
    }

    static func decode(_ wire: String) -> String { (try? ModifiedUTF7.decode(wire)) ?? wire }

    static func displayName(_ folder: ScannedFolder) -> String {
        if folder.wireName.utf8.contains(where: { $0 >= 0x80 }) { return folder.wireName }
        return decode(folder.wireName)
    }
}

/// Every account of a wave, added up.
public struct FolderMappingSummary: Sendable, Equatable, Codable {
    public var accounts: Int
    public var folders: Int
    public var copied: Int
    public var counts: [String: Int]
    /// Mailboxes of the wave without a preview (never scanned, failed scan, failed destination login).
    public var notPreviewed: Int

    public init(_ accounts: [FolderMappingPreview.Account], notPreviewed: Int) {
        self.accounts = accounts.count
        folders = accounts.reduce(0) { $0 + $1.rows.count }
        copied = accounts.reduce(0) { $0 + $1.rows.filter { !$0.skipped }.count }
        var counts: [String: Int] = [:]
        for kind in FolderMappingPreview.Kind.allCases {
            counts[kind.rawValue] = accounts.reduce(0) { $0 + $1.count(kind) }
        }
        self.counts = counts
        self.notPreviewed = notPreviewed
    }

    /// Anything to look at before the wave: a problem, or a mailbox left out.
    public var flagged: Bool { counts.values.contains { $0 > 0 } || notPreviewed > 0 }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
