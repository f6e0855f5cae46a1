/// What went wrong, in one vocabulary: set where a failure is classified (the IMAP store's
/// classifier, the sync engine, the scripts host) and carried unchanged to the failure ledger,
/// events, `--json`, reports and logs. The raw values are what those show.
///
/// `exitStatus` is the one place a category becomes an exit code (docs/cli.md lists them).
public enum FailureCategory: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The link: name resolution, TCP connect, a dropped connection, a time-out, BYE.
    case connection
    /// The server asked us to slow down ([UNAVAILABLE], [THROTTLED], "Suggested Backoff Time").
    case throttled
    /// TLS: certificate or host name not verified, handshake refused, STARTTLS missing, or a
    /// refusal to send credentials unencrypted.
    case tls
    /// The server refused the credentials, offers no usable mechanism, or an admin login did
    /// not open the user's session.
    case auth
    /// The server sent something that is not valid IMAP (or DNS, ManageSieve).
    case `protocol`
    /// The destination account is full ([OVERQUOTA]).
    case overQuota = "over-quota"
    /// One message over the destination's size limit ([TOOBIG], APPENDLIMIT).
    case tooBig = "too-big"
    /// The destination refused one message, in its own words.
    case rejected
    /// The source could not deliver a message (a FETCH answered NO).
    case sourceUnreadable = "source-unreadable"
    /// A folder could not be opened or created.
    case folder
    /// The destination folder holds as many keywords as it can (Cyrus: 100).
    case keywordLimit = "keyword-limit"
    /// The source listed one UID for several messages.
    case duplicateUID = "duplicate-uid"
    /// The link was cut every time one message travelled alone.
    case linkCut = "link-cut"
    /// A message filter (Lua `filter_message`) failed on a message.
    case filterError = "filter-error"
    /// A hook (Lua `on_event`) asked to stop the run (`tern.fatal`).
    case hookError = "hook-error"
    /// A preset, folder rule or other script failed to load or run.
    case script
    /// Local input Tern cannot use: a password or token file, a CSV row, an inventory.
    case badInput = "bad-input"
    /// The state database cannot be opened or written.
    case state
    /// Wrong or contradictory options.
    case usage
    /// More messages failed than `--max-errors` allows.
    case maxErrors = "max-errors"
    /// Another run holds the mailbox.
    case busy
    /// The Gmail view of a source could not be built (labels unreadable).
    case gmail
    /// Verification found missing, extra, altered or flag-differing messages.
    case mismatch
    /// Anything else; the message says what happened.
    case other

    /// The name the ledger, events and logs show (`too-big`, not `tooBig`).
    public var description: String { rawValue }

    /// The exit status a run that ended in this failure has (`tern`'s table, docs/cli.md).
    public var exitStatus: Int32 {
        switch self {
        case .connection, .throttled: ExitStatus.connectFailed
        case .tls: ExitStatus.tlsFailed
        case .auth: ExitStatus.authFailed
        case .protocol: ExitStatus.protocolError
        case .badInput, .script, .state: ExitStatus.badInput
        case .usage: ExitStatus.usage
        case .mismatch: ExitStatus.mismatch
        // What one message or one folder suffers leaves the rest done: a partial run.
        case .tooBig, .rejected, .sourceUnreadable, .folder, .keywordLimit, .duplicateUID, .linkCut, .filterError:
            ExitStatus.partial
        case .overQuota, .maxErrors, .busy, .gmail, .hookError, .other: ExitStatus.failure
        }
    }
}

/// Every exit status `tern` uses (docs/cli.md). 64 is also what swift-argument-parser uses.
public enum ExitStatus {
    /// Everything asked for was done and checked.
    public static let success: Int32 = 0
    /// A failure that fits no narrower code below (the message says what happened).
    public static let failure: Int32 = 1
    /// The job ran, but some messages, folders or mailboxes failed (the summary and the
    /// failure ledger say which).
    public static let partial: Int32 = 2
    /// Verification found missing, extra or differing messages.
    public static let mismatch: Int32 = 3
    /// Could not reach the server, or the link failed: name resolution, connect, time-out.
    public static let connectFailed: Int32 = 10
    /// TLS failed: certificate or host name not verified, handshake refused, STARTTLS missing.
    public static let tlsFailed: Int32 = 11
    /// The server refused the credentials, or no allowed authentication method is offered.
    public static let authFailed: Int32 = 12
    /// The server sent something that is not valid IMAP/DNS/ManageSieve.
    public static let protocolError: Int32 = 13
    /// Bad local input: unreadable password/token file, failed token command, broken preset or
    /// script, bad CSV, unusable state database.
    public static let badInput: Int32 = 20
    /// Wrong or contradictory options.
    public static let usage: Int32 = 64
}
