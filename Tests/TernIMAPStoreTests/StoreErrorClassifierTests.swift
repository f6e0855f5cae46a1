import Testing
import TernCore
import TernIMAP
@testable import TernIMAPStore

/// IMAP wording → scope and retry class: the one place the sync engine's decisions come from.
@Suite struct StoreErrorClassifierTests {
    func classify(_ code: ResponseCode?, _ text: String = "x", scope: StoreError.Scope = .message) -> StoreError {
        StoreErrorClassifier.classify(ResponseState(status: .no, code: code, text: text), during: "append",
            label: "destination", scope: scope)
    }

    @Test func messageFailuresStayWithTheMessage() {
        #expect(classify(.tooBig).scope == .message)
        #expect(classify(.tooBig).category == .tooBig)
        #expect(classify(.limit).category == .tooBig)
        #expect(classify(nil).category == .rejected)
        #expect(classify(nil).retry == .never)
    }

    @Test func accountAndConnectionFailuresStopOrReconnect() {
        #expect(classify(.overQuota).scope == .mailbox)
        #expect(classify(.authenticationFailed).scope == .mailbox)
        #expect(classify(.unavailable).scope == .connection)
        #expect(classify(.throttled).retry == .later(seconds: nil))
        #expect(classify(.limit, scope: .folder).scope == .connection)
    }

    /// The words Cyrus 3.6 and Courier 5 really answer (neither sends `[ALREADYEXISTS]`).
    @Test func alreadyExistsIsToldByCodeOrWording() {
        let state = { (code: ResponseCode?, text: String) in ResponseState(status: .no, code: code, text: text) }
        #expect(StoreErrorClassifier.isAlreadyExists(state(.alreadyExists, "Mailbox exists")))
        #expect(StoreErrorClassifier.isAlreadyExists(state(nil, "Mailbox already exists")))  // Cyrus
        #expect(StoreErrorClassifier.isAlreadyExists(state(nil, "INBOX already exists!")))  // Courier
        #expect(!StoreErrorClassifier.isAlreadyExists(state(nil, "Invalid mailbox name")))
    }

    /// Cyrus: "NO Too many user flags in mailbox" to an APPEND or STORE bringing a 101st keyword.
    @Test func keywordLimitIsItsOwnCategory() {
        let append = classify(nil, "Too many user flags in mailbox")
        #expect(append.category == .keywordLimit && append.scope == .message)
        let store = classify(nil, "Too many user flags in mailbox", scope: .folder)
        #expect(store.category == .keywordLimit && store.scope == .folder)
    }

    @Test func microsoftBackoffHintsAreHonoured() {
        let error = classify(nil, "Request is throttled. Suggested Backoff Time: 292012 milliseconds")
        #expect(error.scope == .connection)
        #expect(error.retry == .later(seconds: 292.012))
        #expect(StoreErrorClassifier.backoffHint("Suggested Backoff Time: 30 seconds") == 30)
        #expect(StoreErrorClassifier.backoffHint("nothing here") == nil)
    }

    @Test func transportFailuresAreClassifiedByKind() {
        let tls = StoreErrorClassifier.classify(IMAPError(.transport(.certificateVerification), "bad cert"),
            during: "log in", label: "source")
        #expect(tls.scope == .mailbox && tls.category == .tls)
        let dropped = StoreErrorClassifier.classify(IMAPError(.connectionClosed, "gone"), during: "fetch", label: "source")
        #expect(dropped.scope == .connection)
        let auth = StoreErrorClassifier.classify(IMAPError(.authenticationFailed, "no"), during: "log in", label: "s")
        #expect(auth.category == .auth && auth.retry == .never)
    }
}
