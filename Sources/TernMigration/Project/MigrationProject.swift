import Foundation
import TernState

/// A migration project: one folder holding everything about moving one business.
///
///     DIR/
///       tern-project.json   from/to presets, domains, created date (`ProjectConfig`)
///       state.sqlite        the state database (0600): inventory, message map, runs
///       scripts/            the operator's Lua rules and hooks for this client
///       logs/               one log file per mailbox
///       reports/            exports and reports
///
/// Commands find it with `locate(explicit:)`: `--project DIR`, else the nearest folder at or
/// above the current directory holding `tern-project.json` (as git finds `.git`).
public struct MigrationProject: Sendable {
    public static let configFileName = "tern-project.json"

    /// The project folder, absolute and without a trailing slash.
    public let directory: String
    public var config: ProjectConfig

    public var configPath: String { directory + "/" + Self.configFileName }
    public var statePath: String { directory + "/state.sqlite" }
    public var scriptsDirectory: String { directory + "/scripts" }
    public var logDirectory: String { directory + "/logs" }
    public var reportsDirectory: String { directory + "/reports" }

    /// Creates the folder (if needed), its subfolders, the config and the state database.
    /// Refuses a folder that already is a project.
    public static func create(at path: String, config: ProjectConfig) throws(ProjectError) -> MigrationProject {
        let directory = absolute(path)
        let files = FileManager.default
        if files.fileExists(atPath: directory + "/" + configFileName) {
            throw ProjectError("\(directory) already is a migration project (\(configFileName) exists)")
        }
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ProjectError("\(directory) exists and is not a folder")
        }
        let project = MigrationProject(directory: directory, config: config)
        do {
            // The project names a client's people and holds their mail's map: owner only.
            for folder in [directory, project.scriptsDirectory, project.logDirectory, project.reportsDirectory] {
                try files.createDirectory(atPath: folder, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw ProjectError("cannot create the project folders in \(directory): \(error.localizedDescription)")
        }
        do {
            _ = try SQLiteStateStore(path: project.statePath)
        } catch {
            throw ProjectError("\(error)")
        }
        try project.saveConfig()
        return project
    }

    /// Opens the project in `path` (the folder, or its `tern-project.json`).
    public static func open(_ path: String) throws(ProjectError) -> MigrationProject {
        var directory = absolute(path)
        if directory.hasSuffix("/" + configFileName) { directory = (directory as NSString).deletingLastPathComponent }
        let configPath = directory + "/" + configFileName
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw ProjectError("\(directory) is not a migration project (no \(configFileName)); create one with tern init")
        }
        do {
            let config = try decoder.decode(ProjectConfig.self, from: data)
            guard config.version <= 1 else {
                throw ProjectError("\(configPath) is version \(config.version); this Tern reads version 1")
            }
            return MigrationProject(directory: directory, config: config)
        } catch let error as ProjectError {
            throw error
        } catch {
            throw ProjectError("\(configPath) is not a valid project file: \(error)")
        }
    }

    /// The project a command runs in: `explicit` (`--project DIR`) when given, else the nearest
    /// `tern-project.json` at or above `directory` (the current one by default); nil when there
    /// is none — commands that need a project say so, `sync`/`batch` fall back to their flags.
    public static func locate(explicit: String?,
                              from directory: String = FileManager.default.currentDirectoryPath)
        throws(ProjectError) -> MigrationProject? {
        if let explicit { return try open(explicit) }
        var current = absolute(directory)
        while true {
            if FileManager.default.fileExists(atPath: current + "/" + configFileName) { return try open(current) }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return nil }
            current = parent
        }
    }

    /// The project's state database (inventory and sync state).
    public func openState() throws(ProjectError) -> SQLiteStateStore {
        do {
            return try SQLiteStateStore(path: statePath)
        } catch {
            throw ProjectError("\(error)")
        }
    }

    func saveConfig() throws(ProjectError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            var data = try encoder.encode(config)
            data.append(0x0A)
            try data.write(to: URL(fileURLWithPath: configPath), options: .atomic)
        } catch {
            throw ProjectError("cannot write \(configPath): \(error.localizedDescription)")
        }
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let standard = (full as NSString).standardizingPath
        return standard.count > 1 && standard.hasSuffix("/") ? String(standard.dropLast()) : standard
    }
}

public struct ProjectError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension MigrationProject {
    public enum Side: Sendable { case source, destination }

    /// The preset a side uses: the one given (`--preset1`/`--preset2`), else — when no host
    /// was given either — the project's own (`tern init --from` / `--to`); nil when neither
    /// names one. The one place this rule is written.
    public func preset(for side: Side, given: String?, host: String?) -> String? {
        if let given { return given }
        guard host == nil else { return nil }
        let own = side == .source ? config.from : config.to
        return own.isEmpty ? nil : own
    }
}
