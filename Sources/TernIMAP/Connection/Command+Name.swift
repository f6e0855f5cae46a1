extension Command {
    /// The command's name as the server sees it (`UID FETCH`, `APPEND` …), for errors and logs.
    public var name: String {
        switch self {
        case .capability: "CAPABILITY"
        case .noop: "NOOP"
        case .logout: "LOGOUT"
        case .startTLS: "STARTTLS"
        case .login: "LOGIN"
        case .authenticate: "AUTHENTICATE"
        case .id: "ID"
        case .enable: "ENABLE"
        case .namespace: "NAMESPACE"
        case .list: "LIST"
        case .lsub: "LSUB"
        case .status: "STATUS"
        case .select: "SELECT"
        case .examine: "EXAMINE"
        case .create: "CREATE"
        case .delete: "DELETE"
        case .rename: "RENAME"
        case .subscribe: "SUBSCRIBE"
        case .unsubscribe: "UNSUBSCRIBE"
        case .append: "APPEND"
        case .fetch: "FETCH"
        case .uidFetch: "UID FETCH"
        case .uidSearch: "UID SEARCH"
        case .uidSort: "UID SORT"
        case .uidStore: "UID STORE"
        case .store: "STORE"
        case .uidExpunge: "UID EXPUNGE"
        case .uidCopy: "UID COPY"
        case .uidMove: "UID MOVE"
        case .expunge: "EXPUNGE"
        case .close: "CLOSE"
        case .unselect: "UNSELECT"
        case .getQuotaRoot: "GETQUOTAROOT"
        case .getQuota: "GETQUOTA"
        case .compress: "COMPRESS"
        case .idle: "IDLE"
        case .raw(let line): String(line.prefix { $0 != " " }).uppercased()
        }
    }
}
