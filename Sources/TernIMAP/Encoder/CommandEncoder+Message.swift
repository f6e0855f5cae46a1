extension CommandEncoder {
    /// FETCH, SEARCH, SORT, STORE, EXPUNGE, COPY, MOVE (and their UID forms).
    static func writeMessageCommand(_ command: Command, to writer: inout CommandWriter) throws(IMAPProtocolError) {
        switch command {
        case .fetch(let set, let attributes, let changedSince):
            writer.text("FETCH ")
            try set.write(to: &writer)
            try writeFetchTail(attributes, changedSince, vanished: false, to: &writer)
        case .uidFetch(let set, let attributes, let changedSince, let vanished):
            writer.text("UID FETCH ")
            try set.write(to: &writer)
            try writeFetchTail(attributes, changedSince, vanished: vanished, to: &writer)
        case .uidSearch(let criteria, let returnOptions):
            // search = "SEARCH" [search-return-opts] SP search-program (criteria as given)
            guard !criteria.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw IMAPProtocolError(.unencodable, "search criteria contain CR, LF or NUL")
            }
            writer.text("UID SEARCH ")
            if !returnOptions.isEmpty {
                writer.text("RETURN (" + returnOptions.joined(separator: " ") + ") ")
            }
            writer.text(criteria)
        case .uidSort(let sortCriteria, let charset, let criteria, let returnOptions):
            try writeSort(sortCriteria, charset, criteria, returnOptions, to: &writer)
        case .uidStore(let set, let operation, let flags, let silent, let unchangedSince):
            writer.text("UID STORE ")
            try set.write(to: &writer)
            try writeStoreTail(operation, flags, silent, unchangedSince, to: &writer)
        case .store(let set, let operation, let flags, let silent, let unchangedSince):
            writer.text("STORE ")
            try set.write(to: &writer)
            try writeStoreTail(operation, flags, silent, unchangedSince, to: &writer)
        case .uidExpunge(let set):
            writer.text("UID EXPUNGE ")
            try set.write(to: &writer)
        case .uidCopy(let set, let mailbox):
            writer.text("UID COPY ")
            try set.write(to: &writer)
            writer.space()
            try mailbox.write(to: &writer)
        case .uidMove(let set, let mailbox):
            writer.text("UID MOVE ")
            try set.write(to: &writer)
            writer.space()
            try mailbox.write(to: &writer)
        default:
            throw IMAPProtocolError(.unencodable, "command not encodable")
        }
    }

    /// `fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
    ///          "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]`
    /// `fetch-modifier =/ chgsince-fetch-mod / "VANISHED"` (RFC 7162)
    private static func writeFetchTail(
        _ attributes: [FetchAttribute], _ changedSince: UInt64?, vanished: Bool, to writer: inout CommandWriter
    ) throws(IMAPProtocolError) {
        guard !attributes.isEmpty else { throw IMAPProtocolError(.unencodable, "FETCH without attributes") }
        for case .headerFields(let names) in attributes {
            for name in names { try requireAtom(name, "header field name") }
        }
        writer.text(" (" + attributes.map(\.wireText).joined(separator: " ") + ")")
        var modifiers: [String] = []
        if let changedSince { modifiers.append("CHANGEDSINCE \(changedSince)") }
        if vanished { modifiers.append("VANISHED") }
        if !modifiers.isEmpty { writer.text(" (" + modifiers.joined(separator: " ") + ")") }
    }

    /// `sort = ["UID" SP] "SORT" [search-return-opts] SP sort-criteria SP search-criteria`
    /// (RFC 5256 formal syntax, with RFC 5267 ESORT's `search-return-opts`);
    /// `search-criteria = charset 1*(SP search-key)` (criteria as given).
    private static func writeSort(
        _ sortCriteria: [SortCriterion], _ charset: String, _ criteria: String, _ returnOptions: [String],
        to writer: inout CommandWriter
    ) throws(IMAPProtocolError) {
        guard !sortCriteria.isEmpty else { throw IMAPProtocolError(.unencodable, "SORT without a sort criterion") }
        try requireAtom(charset, "charset")
        guard !criteria.isEmpty, !criteria.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
            throw IMAPProtocolError(.unencodable, "search criteria are empty or contain CR, LF or NUL")
        }
        writer.text("UID SORT ")
        if !returnOptions.isEmpty {
            for option in returnOptions { try requireAtom(option, "return option") }
            writer.text("RETURN (" + returnOptions.joined(separator: " ") + ") ")
        }
        writer.text(SortCriterion.wireText(sortCriteria) + " " + charset + " " + criteria)
    }

    /// `store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags`
    /// `store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))`
    /// `store-modifier =/ "UNCHANGEDSINCE" SP mod-sequence-valzer` (RFC 7162)
    private static func writeStoreTail(
        _ operation: StoreOperation, _ flags: [Flag], _ silent: Bool, _ unchangedSince: UInt64?,
        to writer: inout CommandWriter
    ) throws(IMAPProtocolError) {
        if let unchangedSince { writer.text(" (UNCHANGEDSINCE \(unchangedSince))") }
        writer.text(" " + operation.rawValue + (silent ? ".SILENT " : " "))
        try Flag.writeList(flags.filter { $0 != .recent && $0 != .wildcard }, to: &writer)
    }
}
