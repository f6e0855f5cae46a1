/// Turns one frame from ``ResponseFramer`` into a ``Response`` (RFC 9051 §7 and §9).
///
/// Liberal in what it accepts (lowercase keywords, doubled or trailing spaces, 8-bit bytes in
/// quoted strings and atoms, odd keyword atoms, unknown response codes and FETCH items),
/// strict about structure (balanced parentheses, exact literal lengths, CRLF at the end).
/// Unknown untagged responses come back as ``UntaggedResponse/other(name:raw:)``.
public enum ResponseParser {
    /// Longest `raw` text kept for an unknown untagged response.
    static let maxOtherRawLength = 64 * 1024

    /// Parses one complete response frame (its line(s), literals and final CRLF).
    public static func parse(_ frame: [UInt8], limits: IMAPLimits = .default) throws(IMAPProtocolError) -> Response {
        var reader = ByteReader(frame, limits: limits)
        return try reader.parseResponse()
    }
}

extension ByteReader {
    /// `response = *(continue-req / response-data) response-done` — one piece of it:
    /// `continue-req / response-data / response-tagged / response-fatal`.
    mutating func parseResponse() throws(IMAPProtocolError) -> Response {
        switch peek() {
        case UInt8(ascii: "+"):
            index += 1
            return .continuation(try parseContinuation())
        case UInt8(ascii: "*"):
            index += 1
            try expectSpace()
            return .untagged(try parseUntagged())
        case nil:
            throw error(.syntax, "empty response")
        default:
            return .tagged(try parseTagged())
        }
    }

    /// `continue-req = "+" [SP (resp-text / base64)] CRLF` (RFC 9051 allows the bare "+").
    mutating func parseContinuation() throws(IMAPProtocolError) -> ContinuationRequest {
        skipSpaces()
        let (code, text) = parseResponseText()
        try expectEnd()
        return ContinuationRequest(code: code, text: text)
    }

    /// `response-tagged = tag SP resp-cond-state CRLF`
    /// `tag = 1*<any ASTRING-CHAR except "+">`
    mutating func parseTagged() throws(IMAPProtocolError) -> TaggedResponse {
        let tag = try readAtom()
        try expectSpace()
        let status: ResponseState.Status
        if consumeKeyword("OK") {
            status = .ok
        } else if consumeKeyword("NO") {
            status = .no
        } else if consumeKeyword("BAD") {
            status = .bad
        } else {
            throw error(.syntax, "expected OK, NO or BAD after tag")
        }
        skipSpaces()
        let (code, text) = parseResponseText()
        try expectEnd()
        return TaggedResponse(tag: tag, state: ResponseState(status: status, code: code, text: text))
    }

    /// `response-data = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data / message-data /
    ///                  capability-data / enable-data) CRLF`, plus RFC 2342/2971/4731/9208 data.
    mutating func parseUntagged() throws(IMAPProtocolError) -> UntaggedResponse {
        if let byte = peek(), (0x30...0x39).contains(byte) {
            return try parseNumberedData()
        }
        let nameStart = index
        let name = try readAtom(stopAtBracket: true).uppercased()
        let response: UntaggedResponse
        switch name {
        case "OK", "NO", "BAD", "PREAUTH", "BYE":
            skipSpaces()
            let (code, text) = parseResponseText()
            response = .condition(ConditionStatus(rawValue: name)!, code, text)
        case "CAPABILITY":
            response = .capability(try parseCapabilityList())
        case "LIST", "XLIST":  // XLIST: Gmail's pre-SPECIAL-USE spelling, same shape
            try expectSpace()
            response = .list(try parseMailboxList())
        case "LSUB":
            try expectSpace()
            response = .lsub(try parseMailboxList())
        case "STATUS":
            try expectSpace()
            let (mailbox, items) = try parseStatus()
            response = .status(mailbox, items)
        case "FLAGS":
            skipSpaces()
            response = .flags(try parseFlagList())
        case "SEARCH", "SORT":
            let (numbers, modSeq) = try parseSearch()
            response = .search(numbers, modSeq: modSeq)
        case "ESEARCH":
            response = .esearch(try parseESearch())
        case "NAMESPACE":
            response = .namespace(try parseNamespace())
        case "QUOTA":
            try expectSpace()
            let (root, resources) = try parseQuota()
            response = .quota(root: root, resources)
        case "QUOTAROOT":
            try expectSpace()
            let (mailbox, roots) = try parseQuotaRoot()
            response = .quotaRoot(mailbox, roots)
        case "ID":
            try expectSpace()
            response = .id(try parseID())
        case "ENABLED":
            response = .enabled(try parseCapabilityList().map(\.rawValue))
        case "VANISHED":
            try expectSpace()
            let (earlier, uids) = try parseVanished()
            response = .vanished(earlier: earlier, uids)
        default:
            index = nameStart
            return try parseOther()
        }
        try expectEnd()
        return response
    }

    /// `message-data = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att))`
    /// `mailbox-data =/ number SP "EXISTS" / number SP "RECENT"`
    mutating func parseNumberedData() throws(IMAPProtocolError) -> UntaggedResponse {
        let start = index
        let number = try readCount()
        try expectSpace()
        let response: UntaggedResponse
        if consumeKeyword("EXISTS") {
            response = .exists(number)
        } else if consumeKeyword("RECENT") {
            response = .recent(number)
        } else if consumeKeyword("EXPUNGE") {
            response = .expunge(number)
        } else if consumeKeyword("FETCH") {
            skipSpaces()
            response = .fetch(number, try parseFetchAttributes())
        } else {
            index = start
            return try parseOther()
        }
        try expectEnd()
        return response
    }

    /// Any other untagged data: its keyword as name, the text after it (for `* n KEYWORD …`
    /// the whole text after `* `) as raw, truncated to 64 KiB.
    mutating func parseOther() throws(IMAPProtocolError) -> UntaggedResponse {
        let start = index
        var name = try readAtom(stopAtBracket: true).uppercased()
        var rawStart = index
        if name.first?.isNumber == true {
            skipSpaces()
            if let keyword = try? readAtom(stopAtBracket: true) {
                name = keyword.uppercased()
                rawStart = start  // keep the number: "12 XYZ …"
            }
        }
        var end = bytes.count
        if end >= 2 && bytes[end - 2] == 0x0D && bytes[end - 1] == 0x0A { end -= 2 }
        index = bytes.count
        let rawBytes = bytes[Swift.min(rawStart, end)..<end]
        var raw = String(decoding: rawBytes.prefix(ResponseParser.maxOtherRawLength), as: UTF8.self)
        raw = String(raw.drop { $0 == " " })
        return .other(name: name, raw: raw)
    }
}
