import ArgumentParser
import Foundation
import TernMigration
import TernScript

/// `tern init DIR --from PRESET --to PRESET --domain D`: creates a migration project folder.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a migration project folder: config, state database, scripts/, logs/, reports/.",
        discussion: """
            Every later command run inside DIR (or given --project DIR) uses the project's state: \
            tern inventory, tern routing. The state database is created 0600 and the folders 0700: \
            they name a client's people and map their mail.

            Example:
              tern init acme --from cpanel --to trekmail --domain acme.example --domain acme-corp.example

            Exit codes: 0 created, 20 the folder already is a project or cannot be written.
            """)

    @Argument(help: "The project folder to create (may exist, if it is not a project yet).")
    var directory: String

    @Option(help: "The source provider preset (see `tern preset list`).")
    var from: String

    @Option(help: "The destination provider preset.")
    var to: String

    @Option(help: "A domain that moves (repeatable; the first is the default for bare user names).")
    var domain: [String] = []

    func validate() throws {
        if domain.isEmpty { throw ValidationError("Give at least one --domain.") }
        if from.isEmpty || to.isEmpty { throw ValidationError("--from and --to name presets.") }
    }

    func run() async throws {
        try await reportingErrors {
            var domains: [String] = []
            for raw in domain {
                do {
                    let normalised = try AddressNormalizer.domain(raw)
                    if !domains.contains(normalised) { domains.append(normalised) }
                } catch {
                    throw CLIError(TernExit.usage, "--domain \(raw): \(error)")
                }
            }
            var stderr = StandardError()
            let loader = PresetLoader()
            for name in [from, to] {
                do {
                    _ = try await loader.load(name, context: .example)
                } catch {
                    print("tern: warning: \(error); the project records the name anyway", to: &stderr)
                }
            }
            let project: MigrationProject
            do {
                project = try MigrationProject.create(at: directory,
                    config: ProjectConfig(from: from, to: to, domains: domains))
            } catch {
                throw CLIError(TernExit.badInput, "\(error)")
            }
            print("Created migration project \(project.directory)")
            print("  config   \(project.configPath)  (\(from) → \(to); \(domains.joined(separator: ", ")))")
            print("  state    \(project.statePath)")
            print("  scripts  \(project.scriptsDirectory)/")
            print("  logs     \(project.logDirectory)/")
            print("  reports  \(project.reportsDirectory)/")
            print("Next: tern inventory import FILE --format FORMAT (inside the folder, or with --project).")
        }
    }
}
