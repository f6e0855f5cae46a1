import Foundation
import TernCore
import TernIMAP

/// Translates IMAP's failures into `StoreError` scope and retry class, once, here — so the
/// sync engine never reads server wording.
///
/// | what the server said | scope | retry |
/// |---|---|---|
/// | link lost, BYE, time-out, garbage | connection | later |
/// | `[UNAVAILABLE]`, `[THROTTLED]`, `[LIMIT]` on a session, "Suggested Backoff Time: N" | connection | later (hint) |
/// | login refused, TLS not verified, plaintext refused | mailbox | never |
/// | `[OVERQUOTA]` | mailbox | never |
/// | `[TOOBIG]`, `[LIMIT]` on APPEND | message | never |
/// | "Too many user flags in mailbox" (Cyrus's limit of keywords per folder) | message (APPEND), folder (STORE) | never, category `keyword-limit` |
/// | other NO/BAD to APPEND | message | never |
/// | `[TRYCREATE]`, `[NONEXISTENT]`, other NO to SELECT/CREATE/STATUS | folder | never |
public enum StoreErrorClassifier {
    /// The category of a protocol client's failure: the one mapping `probe`, `sync` and every
    /// other command share (so the same failure has the same exit code everywhere).
    public static func category(of code: IMAPError.Code) -> FailureCategory {
        switch code {
        case .transport(.certificateVerification), .transport(.tlsHandshake), .transport(.startTLSUnavailable),
             .plaintextRefused:
            .tls
        case .authenticationFailed, .unsupported:
            .auth
        case .credentialSource:
            .badInput
        case .protocolViolation:
            .protocol
        case .transport, .timeout, .connectionClosed:
            .connection
        case .commandFailed:
            .rejected
        }
    }

    static func classify(_ error: IMAPError, during purpose: String, label: String) -> StoreError {
        let message = "\(label): could not \(purpose): \(error.message)"
        let category = category(of: error.code)
        switch error.code {
        case .transport(.certificateVerification), .transport(.tlsHandshake), .transport(.startTLSUnavailable),
             .plaintextRefused, .transport(.nameResolution):
            return StoreError(scope: .mailbox, retry: .never, category: category, message: message)
        case .authenticationFailed, .unsupported, .credentialSource:
            return StoreError(scope: .mailbox, retry: .never, category: category, message: message,
                serverText: error.serverText)
        case .transport, .protocolViolation, .timeout, .connectionClosed:
            // Garbage from the server is worth one more session too; the category stays what it was.
            let hint = backoffHint(error.serverText ?? error.message)
            return StoreError(scope: .connection, retry: .later(seconds: hint), category: category,
                message: message, serverText: error.serverText)
        case .commandFailed:
            return StoreError(scope: .folder, retry: .never, category: .rejected, message: message,
                serverText: error.serverText)
        }
    }

    static func classify(_ state: ResponseState, during purpose: String, label: String, scope: StoreError.Scope)
        -> StoreError
    {
        let code = state.code.map { "[\($0.name)] " } ?? ""
        let message = "\(label): could not \(purpose): \(state.status.rawValue) \(code)\(state.text)"
        let hint = backoffHint(state.text)
        switch state.code {
        case .unavailable?, .throttled?:
            return StoreError(scope: .connection, retry: .later(seconds: hint), category: .throttled,
                message: message, serverText: state.text)
        case .overQuota?:
            return StoreError(scope: .mailbox, retry: .never, category: .overQuota, message: message,
                serverText: state.text)
        case .tooBig?:
            return StoreError(scope: .message, retry: .never, category: .tooBig, message: message,
                serverText: state.text)
        case .limit?:
            if scope == .message {
                return StoreError(scope: .message, retry: .never, category: .tooBig, message: message,
                    serverText: state.text)
            }
            return StoreError(scope: .connection, retry: .later(seconds: hint), category: .throttled,
                message: message, serverText: state.text)
        case .authenticationFailed?, .authorizationFailed?, .expired?:
            return StoreError(scope: .mailbox, retry: .never, category: .auth, message: message,
                serverText: state.text)
        default:
            if isKeywordLimit(state) {
                return StoreError(scope: scope, retry: .never, category: .keywordLimit, message: message,
                    serverText: state.text)
            }
            if hint != nil {
                return StoreError(scope: .connection, retry: .later(seconds: hint), category: .throttled,
                    message: message, serverText: state.text)
            }
            return StoreError(scope: scope, retry: .never, category: scope == .message ? .rejected : .folder,
                message: message, serverText: state.text)
        }
    }

    /// A CREATE refused because the folder is there: `[ALREADYEXISTS]` (RFC 5530) or the words
    /// of servers without the code — Cyrus "Mailbox already exists", Courier "INBOX already
    /// exists!". (Courier says only "Cannot create this folder." for other existing folders; the
    /// store finds those by LIST.)
    static func isAlreadyExists(_ state: ResponseState) -> Bool {
        state.code == .alreadyExists || state.text.range(of: "already exists", options: .caseInsensitive) != nil
    }

    /// The destination folder holds as many keywords as it can (Cyrus: 100 per folder, "NO Too
    /// many user flags in mailbox", no response code): a message bringing a new one is refused whole.
    static func isKeywordLimit(_ state: ResponseState) -> Bool {
        let text = state.text.lowercased()
        return text.contains("too many user flags") || text.contains("too many keywords")
    }

    /// Microsoft 365 says e.g. "Request is throttled. Suggested Backoff Time: 292012 milliseconds".
    static func backoffHint(_ text: String) -> Double? {
        guard let range = text.range(of: "Suggested Backoff Time:", options: .caseInsensitive) else { return nil }
        let rest = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
        let digits = rest.prefix { $0.isNumber }
        guard let value = Double(digits) else { return nil }
        return rest.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("milli")
            ? value / 1000 : value
    }
}
