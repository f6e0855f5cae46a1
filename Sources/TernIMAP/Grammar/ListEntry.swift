/// One LIST or LSUB reply (RFC 9051 §7.3.1 `mailbox-list`, RFC 5258 §9 extended data).
///
/// `mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
///                 [SP mbox-list-extended]`
public struct ListEntry: Sendable, Equatable {
    public var attributes: [MailboxAttribute]
    /// The hierarchy separator, nil when the server sent `NIL` (flat namespace).
    public var separator: Character?
    public var name: MailboxName
    /// RFC 5258 extended items, e.g. `CHILDINFO ("SUBSCRIBED")`, `OLDNAME ("old")`.
    public var extendedItems: [ListExtendedItem]

    public init(
        attributes: [MailboxAttribute], separator: Character?, name: MailboxName,
        extendedItems: [ListExtendedItem] = []
    ) {
        self.attributes = attributes
        self.separator = separator
        self.name = name
        self.extendedItems = extendedItems
    }

    /// The first special-use attribute, if any.
    public var specialUse: MailboxAttribute? { attributes.first(where: \.isSpecialUse) }

    /// `OLDNAME` from RFC 5465 / RFC 9051, if the server reported a rename.
    public var oldName: MailboxName? {
        for item in extendedItems where item.tag.uppercased() == "OLDNAME" {
            if case .list(let values) = item.value, case .string(let bytes)? = values.first {
                return MailboxName(bytes: bytes)
            }
        }
        return nil
    }

    /// `CHILDINFO` values (RFC 5258 §4), upper-cased.
    public var childInfo: [String] {
        extendedItems.filter { $0.tag.uppercased() == "CHILDINFO" }.flatMap { item -> [String] in
            guard case .list(let values) = item.value else { return [] }
            return values.compactMap(\.stringValue).map { $0.uppercased() }
        }
    }
}

/// `mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val` (RFC 5258).
public struct ListExtendedItem: Sendable, Equatable {
    public var tag: String
    public var value: TaggedExtensionValue

    public init(tag: String, value: TaggedExtensionValue) {
        self.tag = tag
        self.value = value
    }
}
