import TernCore

/// A client command (RFC 9051 §6 and the extensions Tern uses). Encode it with
/// ``CommandEncoder/encode(tag:command:options:)``.
///
/// Commands carrying credentials hold them as `Secret`, and ``EncodedCommand/redactedDescription``
/// never shows them.
public enum Command: Sendable, Equatable {
    case capability
    case noop
    case logout
    case startTLS
    case login(user: String, password: Secret)
    /// SASL (RFC 9051 §6.2.2). `initialResponse` is the raw (unencoded) client response, sent
    /// base64-encoded as SASL-IR (RFC 4959; empty → `=`); nil sends none.
    case authenticate(mechanism: String, initialResponse: Secret?)
    /// RFC 2971; an empty list sends `ID NIL`.
    case id([IDField])
    /// RFC 5161.
    case enable([String])
    case namespace
    /// LIST, with RFC 5258 selection options and RFC 5258 / 6154 / 5819 return options.
    case list(reference: MailboxName, pattern: MailboxName, selectOptions: [ListSelectOption] = [],
              returnOptions: [ListReturnOption] = [])
    case lsub(reference: MailboxName, pattern: MailboxName)
    case status(MailboxName, [StatusAttribute])
    case select(MailboxName, condStore: Bool = false, qResync: QResyncParameters? = nil)
    case examine(MailboxName, condStore: Bool = false, qResync: QResyncParameters? = nil)
    /// CREATE, with RFC 6154 `USE (\Sent …)` when `specialUse` is non-empty.
    case create(MailboxName, specialUse: [MailboxAttribute] = [])
    case delete(MailboxName)
    case rename(from: MailboxName, to: MailboxName)
    case subscribe(MailboxName)
    case unsubscribe(MailboxName)
    /// APPEND; more than one message is MULTIAPPEND (RFC 3502).
    case append(MailboxName, [AppendMessage])
    case fetch(SequenceSet, [FetchAttribute], changedSince: UInt64? = nil)
    /// UID FETCH with RFC 7162 `CHANGEDSINCE` and, with QRESYNC enabled, `VANISHED`.
    case uidFetch(UIDSet, [FetchAttribute], changedSince: UInt64? = nil, vanished: Bool = false)
    /// UID SEARCH with criteria in wire syntax (e.g. `ALL`, `MODSEQ 1234`, `UID 1:*`);
    /// `returnOptions` non-empty sends RFC 4731 `RETURN (…)`.
    case uidSearch(criteria: String, returnOptions: [String] = [])
    /// UID SORT (RFC 5256) with search criteria in wire syntax (e.g. `ALL`) in `charset`
    /// (every SORT server supports `US-ASCII` and `UTF-8`); `returnOptions` non-empty sends
    /// RFC 5267 ESORT `RETURN (…)`, answered by ESEARCH. With ESORT, `MIN` is the first message
    /// in sort order and `MAX` the last (RFC 5267).
    case uidSort([SortCriterion], charset: String = "UTF-8", criteria: String, returnOptions: [String] = [])
    case uidStore(UIDSet, StoreOperation, [Flag], silent: Bool = true, unchangedSince: UInt64? = nil)
    case store(SequenceSet, StoreOperation, [Flag], silent: Bool = true, unchangedSince: UInt64? = nil)
    /// RFC 4315.
    case uidExpunge(UIDSet)
    case uidCopy(UIDSet, MailboxName)
    /// RFC 6851.
    case uidMove(UIDSet, MailboxName)
    case expunge
    case close
    /// RFC 3691.
    case unselect
    case getQuotaRoot(MailboxName)
    case getQuota(String)
    /// RFC 4978, e.g. `compress("DEFLATE")`.
    case compress(String)
    case idle
    /// A command line sent as is after the tag and a space (no CRLF; it must not contain one).
    case raw(String)
}
