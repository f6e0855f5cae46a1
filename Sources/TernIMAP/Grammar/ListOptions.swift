/// LIST selection options (RFC 5258 §3.1).
public enum ListSelectOption: String, Sendable, Equatable {
    case subscribed = "SUBSCRIBED"
    case remote = "REMOTE"
    case recursiveMatch = "RECURSIVEMATCH"
    case specialUse = "SPECIAL-USE"
}

/// LIST return options (RFC 5258 §3.2, RFC 6154, RFC 5819).
public enum ListReturnOption: Sendable, Equatable {
    case subscribed
    case children
    case specialUse
    case status([StatusAttribute])
}
