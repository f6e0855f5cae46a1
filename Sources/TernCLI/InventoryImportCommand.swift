import ArgumentParser
import Foundation
import TernMigration

/// `tern inventory import FILE --format F`.
struct InventoryImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read mailboxes and routing objects from a file into the project's inventory.",
        discussion: """
            Formats:
              mailbox-csv  the batch CSV (source_user,source_pass,dest_user,dest_pass or header-named); \
            passwords are dropped
              csv          typed CSV: type,address,targets,display_name,destination,size,keep_copy,action,notes
              postfix      a Postfix virtual(5) alias table
              cpanel       a cPanel /etc/valiases/DOMAIN file (* catch-all, :fail:, :blackhole:)
              dovecot      a Dovecot passwd-file
              m365         a Microsoft 365 Get-Recipient export (EmailAddresses smtp: proxies become aliases)
              google       a Google Workspace user or group export (Admin console or GAM)

            Addresses are normalised (domains lower-cased, IDN to Punycode); the same object \
            imported twice is merged with a warning. Bad rows are reported as file:line: reason \
            and left out; the rest is imported.

            Exit codes: 0 imported, 2 imported but some rows were bad, 20 unreadable file or nothing usable.
            """)

    @Argument(help: "The file to import.")
    var file: String

    @Option(help: "The file's format.")
    var format: InventoryFormat

    @Option(help: "Domain for bare user names and cPanel's * (default: the file name for cpanel, else the project's first domain).")
    var domain: String?

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            var defaultDomain: String?
            if let domain {
                do {
                    defaultDomain = try AddressNormalizer.domain(domain)
                } catch {
                    throw CLIError(TernExit.usage, "--domain \(domain): \(error)")
                }
            }
            let result: ImportResult
            do {
                result = try await project.importInventory(file, format: format, defaultDomain: defaultDomain)
            } catch let error as InventoryImportError {
                throw CLIError(TernExit.badInput, error.message)
            }
            var stderr = StandardError()
            for problem in result.problems { print("tern: bad row: \(problem)", to: &stderr) }
            for warning in result.warnings { print("tern: warning: \(warning)", to: &stderr) }
            if result.objects.isEmpty && !result.problems.isEmpty {
                throw CLIError(TernExit.badInput, "\(file) holds nothing usable (\(result.problems.count) bad rows)")
            }
            let counts = InventoryObject.Kind.allCases.compactMap { kind -> String? in
                let count = result.objects.filter { $0.kind == kind }.count
                return count == 0 ? nil : "\(count) \(kind.rawValue)"
            }
            print("Imported \(result.objects.count) objects from \(file)"
                + (counts.isEmpty ? "" : ": " + counts.joined(separator: ", ")))
            if !result.problems.isEmpty {
                print("\(result.problems.count) bad rows left out (listed on standard error)")
                throw TernExit.partial
            }
        }
    }
}
