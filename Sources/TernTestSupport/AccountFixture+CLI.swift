import Foundation

extension AccountFixture {
    /// Writes a 0600 password file into `directory` and returns its path.
    public func passwordFile(in directory: URL, name: String, password: String? = nil) throws -> String {
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.createFile(atPath: path, contents: Data((password ?? self.password).utf8),
            attributes: [.posixPermissions: 0o600])
        else { throw TestEnvironmentError(message: "cannot write \(path)") }
        return path
    }

    /// `tern sync`/`verify` options for both sides of this account (IMAPS, the test CA,
    /// certificates checked as "localhost"), without the user and password options when
    /// `withUsers` is false (a batch file gives them).
    public func cliServerArguments(directory: URL, withUsers: Bool = true, destinationPassword: String? = nil)
        throws -> [String]
    {
        var arguments = [
            "--host1", "127.0.0.1", "--port1", String(env.source.tlsPort), "--tls1", "implicit",
            "--ca-file1", env.ca, "--tls-server-name1", "localhost",
            "--host2", "127.0.0.1", "--port2", String(env.destination.tlsPort), "--tls2", "implicit",
            "--ca-file2", env.ca, "--tls-server-name2", "localhost",
        ]
        if withUsers {
            arguments += [
                "--user1", user, "--password-file1", try passwordFile(in: directory, name: "\(user)-1.pw"),
                "--user2", user, "--password-file2", try passwordFile(in: directory, name: "\(user)-2.pw",
                    password: destinationPassword),
            ]
        }
        return arguments
    }
}
