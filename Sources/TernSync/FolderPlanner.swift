import Foundation
import TernCore

/// Decides, for every source folder, where it goes on the destination: INBOX to INBOX,
/// special-use folders to the destination's own (by SPECIAL-USE, or by well-known names when
/// a server lacks it), everything else to the same path — then the operator's rules,
/// `--include`/`--exclude` and `--subfolder2`. Pure logic: no I/O.
public struct FolderPlanner {
    public struct Options: Sendable {
        /// Only source folders whose portable name matches one of these (all when empty).
        public var include: [String]
        /// Source folders whose portable name matches one of these are skipped.
        public var exclude: [String]
        /// Put everything under this destination folder (`/`-separated path).
        public var subfolder: String?
        /// Portable names never copied (from a preset, e.g. `[Gmail]/All Mail`).
        public var presetSkips: [String]

        public init(include: [String] = [], exclude: [String] = [], subfolder: String? = nil, presetSkips: [String] = []) {
            self.include = include
            self.exclude = exclude
            self.subfolder = subfolder
            self.presetSkips = presetSkips
        }
    }

    public struct Pair: Sendable, Equatable {
        public var source: StoreFolder
        /// Destination path (levels), to be created if `existing` is nil.
        public var destinationPath: [String]
        /// The destination folder when it exists already.
        public var existing: StoreFolder?
        /// The special use to ask for when creating it.
        public var specialUse: String?
        /// How the mapping was decided, for the plan display: "inbox", "special-use", "name", "rule", "subfolder".
        public var reason: String
    }

    public struct Skip: Sendable, Equatable {
        public var source: StoreFolder
        public var reason: String
    }

    public struct Plan: Sendable, Equatable {
        public var pairs: [Pair]
        public var skipped: [Skip]
        /// Several source folders landing in one destination folder.
        public var collisions: [String]
    }

    public let options: Options
    private let includes: [Regex<AnyRegexOutput>]
    private let excludes: [Regex<AnyRegexOutput>]

    public init(options: Options) throws(PlanError) {
        self.options = options
        func compile(_ patterns: [String], _ flag: String) throws(PlanError) -> [Regex<AnyRegexOutput>] {
            var result: [Regex<AnyRegexOutput>] = []
            for pattern in patterns {
                do { result.append(try Regex(pattern)) } catch {
                    throw PlanError("\(flag) \"\(pattern)\" is not a valid regular expression: \(error)")
                }
            }
            return result
        }
        includes = try compile(options.include, "--include")
        excludes = try compile(options.exclude, "--exclude")
    }

    public func plan(source: [StoreFolder], destination: [StoreFolder], rules: any Rules) async throws(ScriptError) -> Plan {
        var pairs: [Pair] = []
        var skipped: [Skip] = []
        let destinationByUse = Self.specialUseIndex(destination)
        // Names stand in for SPECIAL-USE only on a server that marks no folder at all.
        let sourceMarks = source.contains { $0.specialUse != nil }
        let destinationMarks = destination.contains { $0.specialUse != nil }
        let destinationByName = Dictionary(destination.map { (Self.key($0.path), $0) }, uniquingKeysWith: { first, _ in first })
        let presetSkips = Set(options.presetSkips.map { $0.lowercased() })

        for folder in source {
            let name = folder.portableName
            if let reason = folder.notCopied {
                skipped.append(Skip(source: folder, reason: reason))
                continue
            }
            if !folder.selectable {
                skipped.append(Skip(source: folder, reason: "not selectable (\\Noselect)"))
                continue
            }
            if presetSkips.contains(name.lowercased()) {
                skipped.append(Skip(source: folder, reason: "skipped by the preset (would duplicate mail)"))
                continue
            }
            if !includes.isEmpty, !includes.contains(where: { name.contains($0) }) {
                skipped.append(Skip(source: folder, reason: "not matched by --include"))
                continue
            }
            if let pattern = excludes.first(where: { name.contains($0) }) {
                _ = pattern
                skipped.append(Skip(source: folder, reason: "matched by --exclude"))
                continue
            }
            let info = FolderInfo(name: name, raw: folder.raw, separator: folder.separator,
                specialUse: sourceMarks ? folder.specialUse : Self.specialUse(of: folder), flags: folder.attributes)
            var decision = FolderDecision.keep
            if rules.mapsFolders { decision = try await rules.mapFolder(info) }

            var path: [String]
            var reason: String
            var use = info.specialUse
            switch decision {
            case .skip:
                skipped.append(Skip(source: folder, reason: "skipped by a folder rule"))
                continue
            case .rename(let target):
                path = target.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
                reason = "rule"
                use = nil
                if path.isEmpty {
                    skipped.append(Skip(source: folder, reason: "a folder rule returned an empty name"))
                    continue
                }
            case .keep:
                if folder.isInbox {
                    path = ["INBOX"]
                    reason = "inbox"
                } else if let use, options.subfolder == nil, let target = destinationByUse[use],
                          destinationMarks || destinationByName[Self.key(folder.path)] == nil {
                    // A guess by name never beats a destination folder of the very same name
                    // (Drafts beside Entwürfe on a server without SPECIAL-USE).
                    path = target.path
                    reason = "special-use"
                } else {
                    path = folder.path
                    reason = "name"
                }
            }
            if let subfolder = options.subfolder {
                let prefix = subfolder.split(separator: "/").map(String.init)
                path = folder.isInbox && decision == .keep ? prefix : prefix + path
                reason = "subfolder"
                use = nil
            }
            pairs.append(Pair(source: folder, destinationPath: path, existing: destinationByName[Self.key(path)],
                specialUse: use, reason: reason))
        }
        let grouped = Dictionary(grouping: pairs, by: { Self.key($0.destinationPath) })
        let collisions = grouped.values.filter { $0.count > 1 }.map { group in
            "\(group.map(\.source.portableName).sorted().joined(separator: ", ")) → \(group[0].destinationPath.joined(separator: "/"))"
        }.sorted()
        return Plan(pairs: pairs, skipped: skipped, collisions: collisions)
    }

    /// Destination paths compare case-insensitively for INBOX only (RFC 9051 §5.1).
    static func key(_ path: [String]) -> String {
        var parts = path
        if parts.first?.uppercased() == "INBOX" { parts[0] = "INBOX" }
        return parts.joined(separator: "\u{0}")
    }

    /// The folder's special use: its SPECIAL-USE attribute, or a well-known name.
    static func specialUse(of folder: StoreFolder) -> String? {
        if let use = folder.specialUse { return use }
        let name = folder.portableName.lowercased()
        return WellKnownFolders.names.first { $0.value.contains(name) }?.key
    }

    static func specialUseIndex(_ folders: [StoreFolder]) -> [String: StoreFolder] {
        var index: [String: StoreFolder] = [:]
        for folder in folders where folder.selectable {
            if let use = folder.specialUse, index[use] == nil { index[use] = folder }
        }
        // A server that marks folders has told us all it means; guess by name only on others.
        guard index.isEmpty else { return index }
        for folder in folders where folder.selectable {
            if let use = specialUse(of: folder), index[use] == nil { index[use] = folder }
        }
        return index
    }
}

/// Names providers give their special folders, for servers without SPECIAL-USE (compared
/// lower-cased against the portable name).
public enum WellKnownFolders {
    public static let names: [String: Set<String>] = [
        "\\Sent": ["sent", "sent items", "sent messages", "sent mail", "[gmail]/sent mail", "[google mail]/sent mail",
                   "gesendet", "gesendete elemente", "gesendete objekte", "envoyés", "elementos enviados",
                   "posta inviata", "verzonden items"],
        "\\Drafts": ["drafts", "draft", "[gmail]/drafts", "[google mail]/drafts", "entwürfe", "brouillons",
                     "borradores", "bozze", "concepten"],
        "\\Trash": ["trash", "deleted items", "deleted messages", "bin", "[gmail]/trash", "[gmail]/bin",
                    "[google mail]/bin", "papierkorb", "gelöschte elemente", "corbeille", "papelera", "cestino"],
        "\\Junk": ["junk", "junk e-mail", "junk email", "spam", "bulk mail", "[gmail]/spam", "[google mail]/spam",
                   "spamverdacht", "courrier indésirable", "correo no deseado"],
        "\\Archive": ["archive", "archives", "archiv"],
        "\\All": ["[gmail]/all mail", "[google mail]/all mail", "all mail"],
    ]
}

public struct PlanError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
