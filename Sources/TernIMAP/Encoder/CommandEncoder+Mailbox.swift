extension CommandEncoder {
    /// Commands that name mailboxes or messages.
    static func writeMailboxCommand(_ command: Command, to writer: inout CommandWriter) throws(IMAPProtocolError) {
        switch command {
        case .list(let reference, let pattern, let selectOptions, let returnOptions):
            try writeList(reference, pattern, selectOptions, returnOptions, to: &writer)
        case .lsub(let reference, let pattern):
            writer.text("LSUB ")
            try reference.write(to: &writer)
            writer.space()
            try pattern.write(to: &writer, pattern: true)
        case .status(let mailbox, let attributes):
            // status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
            writer.text("STATUS ")
            try mailbox.write(to: &writer)
            writer.text(" (" + attributes.map(\.rawValue).joined(separator: " ") + ")")
        case .select(let mailbox, let condStore, let qResync):
            try writeSelect("SELECT", mailbox, condStore, qResync, to: &writer)
        case .examine(let mailbox, let condStore, let qResync):
            try writeSelect("EXAMINE", mailbox, condStore, qResync, to: &writer)
        case .create(let mailbox, let specialUse):
            // create = "CREATE" SP mailbox [create-params]; RFC 6154: "USE" SP "(" use-attr ")"
            writer.text("CREATE ")
            try mailbox.write(to: &writer)
            if !specialUse.isEmpty {
                writer.text(" (USE (" + specialUse.map(\.description).joined(separator: " ") + "))")
            }
        case .delete(let mailbox):
            writer.text("DELETE ")
            try mailbox.write(to: &writer)
        case .rename(let from, let to):
            writer.text("RENAME ")
            try from.write(to: &writer)
            writer.space()
            try to.write(to: &writer)
        case .subscribe(let mailbox):
            writer.text("SUBSCRIBE ")
            try mailbox.write(to: &writer)
        case .unsubscribe(let mailbox):
            writer.text("UNSUBSCRIBE ")
            try mailbox.write(to: &writer)
        case .getQuotaRoot(let mailbox):
            writer.text("GETQUOTAROOT ")
            try mailbox.write(to: &writer)
        case .getQuota(let root):
            writer.text("GETQUOTA ")
            try writer.astring(Array(root.utf8))
        case .append(let mailbox, let messages):
            try writeAppend(mailbox, messages, to: &writer)
        default:
            try writeMessageCommand(command, to: &writer)
        }
    }

    /// `list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]`
    /// (RFC 5258 §6; RFC 5819 `STATUS (…)` return option).
    private static func writeList(
        _ reference: MailboxName, _ pattern: MailboxName, _ selectOptions: [ListSelectOption],
        _ returnOptions: [ListReturnOption], to writer: inout CommandWriter
    ) throws(IMAPProtocolError) {
        writer.text("LIST ")
        if !selectOptions.isEmpty {
            writer.text("(" + selectOptions.map(\.rawValue).joined(separator: " ") + ") ")
        }
        try reference.write(to: &writer)
        writer.space()
        try pattern.write(to: &writer, pattern: true)
        guard !returnOptions.isEmpty else { return }
        let options = returnOptions.map { option -> String in
            switch option {
            case .subscribed: "SUBSCRIBED"
            case .children: "CHILDREN"
            case .specialUse: "SPECIAL-USE"
            case .status(let attributes): "STATUS (" + attributes.map(\.rawValue).joined(separator: " ") + ")"
            }
        }
        writer.text(" RETURN (" + options.joined(separator: " ") + ")")
    }

    /// `select = "SELECT" SP mailbox [select-params]`
    /// `select-param = "CONDSTORE" / "QRESYNC" SP "(" uidvalidity SP mod-sequence-value
    ///                 [SP known-uids] ")"` (RFC 7162 §3.2.5)
    private static func writeSelect(
        _ verb: String, _ mailbox: MailboxName, _ condStore: Bool, _ qResync: QResyncParameters?,
        to writer: inout CommandWriter
    ) throws(IMAPProtocolError) {
        writer.text(verb + " ")
        try mailbox.write(to: &writer)
        if let qResync {
            writer.text(" (QRESYNC (\(qResync.uidValidity) \(qResync.modSeq)")
            if let known = qResync.knownUIDs {
                writer.space()
                try known.write(to: &writer)
            }
            writer.text("))")
        } else if condStore {
            writer.text(" (CONDSTORE)")
        }
    }

    /// `append = "APPEND" SP mailbox 1*append-message` (RFC 3502 MULTIAPPEND)
    /// `append-message = [SP flag-list] [SP date-time] SP literal`
    private static func writeAppend(
        _ mailbox: MailboxName, _ messages: [AppendMessage], to writer: inout CommandWriter
    ) throws(IMAPProtocolError) {
        guard !messages.isEmpty else { throw IMAPProtocolError(.unencodable, "APPEND without a message") }
        writer.text("APPEND ")
        try mailbox.write(to: &writer)
        for message in messages {
            let flags = message.flags.filter { $0 != .recent && $0 != .wildcard }
            if !flags.isEmpty {
                writer.space()
                try Flag.writeList(flags, to: &writer)
            }
            if let date = message.internalDate {
                writer.text(" \"\(date.description)\"")
            }
            writer.space()
            writer.messageLiteral(message.bytes)
        }
    }
}
