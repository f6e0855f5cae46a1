import TernCore
import TernDNS
import TernIMAP
import TernIMAPStore

/// The checklist's live looks at the world — an IMAP login, the MX records every authoritative
/// nameserver serves — as use cases of the core, so any front end (the command, the cutover,
/// the dashboard) gathers the same evidence.
public enum ChecklistProbes {
    /// Logs in (and checks that an admin login opened the user's session); the evidence names
    /// the account, its state key and the link.
    public static func login(_ configuration: ConnectionConfiguration, credentials: Credentials, key: String)
        async -> ChecklistCheck
    {
        do {
            let connection = try await IMAPConnection.connect(configuration)
            do {
                _ = try await connection.authenticate(credentials)
                try await AdminSessionCheck.verify(connection, configuration: configuration, credentials: credentials,
                    label: configuration.host)
                await connection.logout()
            } catch {
                await connection.close()
                throw error
            }
            let link = configuration.security == .plain ? "unencrypted" : "TLS (\(configuration.security))"
            return ChecklistCheck(ok: true, evidence: "logged in as \(credentials.user) at \(key) over \(link)")
        } catch let error as IMAPError {
            return ChecklistCheck(ok: false, evidence: error.message)
        } catch let error as StoreError {
            return ChecklistCheck(ok: false, evidence: error.message)
        } catch {
            return ChecklistCheck(ok: false, evidence: "\(error)")
        }
    }

    /// The MX records of each domain as every authoritative nameserver serves them (one
    /// observation per domain and nameserver; a lookup that fails is an observation with its error).
    public static func mx(_ domains: [String], view: AuthoritativeView) async -> [MXObservation] {
        var observations: [MXObservation] = []
        for domain in domains {
            do {
                let name = try DNSName(domain)
                let nameservers = try await view.nameservers(of: name)
                if nameservers.isEmpty {
                    observations.append(MXObservation(domain: domain, nameserver: "-", values: [], ttl: nil,
                        error: "no authoritative nameservers found"))
                }
                for snapshot in await view.snapshots(of: name, nameservers: nameservers) {
                    observations.append(MXObservation(domain: domain, nameserver: snapshot.nameserver.name,
                        values: snapshot.mx?.values ?? [], ttl: snapshot.mx?.ttl, error: snapshot.error))
                }
            } catch {
                observations.append(MXObservation(domain: domain, nameserver: "-", values: [], ttl: nil, error: "\(error)"))
            }
        }
        return observations
    }
}
