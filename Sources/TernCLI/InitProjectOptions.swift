import ArgumentParser
import Foundation
import TernMigration

/// `--project DIR` for commands that work inside a migration project. Without it, the nearest
/// `tern-project.json` at or above the current directory is used.
struct ProjectOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The migration project folder (default: the one containing the current directory).",
        valueName: "dir"))
    var project: String?

    /// The project, or a bad-input error saying how to get one.
    func load() throws -> MigrationProject { try Self.load(explicit: project) }

    /// The project at `explicit`, else around the current directory (for commands whose
    /// `--project` lives in another option group).
    static func load(explicit: String?) throws -> MigrationProject {
        let found: MigrationProject?
        do {
            found = try MigrationProject.locate(explicit: explicit)
        } catch {
            throw CLIError(TernExit.badInput, "\(error)")
        }
        guard let found else {
            throw CLIError(TernExit.badInput, "not inside a migration project (no \(MigrationProject.configFileName) "
                + "here or above): run `tern init DIR --from PRESET --to PRESET --domain DOMAIN`, or pass --project DIR")
        }
        return found
    }
}
