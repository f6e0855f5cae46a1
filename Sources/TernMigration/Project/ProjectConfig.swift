import Foundation

/// `tern-project.json`: what a migration project is about. Written by `tern init`, read by
/// every command that runs inside the project.
public struct ProjectConfig: Sendable, Equatable, Codable {
    /// The file format's version; a newer Tern may add fields, never reinterpret these.
    public var version: Int
    /// Source provider preset name (`presets/providers/NAME.lua`).
    public var from: String
    /// Destination provider preset name.
    public var to: String
    /// The domains that move, normalised (lower case, A-labels). The first is the default for
    /// bare user names.
    public var domains: [String]
    public var created: Date

    public init(version: Int = 1, from: String, to: String, domains: [String], created: Date = Date()) {
        self.version = version
        self.from = from
        self.to = to
        self.domains = domains
        self.created = created
    }
}
