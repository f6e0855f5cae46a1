import TernCore

extension ByteReader {
    /// `msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic / msg-att-static)) ")"`
    /// `msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"`
    /// `msg-att-static = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time /
    ///     "RFC822.SIZE" SP number64 / "BODY" ["STRUCTURE"] SP body / "BODY" section ["<" number ">"] SP nstring /
    ///     "BINARY" section-binary SP (nstring / literal8) / "BINARY.SIZE" section-binary SP number /
    ///     "UID" SP uniqueid` — plus RFC 3501's RFC822 / RFC822.HEADER / RFC822.TEXT, RFC 7162
    ///     `"MODSEQ" SP "(" mod-sequence-value ")"`, RFC 8474 EMAILID / THREADID and Gmail's
    ///     X-GM-LABELS / X-GM-MSGID / X-GM-THRID. Any other item is skipped by shape.
    mutating func parseFetchAttributes() throws(IMAPProtocolError) -> FetchAttributes {
        var attributes = FetchAttributes()
        try expect(UInt8(ascii: "("))
        try enterNesting()
        defer { depth -= 1 }
        skipSpaces()
        var count = 0
        while !consume(UInt8(ascii: ")")) {
            guard !isAtEnd else { throw error(.syntax, "unbalanced parenthesis in FETCH") }
            try parseFetchItem(into: &attributes)
            count += 1
            try checkCount(count)
            skipSpaces()
        }
        return attributes
    }

    private mutating func parseFetchItem(into attributes: inout FetchAttributes) throws(IMAPProtocolError) {
        let itemStart = index
        let name = try readAtom(stopAtBracket: true).uppercased()
        if peek() == UInt8(ascii: "["), name == "BODY" || name == "BODY.PEEK" {
            var section = try parseSection()
            if consume(UInt8(ascii: "<")) {
                section.origin = try readNumber32()
                try expect(UInt8(ascii: ">"))
            }
            try expectSpace()
            attributes.bodySections[section] = .some(try readNString())
            return
        }
        if peek() == UInt8(ascii: "[") || peek() == UInt8(ascii: "<") {
            // BINARY[1], BINARY.SIZE[1] and vendor items with sections: skip name and value.
            index = itemStart
            try skipAtomWithSections()
            while consume(UInt8(ascii: "<")) {
                while let byte = peek(), byte != UInt8(ascii: ">"), !atLineEnd { index += 1 }
                try expect(UInt8(ascii: ">"))
            }
            try expectSpace()
            try skipValue()
            attributes.skippedItems.append(name)
            return
        }
        try expectSpace()
        switch name {
        case "UID":
            attributes.uid = try readNZNumber()
        case "FLAGS":
            attributes.flags = try parseFlagList()
        case "INTERNALDATE":
            let text = try readNString()
            if let text, let date = InternalDate(wire: text) {
                attributes.internalDate = date
            } else {
                attributes.skippedItems.append(name)
            }
        case "RFC822.SIZE":
            attributes.rfc822Size = Int64(try readNumber64())
        case "MODSEQ":
            try expect(UInt8(ascii: "("))
            skipSpaces()
            attributes.modSeq = try readNumber64()
            skipSpaces()
            try expect(UInt8(ascii: ")"))
        case "RFC822":
            attributes.bodySections[.complete] = .some(try readNString())
        case "RFC822.HEADER":
            attributes.bodySections[.header] = .some(try readNString())
        case "RFC822.TEXT":
            attributes.bodySections[.text] = .some(try readNString())
        case "X-GM-LABELS":
            attributes.gmailLabels = try parseGmailLabels()
        case "X-GM-MSGID":
            attributes.gmailMessageID = try readNumber64()
        case "X-GM-THRID":
            attributes.gmailThreadID = try readNumber64()
        case "EMAILID":
            attributes.emailID = try parseObjectID()
        case "THREADID":
            attributes.threadID = consumeKeyword("NIL") ? nil : try parseObjectID()
        default:
            try skipValue()
            attributes.skippedItems.append(name)
        }
    }

    /// `"(" [astring *(SP astring)] ")"`: Gmail sends labels as atoms (`\Inbox`), quoted
    /// strings or literals (non-ASCII labels), in modified UTF-7.
    private mutating func parseGmailLabels() throws(IMAPProtocolError) -> [String] {
        try readList { (reader: inout ByteReader) throws(IMAPProtocolError) -> String in
            let raw = try reader.readAStringText()
            return (try? ModifiedUTF7.decode(raw)) ?? raw
        }
    }

    /// `"(" objectid ")"`, `objectid = 1*255(ALPHA / DIGIT / "_" / "-")` (RFC 8474).
    private mutating func parseObjectID() throws(IMAPProtocolError) -> String {
        try expect(UInt8(ascii: "("))
        skipSpaces()
        let id = try readAtom()
        skipSpaces()
        try expect(UInt8(ascii: ")"))
        return id
    }

    /// `section = "[" [section-spec] "]"`
    /// `section-spec = section-msgtext / (section-part ["." section-text])`
    /// `section-part = nz-number *("." nz-number)`
    /// `section-text = section-msgtext / "MIME"`
    /// `section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"`
    /// `header-list = "(" header-fld-name *(SP header-fld-name) ")"`
    mutating func parseSection() throws(IMAPProtocolError) -> BodySection {
        try expect(UInt8(ascii: "["))
        var part: [Int] = []
        while let byte = peek(), (0x30...0x39).contains(byte) {
            part.append(Int(try readNZNumber()))
            try checkCount(part.count)
            guard consume(UInt8(ascii: ".")) else { break }
        }
        var kind = BodySection.Kind.complete
        if peek() != UInt8(ascii: "]") {
            let keyword = try readAtom(stopAtBracket: true).uppercased()
            switch keyword {
            case "HEADER": kind = .header
            case "TEXT": kind = .text
            case "MIME": kind = .mime
            case "HEADER.FIELDS", "HEADER.FIELDS.NOT":
                try expectSpace()
                let names = try readList { (reader: inout ByteReader) throws(IMAPProtocolError) in
                    try reader.readAStringText()
                }
                kind = keyword == "HEADER.FIELDS" ? .headerFields(names) : .headerFieldsNot(names)
            default:
                throw error(.syntax, "unknown body section \"\(keyword)\"")
            }
        }
        skipSpaces()
        try expect(UInt8(ascii: "]"))
        return BodySection(part: part, kind: kind)
    }
}

extension InternalDate {
    /// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`
    /// `date-day-fixed = (SP DIGIT) / 2DIGIT`, `time = 2DIGIT ":" 2DIGIT ":" 2DIGIT`,
    /// `zone = ("+" / "-") 4DIGIT`. Liberal: one-digit day without padding, any month case.
    /// Returns nil for anything else, including out-of-range fields.
    init?(wire: ArraySlice<UInt8>) {
        var bytes = Array(wire)
        while bytes.first == 0x20 { bytes.removeFirst() }
        func number(_ slice: ArraySlice<UInt8>) -> Int? {
            guard !slice.isEmpty, slice.count <= 4, slice.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return slice.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        let parts = bytes.split(separator: 0x20, omittingEmptySubsequences: true)
        guard parts.count == 3 else { return nil }
        let dateParts = parts[0].split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        let timeParts = parts[1].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        let zone = parts[2]
        guard dateParts.count == 3, timeParts.count == 3, zone.count == 5,
            let day = number(dateParts[0]), let year = number(dateParts[2]),
            let hour = number(timeParts[0]), let minute = number(timeParts[1]), let second = number(timeParts[2]),
            let zoneValue = number(zone.dropFirst()),
            zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-")
        else { return nil }
        let monthText = String(decoding: dateParts[1], as: UTF8.self).lowercased()
        guard let monthIndex = Self.monthNames.firstIndex(where: { $0.lowercased() == monthText }),
            (1...31).contains(day), hour < 24, minute < 60, second <= 60,
            zoneValue % 100 < 60, zoneValue <= 2400
        else { return nil }
        let offset = (zoneValue / 100) * 60 + zoneValue % 100
        self.init(
            year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second,
            zoneMinutes: zone.first == UInt8(ascii: "-") ? -offset : offset)
    }
}
