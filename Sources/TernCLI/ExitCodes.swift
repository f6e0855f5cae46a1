import ArgumentParser

/// Every exit status `tern` uses, in one table (documented in docs/cli.md).
/// 64 (usage error) comes from swift-argument-parser itself.
public enum TernExit {
    /// Everything asked for was done and checked.
    public static let success = ExitCode(0)
    /// A failure that fits no narrower code below (message says what happened).
    public static let failure = ExitCode(1)
    /// The job ran, but some messages or mailboxes failed (see the summary and the failure ledger).
    public static let partial = ExitCode(2)
    /// Verification found missing, extra or differing messages.
    public static let mismatch = ExitCode(3)
    /// Could not reach the server: name resolution, TCP connect, or time-out.
    public static let connectFailed = ExitCode(10)
    /// TLS failed: certificate or host name not verified, handshake refused, STARTTLS missing.
    public static let tlsFailed = ExitCode(11)
    /// The server refused the credentials, or no allowed authentication method is offered.
    public static let authFailed = ExitCode(12)
    /// The server sent something that is not valid IMAP/DNS, or closed the link unexpectedly.
    public static let protocolError = ExitCode(13)
    /// Bad local input: unreadable password/token file, failed token command, broken preset or
    /// script, bad CSV, unusable state database.
    public static let badInput = ExitCode(20)
    /// Wrong or contradictory options (swift-argument-parser uses the same code).
    public static let usage = ExitCode(64)
}
