/// The NAMESPACE reply (RFC 2342 §5, RFC 9051 §7.3.2): personal, other users' and shared
/// namespaces, each a list of prefix + hierarchy delimiter (+ extension data).
///
/// `namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace`
public struct NamespaceResponse: Sendable, Equatable {
    public var personal: [NamespaceDescription]
    public var otherUsers: [NamespaceDescription]
    public var shared: [NamespaceDescription]

    public init(
        personal: [NamespaceDescription] = [], otherUsers: [NamespaceDescription] = [],
        shared: [NamespaceDescription] = []
    ) {
        self.personal = personal
        self.otherUsers = otherUsers
        self.shared = shared
    }
}

/// One namespace: `"(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) [namespace-response-extensions] ")"`.
public struct NamespaceDescription: Sendable, Equatable {
    /// The prefix in wire form (modified UTF-7 or UTF-8), e.g. `INBOX.` or `""`.
    public var prefix: String
    /// The hierarchy delimiter, nil for a flat namespace.
    public var delimiter: Character?
    /// Extension data (`SP string SP "(" string *(SP string) ")"`), e.g.
    /// `"TRANSLATION" ("Shared Folders")`, in server order.
    public var extensions: [NamespaceExtension]

    public init(prefix: String, delimiter: Character?, extensions: [NamespaceExtension] = []) {
        self.prefix = prefix
        self.delimiter = delimiter
        self.extensions = extensions
    }
}

/// `namespace-response-extension = SP string SP "(" string *(SP string) ")"` (RFC 2342).
public struct NamespaceExtension: Sendable, Equatable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}
