import Foundation
import TernCore
import TernTLS

extension IMAPConnection {
    /// Logs in (RFC 9051 §6.2): LOGIN, SASL PLAIN (with SASL-IR when offered), XOAUTH2 or
    /// OAUTHBEARER, optionally as an admin acting for `user`.
    ///
    /// Refuses to send any credential over an unencrypted link unless the configuration
    /// allows it by name. On success the capability list is refreshed, since servers often
    /// announce more after login, and COMPRESS=DEFLATE is turned on when offered and allowed
    /// (`startCompression`).
    @discardableResult
    public func authenticate(_ credentials: Credentials) async throws(IMAPError) -> Credentials.Mechanism? {
        guard !isAuthenticated else { return nil }
        if case .plaintext = security, !configuration.allowPlaintextAuthentication {
            throw IMAPError(.plaintextRefused,
                "refusing to send credentials to \(configuration.label) over an unencrypted connection; "
                    + "use --tls implicit or --tls starttls, or add --allow-plaintext-login if you accept the risk")
        }
        let mechanism = try chooseMechanism(for: credentials)
        let secret = try await resolveSecret(credentials, mechanism: mechanism)
        let who = credentials.admin.map { "\(credentials.user) (through \($0))" } ?? credentials.user
        let result: CommandResult
        switch mechanism {
        case .login:
            var name = credentials.user
            if let admin = credentials.admin {
                let separator = if case .separator(let text) = credentials.adminStyle { text } else { "*" }
                name = credentials.user + separator + admin
            }
            result = try await execute(.login(user: name, password: secret))
        case .plain:
            let (authorization, authentication) = credentials.admin.map { (credentials.user, $0) }
                ?? ("", credentials.user)
            let message = "\(authorization)\u{0}\(authentication)\u{0}\(secret.revealed)"
            result = try await sasl("PLAIN", initial: Secret(message), onChallenge: nil)
        case .xoauth2:
            let message = "user=\(credentials.user)\u{1}auth=Bearer \(secret.revealed)\u{1}\u{1}"
            // On failure the server sends a JSON challenge; an empty response ends the exchange.
            result = try await sasl("XOAUTH2", initial: Secret(message), onChallenge: [])
        case .oauthbearer:
            let message = "n,a=\(credentials.user),\u{1}host=\(configuration.host)\u{1}port=\(configuration.port)"
                + "\u{1}auth=Bearer \(secret.revealed)\u{1}\u{1}"
            // RFC 7628 §3.2.3: the client answers an error challenge with a single %x01.
            result = try await sasl("OAUTHBEARER", initial: Secret(message), onChallenge: [1])
        }
        guard result.isOK else {
            let code = result.state.code.map { "[\($0.name)] " } ?? ""
            let text = result.state.text.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            throw IMAPError(.authenticationFailed,
                "\(configuration.label) refused the login for \(who) with \(mechanism.rawValue.uppercased()): "
                    + "\(code)\(text). Check the user name, the password or token"
                    + (credentials.admin == nil ? "" : ", and that the admin user may act for others"),
                responseCode: result.state.code, serverText: result.state.text, command: mechanism.rawValue)
        }
        markAuthenticated()
        if case .capability(let list) = result.state.code {
            replaceCapabilities(list)
        } else {
            try await refreshCapabilities()
        }
        try await startCompression()
        return mechanism
    }

    private func chooseMechanism(for credentials: Credentials) throws(IMAPError) -> Credentials.Mechanism {
        let offered = Set(Array(capabilities).saslMechanisms)
        let wanted: Credentials.Mechanism
        if let explicit = credentials.mechanism {
            wanted = explicit
        } else if case .token = credentials.secret {
            wanted = offered.contains("OAUTHBEARER") ? .oauthbearer : .xoauth2
        } else if credentials.admin != nil, credentials.adminStyle != .authorizationIdentity {
            wanted = .login
        } else {
            wanted = offered.contains("PLAIN") ? .plain : .login
        }
        switch wanted {
        case .login:
            if capabilities.contains(.loginDisabled) {
                throw IMAPError(.unsupported,
                    "\(configuration.label) has disabled LOGIN (LOGINDISABLED); use --auth plain over TLS")
            }
        case .plain, .xoauth2, .oauthbearer:
            let name = wanted.rawValue.uppercased()
            if !offered.contains(name) {
                throw IMAPError(.unsupported,
                    "\(configuration.label) does not offer AUTH=\(name); it offers "
                        + (offered.isEmpty ? "no SASL mechanism" : offered.sorted().joined(separator: ", "))
                        + ". Choose another with --auth")
            }
        }
        return wanted
    }

    private func resolveSecret(_ credentials: Credentials, mechanism: Credentials.Mechanism) async throws(IMAPError) -> Secret {
        switch credentials.secret {
        case .password(let password):
            if mechanism.usesToken {
                throw IMAPError(.credentialSource,
                    "\(mechanism.rawValue.uppercased()) needs an OAuth token: give --token-file or --token-command")
            }
            return password
        case .token(let source):
            if !mechanism.usesToken {
                throw IMAPError(.credentialSource,
                    "an OAuth token was given but --auth is \(mechanism.rawValue); use --auth xoauth2 or oauthbearer")
            }
            return try await source.fetch()
        }
    }

    /// One SASL exchange. `onChallenge` is what to answer a server challenge with (nil: any
    /// challenge is a protocol error); without SASL-IR the initial response answers the first.
    private func sasl(_ mechanism: String, initial: Secret, onChallenge: [UInt8]?) async throws(IMAPError) -> CommandResult {
        let inline = capabilities.contains(.saslIR)
        var initialPending = !inline
        let label = configuration.label
        return try await exchange(.authenticate(mechanism: mechanism, initialResponse: inline ? initial : nil)) {
            _ throws(IMAPError) -> [UInt8] in
            if initialPending {
                initialPending = false
                return Array(Base64.encode(Array(initial.revealed.utf8)).utf8)
            }
            guard let answer = onChallenge else {
                throw IMAPError(.protocolViolation, "\(label) sent an unexpected \(mechanism) challenge")
            }
            return Array(Base64.encode(answer).utf8)
        }
    }
}
