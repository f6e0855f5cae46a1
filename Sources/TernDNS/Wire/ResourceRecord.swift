/// A resource record (RFC 1035 §4.1.3): owner, type, class, TTL and typed data.
public struct ResourceRecord: Hashable, Sendable, CustomStringConvertible {
    public var name: DNSName
    public var type: RecordType
    public var recordClass: RecordClass
    /// Seconds the record may be cached (RFC 2181 §8: 0…2^31-1; larger values are read as 0).
    public var ttl: UInt32
    public var data: RData

    public init(name: DNSName, ttl: UInt32, data: RData, recordClass: RecordClass = .internet) {
        self.name = name
        self.type = data.type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// A record with no RDATA, as RFC 2136 uses for "delete RRset" and "RRset exists" (class ANY).
    public init(name: DNSName, type: RecordType, recordClass: RecordClass, ttl: UInt32 = 0) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = .empty
    }

    public var description: String {
        let rdata = data.presentation
        return "\(name) \(ttl) \(recordClass) \(type)" + (rdata.isEmpty ? "" : " \(rdata)")
    }

    static func decode(_ reader: inout ByteReader) throws -> ResourceRecord {
        let name = try DNSName.decode(&reader)
        let type = RecordType(rawValue: try reader.u16())
        let recordClass = RecordClass(rawValue: try reader.u16())
        let rawTTL = try reader.u32()
        let length = Int(try reader.u16())
        guard reader.remaining >= length else { throw ByteReader.truncated() }
        let end = reader.offset + length
        let outerLimit = reader.limit
        reader.limit = end
        defer { reader.limit = outerLimit }
        let data: RData
        do {
            data = try RData.decode(type: type, length: length, &reader)
        } catch let error as DNSError {
            throw error.with(name: name.description, type: type.description)
        }
        guard reader.offset == end else {
            throw DNSError(.badRecordData, "the \(type) record's data is \(length) octets but its fields use \(reader.offset - (end - length))",
                           name: name.description, type: type.description)
        }
        // OPT keeps its raw TTL (extended RCODE and flags, RFC 6891 §6.1.3).
        let ttl = type == .opt || rawTTL <= 0x7FFF_FFFF ? rawTTL : 0
        var record = ResourceRecord(name: name, ttl: ttl, data: data, recordClass: recordClass)
        record.type = type
        return record
    }

    func encode(_ writer: inout ByteWriter) {
        writer.name(name, compress: type != .tsig)
        writer.u16(type.rawValue)
        writer.u16(recordClass.rawValue)
        writer.u32(ttl)
        writer.lengthPrefixed { data.encode(&$0) }
    }
}
