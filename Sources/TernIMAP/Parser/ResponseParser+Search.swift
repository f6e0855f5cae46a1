extension ByteReader {
    /// `sequence-set = (seq-number / seq-range) ["," sequence-set]`
    /// `seq-range = seq-number ":" seq-number`, `seq-number = nz-number / "*"`
    /// (also `uid-set`, `known-uids`, `append-uid`). `n:m` with `n > m` is stored as `m...n`
    /// (RFC 9051 §9: the order of a range's ends does not matter); 0 is an error.
    mutating func parseNumberSet<Kind>() throws(IMAPProtocolError) -> NumberSet<Kind> {
        var set = NumberSet<Kind>()
        repeat {
            let first = try parseSequenceNumber()
            if consume(UInt8(ascii: ":")) {
                let second = try parseSequenceNumber()
                set.append(Swift.min(first, second)...Swift.max(first, second))
            } else {
                set.append(first...first)
            }
            try checkCount(set.ranges.count)
        } while consume(UInt8(ascii: ","))
        return set
    }

    private mutating func parseSequenceNumber() throws(IMAPProtocolError) -> UInt32 {
        if consume(UInt8(ascii: "*")) { return NumberSet<UIDKind>.star }
        return try readNZNumber()
    }

    /// `mailbox-data =/ "SEARCH" *(SP nz-number) [SP search-sort-mod-seq]`
    /// `search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value ")"` (RFC 7162)
    mutating func parseSearch() throws(IMAPProtocolError) -> ([UInt32], UInt64?) {
        var numbers: [UInt32] = []
        var modSeq: UInt64?
        while peek() == 0x20 {
            skipSpaces()
            if peek() == UInt8(ascii: "(") {
                index += 1
                skipSpaces()
                guard consumeKeyword("MODSEQ") else { throw error(.syntax, "expected MODSEQ") }
                try expectSpace()
                modSeq = try readNumber64()
                skipSpaces()
                try expect(UInt8(ascii: ")"))
                continue
            }
            guard !atLineEnd else { break }
            numbers.append(try readNumber32())
            try checkCount(numbers.count)
        }
        return (numbers, modSeq)
    }

    /// `esearch-response = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)`
    /// `search-correlator = SP "(" "TAG" SP tag-string ")"`
    /// `search-return-data = "MIN" SP nz-number / "MAX" SP nz-number / "ALL" SP sequence-set /
    ///                       "COUNT" SP number / "MODSEQ" SP mod-sequence-value /
    ///                       search-modifier-name SP search-return-value`
    mutating func parseESearch() throws(IMAPProtocolError) -> ESearchResponse {
        var response = ESearchResponse()
        if peek() == 0x20 && peek(1) == UInt8(ascii: "(") {
            skipSpaces()
            index += 1
            try enterNesting()
            skipSpaces()
            guard consumeKeyword("TAG") else { throw error(.syntax, "expected TAG in search correlator") }
            try expectSpace()
            response.tag = try readAStringText()
            skipSpaces()
            try expect(UInt8(ascii: ")"))
            depth -= 1
        }
        while peek() == 0x20 {
            skipSpaces()
            guard !atLineEnd else { break }
            if !response.uid && consumeKeyword("UID") {
                response.uid = true
                continue
            }
            let name = try readAtom().uppercased()
            try expectSpace()
            switch name {
            case "MIN": response.min = try readNumber32()
            case "MAX": response.max = try readNumber32()
            case "COUNT": response.count = try readCount()
            case "MODSEQ": response.modSeq = try readNumber64()
            case "ALL":
                let set: UIDSet = try parseNumberSet()
                response.all = set.ranges
            default:
                response.other.append(ListExtendedItem(tag: name, value: try parseTaggedExtensionValue()))
                try checkCount(response.other.count)
            }
        }
        return response
    }

    /// `expunged-resp = "VANISHED" [SP "(EARLIER)"] SP known-uids` (RFC 7162 §7)
    mutating func parseVanished() throws(IMAPProtocolError) -> (Bool, UIDSet) {
        var earlier = false
        if consume(UInt8(ascii: "(")) {
            skipSpaces()
            guard consumeKeyword("EARLIER") else { throw error(.syntax, "expected EARLIER") }
            skipSpaces()
            try expect(UInt8(ascii: ")"))
            earlier = true
            try expectSpace()
        }
        return (earlier, try parseNumberSet())
    }
}
