extension ByteReader {
    /// `resp-text = ["[" resp-text-code "]" SP] [text]` — liberal: the space after `]` and the
    /// text may be missing, and a `[` that does not open a well-formed code is just text.
    /// Reads up to (not including) CRLF.
    mutating func parseResponseText() -> (ResponseCode?, String) {
        var code: ResponseCode?
        if peek() == UInt8(ascii: "[") {
            let start = index
            index += 1
            if let parsed = try? parseResponseCode() {
                code = parsed
                skipSpaces()
            } else {
                index = start
            }
        }
        return (code, readTextToLineEnd())
    }

    /// `resp-text-code = "ALERT" / "BADCHARSET" [SP "(" charset *(SP charset) ")"] /
    ///     capability-data / "PARSE" / "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" /
    ///     "READ-ONLY" / "READ-WRITE" / "TRYCREATE" / "UIDNEXT" SP nz-number /
    ///     "UIDVALIDITY" SP nz-number / "UNSEEN" SP nz-number / resp-code-apnd / resp-code-copy /
    ///     "UIDNOTSTICKY" / "HIGHESTMODSEQ" SP mod-sequence-value / "NOMODSEQ" /
    ///     "MODIFIED" SP sequence-set / RFC 5530 codes / atom [SP 1*<any TEXT-CHAR except "]">]`
    ///
    /// Called after `[`; consumes through `]`. A known code whose arguments do not parse falls
    /// back to ``ResponseCode/other(_:_:)`` with the raw text, so one odd server detail never
    /// makes a whole response unreadable.
    mutating func parseResponseCode() throws(IMAPProtocolError) -> ResponseCode {
        let start = index
        if let code = try? parseKnownResponseCode(), consume(UInt8(ascii: "]")) {
            return code
        }
        index = start
        let name = try readAtom(stopAtBracket: true).uppercased()
        var argument: String?
        if peek() == 0x20 {
            skipSpaces()
            let argumentStart = index
            while let byte = peek(), byte != UInt8(ascii: "]"), !atLineEnd { index += 1 }
            argument = String(decoding: bytes[argumentStart..<index], as: UTF8.self)
        }
        guard consume(UInt8(ascii: "]")) else { throw error(.syntax, "response code without closing \"]\"") }
        return .other(name, argument)
    }

    private mutating func parseKnownResponseCode() throws(IMAPProtocolError) -> ResponseCode {
        let name = try readAtom(stopAtBracket: true).uppercased()
        switch name {
        case "ALERT": return .alert
        case "PARSE": return .parse
        case "READ-ONLY": return .readOnly
        case "READ-WRITE": return .readWrite
        case "TRYCREATE": return .tryCreate
        case "UIDNEXT":
            try expectSpace()
            return .uidNext(try readNumber32())
        case "UIDVALIDITY":
            try expectSpace()
            return .uidValidity(try readNumber32())
        case "UNSEEN":
            try expectSpace()
            return .unseen(try readCount())
        case "PERMANENTFLAGS":
            skipSpaces()
            return .permanentFlags(try parseFlagList())
        case "CAPABILITY":
            return .capability(try parseCapabilityList(stopAtBracket: true))
        case "HIGHESTMODSEQ":
            try expectSpace()
            return .highestModSeq(try readNumber64())
        case "NOMODSEQ": return .noModSeq
        case "APPENDUID":
            // resp-code-apnd = "APPENDUID" SP nz-number SP append-uid
            try expectSpace()
            let validity = try readNumber32()
            try expectSpace()
            return .appendUID(uidValidity: validity, uids: try parseNumberSet())
        case "COPYUID":
            // resp-code-copy = "COPYUID" SP nz-number SP uid-set SP uid-set
            try expectSpace()
            let validity = try readNumber32()
            try expectSpace()
            let source: UIDSet = try parseNumberSet()
            try expectSpace()
            return .copyUID(uidValidity: validity, source: source, destination: try parseNumberSet())
        case "MODIFIED":
            try expectSpace()
            return .modified(try parseNumberSet())
        case "BADCHARSET":
            guard peek() == 0x20 else { return .badCharset([]) }
            skipSpaces()
            return .badCharset(try readList { (reader: inout ByteReader) throws(IMAPProtocolError) in
                try reader.readAStringText()
            })
        case "OVERQUOTA": return .overQuota
        case "LIMIT": return .limit
        case "UNAVAILABLE": return .unavailable
        case "AUTHENTICATIONFAILED": return .authenticationFailed
        case "AUTHORIZATIONFAILED": return .authorizationFailed
        case "EXPIRED": return .expired
        case "PRIVACYREQUIRED": return .privacyRequired
        case "CONTACTADMIN": return .contactAdmin
        case "NOPERM": return .noPerm
        case "INUSE": return .inUse
        case "EXPUNGEISSUED": return .expungeIssued
        case "CORRUPTION": return .corruption
        case "SERVERBUG": return .serverBug
        case "CLIENTBUG": return .clientBug
        case "CANNOT": return .cannot
        case "ALREADYEXISTS": return .alreadyExists
        case "NONEXISTENT": return .nonExistent
        case "CLOSED": return .closed
        case "TOOBIG": return .tooBig
        case "THROTTLED": return .throttled
        default: throw error(.syntax, "not a modelled response code")
        }
    }

    /// `capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev1" *(SP capability)`
    /// (liberal: any list of atoms, read after the keyword, up to CRLF or `]`).
    mutating func parseCapabilityList(stopAtBracket: Bool = false) throws(IMAPProtocolError) -> [Capability] {
        var capabilities: [Capability] = []
        while peek() == 0x20 {
            skipSpaces()
            guard let byte = peek(), Self.isAtomChar(byte), !(stopAtBracket && byte == UInt8(ascii: "]")) else {
                break
            }
            capabilities.append(Capability(try readAtom(stopAtBracket: stopAtBracket)))
            try checkCount(capabilities.count)
        }
        return capabilities
    }

    /// `flag-list = "(" [flag *(SP flag)] ")"`
    /// `flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword /
    ///         flag-extension`; also `flag-perm`'s `\*`. Liberal: any atom characters, `]`
    /// included, and quoted keywords some servers send.
    mutating func parseFlagList() throws(IMAPProtocolError) -> [Flag] {
        try readList { (reader: inout ByteReader) throws(IMAPProtocolError) in
            if reader.peek() == UInt8(ascii: "\"") {
                return Flag(try reader.readStringText())
            }
            return Flag(try reader.readAtom())
        }
    }
}
