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
    /// certificates checked as "localhost"; a side on a packaged server uses its port, CA and
    /// account), without the user and password options when `withUsers` is false (a batch
    /// file gives them).
    public func cliServerArguments(directory: URL, withUsers: Bool = true, destinationPassword: String? = nil)
        throws -> [String]
    {
        var arguments: [String] = []
        for (side, digit) in [(Side.source, "1"), (Side.destination, "2")] {
            let endpoint = endpoints[side]
            arguments += [
                "--host\(digit)", "127.0.0.1", "--port\(digit)", String(endpoint?.server.tlsPort ?? server(side).tlsPort),
                "--tls\(digit)", "implicit", "--ca-file\(digit)", endpoint?.server.ca ?? env.ca,
                "--tls-server-name\(digit)", endpoint?.server.tlsServerName ?? "localhost",
            ]
        }
        if withUsers {
            arguments += [
                "--user1", user(.source), "--password-file1", try passwordFile(in: directory, name: "\(user)-1.pw",
                    password: endpoints[.source]?.password),
                "--user2", user(.destination), "--password-file2", try passwordFile(in: directory,
                    name: "\(user)-2.pw", password: destinationPassword ?? endpoints[.destination]?.password),
            ]
        }
        return arguments
    }
}
