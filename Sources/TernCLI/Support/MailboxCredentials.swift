import TernIMAP
import TernMigration

/// How `inventory scan` (source side) and `plan capacity` (destination side) reach each
/// inventory mailbox: a row of a `--credentials` batch CSV, else the side's `--*1`/`--*2`
/// options (typically an admin login).
struct MailboxCredentials {
    enum Side {
        case source, destination

        var name: String { self == .source ? "source" : "destination" }
        var suffix: String { self == .source ? "1" : "2" }
    }

    let side: Side
    let spec: ServerSpec
    let loginAs: InventoryScanCommand.LoginName
    /// The `--credentials` file's rows by inventory address.
    let rows: [String: BatchFile.Row]
    let file: String?

    /// Reads the `--credentials` file (bad rows are reported, the rest kept), keyed by the
    /// source user as an inventory address (bare names take the project's first domain).
    init(side: Side, spec: ServerSpec, loginAs: InventoryScanCommand.LoginName, file: String?,
         domain: String?) throws {
        self.side = side
        self.spec = spec
        self.loginAs = loginAs
        self.file = file
        var rows: [String: BatchFile.Row] = [:]
        if let file {
            let batch: BatchFile
            do {
                batch = try BatchFile.read(file)
            } catch {
                throw CLIError(TernExit.badInput, "\(error)")
            }
            var stderr = StandardError()
            for problem in batch.problems { print("tern: bad row: \(problem)", to: &stderr) }
            for row in batch.rows { rows[Self.key(row.sourceUser, domain: domain)] = row }
        }
        self.rows = rows
    }

    static func key(_ user: String, domain: String?) -> String {
        let lower = user.lowercased()
        guard !lower.contains("@"), let domain else { return lower }
        return lower + "@" + domain
    }

    /// One mailbox's account on this side, resolved (preset applied, secret at hand), or why not.
    struct Account {
        var login: String
        var server: ResolvedServer?
        var credentials: Credentials?
        var problem: String?
    }

    /// The account for one mailbox; `address` is the login name on this side, `inventoryAddress`
    /// finds its CSV row. Problems become the account's `problem`, never a thrown error.
    func account(address: String, inventoryAddress: String) async -> Account {
        let row = rows[inventoryAddress]
        let rowUser = side == .source ? row?.sourceUser : row?.destinationUser
        let login = rowUser ?? (loginAs == .address ? address : String(address.prefix { $0 != "@" }))
        do {
            let resolved: ResolvedServer
            let password = side == .source ? row?.sourcePassword : row?.destinationPassword
            if let row, let rowUser {
                let overrides = side == .source ? row.source : row.destination
                resolved = try await BatchCommand.apply(overrides, to: spec).resolved(user: rowUser)
            } else {
                guard spec.passwordFile != nil || spec.passwordEnv != nil || spec.usesToken else {
                    let s = side.suffix
                    return Account(login: login, problem: file == nil
                        ? "no \(side.name) credentials: give --credentials FILE.csv, or --admin-user\(s) with --password-file\(s)"
                        : "not in \(file!) and no --password-file\(s)/--token-file\(s) for the others")
                }
                resolved = try await spec.resolved(user: login)
            }
            return Account(login: login, server: resolved, credentials: try resolved.credentials(password: password))
        } catch {
            return Account(login: login, problem: CLIError.from(error).message)
        }
    }

    /// The connection for one mailbox, as the scanner takes it.
    func target(address: String, inventoryAddress: String) async -> ScanTarget {
        let account = await account(address: address, inventoryAddress: inventoryAddress)
        guard let server = account.server, let credentials = account.credentials else {
            return ScanTarget(address: address, login: account.login, problem: account.problem ?? "no credentials")
        }
        return ScanTarget(address: address, login: account.login,
            configuration: server.connectionConfiguration(trace: nil, label: "\(side.name) \(server.key)"),
            credentials: credentials)
    }
}
