/// Bounds-checked reading over a whole DNS message. Every read throws `truncatedMessage`
/// instead of trapping; `limit` bounds sequential reads (e.g. to one record's RDATA) while
/// compression pointers may still reach anywhere earlier in `bytes`.
struct ByteReader {
    let bytes: [UInt8]
    var offset: Int
    var limit: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
        self.limit = bytes.count
    }

    var remaining: Int { limit - offset }
    var isAtEnd: Bool { offset >= limit }

    mutating func u8() throws -> UInt8 {
        guard offset < limit else { throw Self.truncated() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws -> UInt16 {
        guard limit - offset >= 2 else { throw Self.truncated() }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u32() throws -> UInt32 {
        guard limit - offset >= 4 else { throw Self.truncated() }
        var value: UInt32 = 0
        for index in 0..<4 { value = value << 8 | UInt32(bytes[offset + index]) }
        offset += 4
        return value
    }

    mutating func u48() throws -> UInt64 {
        let high = UInt64(try u16())
        let low = UInt64(try u32())
        return high << 32 | low
    }

    mutating func take(_ count: Int) throws -> [UInt8] {
        guard count >= 0, limit - offset >= count else { throw Self.truncated() }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    static func truncated() -> DNSError {
        DNSError(.truncatedMessage, "the DNS message ends in the middle of a field; the server or a middlebox sent a damaged packet")
    }
}

/// Appends DNS wire data, with RFC 1035 §4.1.4 name compression when enabled.
struct ByteWriter {
    var bytes: [UInt8] = []
    /// Lower-cased presentation form of each name suffix already written → its offset.
    var compression: [String: Int] = [:]

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { bytes.append(UInt8(value >> 8)); bytes.append(UInt8(value & 0xFF)) }
    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
    mutating func u48(_ value: UInt64) {
        u16(UInt16((value >> 32) & 0xFFFF))
        u32(UInt32(value & 0xFFFF_FFFF))
    }
    mutating func append(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// Writes `name`, pointing at an earlier copy of its longest known suffix when `compress`.
    mutating func name(_ name: DNSName, compress: Bool) {
        let labels = name.labels
        for index in labels.indices {
            let key = DNSName.key(labels[index...])
            if compress, let target = compression[key] {
                u16(0xC000 | UInt16(target))
                return
            }
            if compress, bytes.count < 0x3FFF { compression[key] = bytes.count }
            u8(UInt8(labels[index].count))
            append(labels[index])
        }
        u8(0)
    }

    /// Writes a 16-bit length placeholder, runs `body`, then patches in the body's length.
    mutating func lengthPrefixed(_ body: (inout ByteWriter) -> Void) {
        let start = bytes.count
        u16(0)
        body(&self)
        let length = bytes.count - start - 2
        bytes[start] = UInt8(length >> 8)
        bytes[start + 1] = UInt8(length & 0xFF)
    }
}
