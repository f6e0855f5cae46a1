extension ByteReader {
    /// `mailbox = "INBOX" / astring`
    mutating func parseMailboxName() throws(IMAPProtocolError) -> MailboxName {
        MailboxName(bytes: Array(try readAString()))
    }

    /// `mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
    ///                 [SP mbox-list-extended]`
    /// `mbox-list-extended = "(" [mbox-list-extended-item *(SP mbox-list-extended-item)] ")"`
    mutating func parseMailboxList() throws(IMAPProtocolError) -> ListEntry {
        let attributes = try readList { (reader: inout ByteReader) throws(IMAPProtocolError) in
            MailboxAttribute(try reader.readAtom())
        }
        try expectSpace()
        let separator: Character?
        if consumeKeyword("NIL") {
            separator = nil
        } else {
            let quoted = try readString()
            guard let text = String(validating: quoted, as: UTF8.self), text.count == 1 else {
                throw error(.syntax, "hierarchy separator must be one character")
            }
            separator = text.first
        }
        try expectSpace()
        let name = try parseMailboxName()
        var extended: [ListExtendedItem] = []
        skipSpaces()
        if peek() == UInt8(ascii: "(") {
            // mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
            try expect(UInt8(ascii: "("))
            try enterNesting()
            skipSpaces()
            while !consume(UInt8(ascii: ")")) {
                let tag = try readAStringText()
                try expectSpace()
                extended.append(ListExtendedItem(tag: tag, value: try parseTaggedExtensionValue()))
                try checkCount(extended.count)
                skipSpaces()
            }
            depth -= 1
        }
        return ListEntry(attributes: attributes, separator: separator, name: name, extendedItems: extended)
    }

    /// `tagged-ext-val = tagged-ext-simple / "(" [tagged-ext-comp] ")"` (RFC 4466 §2.1),
    /// read liberally as nested lists of atoms, strings and NIL.
    mutating func parseTaggedExtensionValue() throws(IMAPProtocolError) -> TaggedExtensionValue {
        switch peek() {
        case UInt8(ascii: "("):
            return .list(try readList { (reader: inout ByteReader) throws(IMAPProtocolError) in
                try reader.parseTaggedExtensionValue()
            })
        case UInt8(ascii: "\""), UInt8(ascii: "{"):
            return .string(Array(try readString()))
        case UInt8(ascii: "~") where peek(1) == UInt8(ascii: "{"):
            return .string(Array(try readString()))
        default:
            if consumeKeyword("NIL") { return .nil }
            return .atom(try readAtom())
        }
    }

    /// `mailbox-data =/ "STATUS" SP mailbox SP "(" [status-att-list] ")"`
    /// `status-att-list = status-att-val *(SP status-att-val)`
    /// Unknown items and non-numeric values (`APPENDLIMIT NIL`, `MAILBOXID (…)`) are skipped.
    mutating func parseStatus() throws(IMAPProtocolError) -> (MailboxName, [StatusAttribute: Int64]) {
        let mailbox = try parseMailboxName()
        skipSpaces()
        var items: [StatusAttribute: Int64] = [:]
        try expect(UInt8(ascii: "("))
        try enterNesting()
        skipSpaces()
        while !consume(UInt8(ascii: ")")) {
            let name = try readAtom().uppercased()
            try expectSpace()
            if let attribute = StatusAttribute(rawValue: name), let byte = peek(), (0x30...0x39).contains(byte) {
                items[attribute] = Int64(try readNumber64())
            } else {
                try skipValue()
            }
            try checkCount(items.count)
            skipSpaces()
        }
        depth -= 1
        return (mailbox, items)
    }

    /// `namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace`
    /// `namespace = nil / "(" 1*namespace-descr ")"`
    mutating func parseNamespace() throws(IMAPProtocolError) -> NamespaceResponse {
        try expectSpace()
        let personal = try parseNamespaceGroup()
        try expectSpace()
        let other = try parseNamespaceGroup()
        try expectSpace()
        let shared = try parseNamespaceGroup()
        return NamespaceResponse(personal: personal, otherUsers: other, shared: shared)
    }

    private mutating func parseNamespaceGroup() throws(IMAPProtocolError) -> [NamespaceDescription] {
        if consumeKeyword("NIL") { return [] }
        return try readList { (reader: inout ByteReader) throws(IMAPProtocolError) in
            try reader.parseNamespaceDescription()
        }
    }

    /// `namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil)
    ///                    [namespace-response-extensions] ")"`
    /// `namespace-response-extension = SP string SP "(" string *(SP string) ")"`
    private mutating func parseNamespaceDescription() throws(IMAPProtocolError) -> NamespaceDescription {
        try expect(UInt8(ascii: "("))
        try enterNesting()
        defer { depth -= 1 }
        skipSpaces()
        let prefix = try readAStringText()
        try expectSpace()
        var delimiter: Character?
        if !consumeKeyword("NIL") {
            delimiter = try readStringText().first
        }
        var extensions: [NamespaceExtension] = []
        skipSpaces()
        while !consume(UInt8(ascii: ")")) {
            let name = try readAStringText()
            try expectSpace()
            let values = try readList { (reader: inout ByteReader) throws(IMAPProtocolError) in
                try reader.readAStringText()
            }
            extensions.append(NamespaceExtension(name: name, values: values))
            try checkCount(extensions.count)
            skipSpaces()
        }
        return NamespaceDescription(prefix: prefix, delimiter: delimiter, extensions: extensions)
    }

    /// `quota-response = "QUOTA" SP quota-root-name SP quota-list`
    /// `quota-list = "(" [quota-resource *(SP quota-resource)] ")"`
    /// `quota-resource = resource-name SP resource-usage SP resource-limit`
    /// Courier-IMAP without a quota sends the root alone (`* QUOTA "ROOT"`): no resources.
    mutating func parseQuota() throws(IMAPProtocolError) -> (String, [QuotaResource]) {
        let root = try readAStringText()
        skipSpaces()
        if atLineEnd { return (root, []) }
        let resources = try readList { (reader: inout ByteReader) throws(IMAPProtocolError) -> QuotaResource in
            let name = try reader.readAtom().uppercased()
            try reader.expectSpace()
            let usage = try reader.readNumber64()
            try reader.expectSpace()
            let limit = try reader.readNumber64()
            return QuotaResource(name: name, usage: Int64(usage), limit: Int64(limit))
        }
        return (root, resources)
    }

    /// `quotaroot-response = "QUOTAROOT" SP mailbox *(SP quota-root-name)`
    mutating func parseQuotaRoot() throws(IMAPProtocolError) -> (MailboxName, [String]) {
        let mailbox = try parseMailboxName()
        var roots: [String] = []
        while peek() == 0x20 {
            skipSpaces()
            guard !atLineEnd else { break }
            roots.append(try readAStringText())
            try checkCount(roots.count)
        }
        return (mailbox, roots)
    }

    /// `id-response = "ID" SP id-params-list`
    /// `id-params-list = "(" *(string SP nstring) ")" / nil`
    mutating func parseID() throws(IMAPProtocolError) -> [IDField] {
        if consumeKeyword("NIL") { return [] }
        return try readList { (reader: inout ByteReader) throws(IMAPProtocolError) -> IDField in
            let key = try reader.readAStringText()
            try reader.expectSpace()
            let value = try reader.readNString().map { String(decoding: $0, as: UTF8.self) }
            return IDField(key, value)
        }
    }
}
