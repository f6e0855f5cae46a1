extension ResponseCode {
    /// The code's atom as servers write it (`AUTHENTICATIONFAILED`, `OVERQUOTA` …), for messages.
    public var name: String {
        switch self {
        case .alert: "ALERT"
        case .parse: "PARSE"
        case .readOnly: "READ-ONLY"
        case .readWrite: "READ-WRITE"
        case .tryCreate: "TRYCREATE"
        case .uidNext: "UIDNEXT"
        case .uidValidity: "UIDVALIDITY"
        case .unseen: "UNSEEN"
        case .permanentFlags: "PERMANENTFLAGS"
        case .capability: "CAPABILITY"
        case .highestModSeq: "HIGHESTMODSEQ"
        case .noModSeq: "NOMODSEQ"
        case .appendUID: "APPENDUID"
        case .copyUID: "COPYUID"
        case .overQuota: "OVERQUOTA"
        case .limit: "LIMIT"
        case .unavailable: "UNAVAILABLE"
        case .authenticationFailed: "AUTHENTICATIONFAILED"
        case .authorizationFailed: "AUTHORIZATIONFAILED"
        case .expired: "EXPIRED"
        case .privacyRequired: "PRIVACYREQUIRED"
        case .contactAdmin: "CONTACTADMIN"
        case .noPerm: "NOPERM"
        case .inUse: "INUSE"
        case .expungeIssued: "EXPUNGEISSUED"
        case .corruption: "CORRUPTION"
        case .serverBug: "SERVERBUG"
        case .clientBug: "CLIENTBUG"
        case .cannot: "CANNOT"
        case .alreadyExists: "ALREADYEXISTS"
        case .nonExistent: "NONEXISTENT"
        case .closed: "CLOSED"
        case .badCharset: "BADCHARSET"
        case .tooBig: "TOOBIG"
        case .modified: "MODIFIED"
        case .throttled: "THROTTLED"
        case .other(let name, _): name.uppercased()
        }
    }
}
