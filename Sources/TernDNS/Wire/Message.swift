/// A DNS message (RFC 1035 §4.1). The EDNS OPT record (RFC 6891) and a final TSIG record
/// (RFC 8945) are lifted out of the additional section into `edns` and `tsig`.
public struct DNSMessage: Hashable, Sendable {
    /// EDNS(0) parameters from or for the OPT pseudo-record (RFC 6891 §6.1.3).
    public struct EDNS: Hashable, Sendable {
        public var payloadSize: UInt16
        public var extendedRCode: UInt8 = 0
        public var version: UInt8 = 0
        public var dnssecOK = false
        public var options: [OPTRecord.Option] = []

        public init(payloadSize: UInt16 = DNSLimits.ednsPayloadSize) { self.payloadSize = payloadSize }
    }

    public var header: DNSHeader
    public var questions: [DNSQuestion] = []
    public var answers: [ResourceRecord] = []
    public var authorities: [ResourceRecord] = []
    public var additionals: [ResourceRecord] = []
    public var edns: EDNS?
    public var tsig: ResourceRecord?
    /// Where the TSIG record started in the decoded bytes (for MAC verification).
    public internal(set) var tsigOffset: Int?

    public init(header: DNSHeader) { self.header = header }

    /// A standard query for one name and type.
    public static func query(id: UInt16, name: DNSName, type: RecordType, recursionDesired: Bool,
                             edns: EDNS? = EDNS()) -> DNSMessage {
        var header = DNSHeader(id: id)
        header.recursionDesired = recursionDesired
        var message = DNSMessage(header: header)
        message.questions = [DNSQuestion(name: name, type: type)]
        message.edns = edns
        return message
    }

    /// The full RCODE: four header bits plus the EDNS extension (RFC 6891 §6.1.3).
    public var rcode: ResponseCode {
        get { ResponseCode(rawValue: UInt16(edns?.extendedRCode ?? 0) << 4 | UInt16(header.rcodeLow)) }
        set {
            header.rcodeLow = UInt8(newValue.rawValue & 0xF)
            if newValue.rawValue > 0xF {
                if edns == nil { edns = EDNS() }
                edns?.extendedRCode = UInt8(newValue.rawValue >> 4)
            }
        }
    }

    /// The answer records of `type` at `name` (after CNAMEs, pass the final name).
    public func answers(_ type: RecordType, at name: DNSName? = nil) -> [ResourceRecord] {
        answers.filter { $0.type == type && (name == nil || $0.name == name!) }
    }

    // MARK: - Decoding

    /// Decodes one message, enforcing `DNSLimits`. Never traps on hostile input.
    public static func decode(_ bytes: [UInt8]) throws -> DNSMessage {
        guard bytes.count <= DNSLimits.maxMessageSize else {
            throw DNSError(.badRecordData, "the message is \(bytes.count) octets; DNS messages are at most 65535")
        }
        var reader = ByteReader(bytes)
        let id = try reader.u16()
        var message = DNSMessage(header: try DNSHeader(id: id, flags: try reader.u16()))
        var counts: [Int] = []
        for _ in 0..<4 { counts.append(Int(try reader.u16())) }
        // Each question needs ≥ 5 octets and each record ≥ 11: refuse impossible counts up front.
        let minimum = counts[0] * 5 + (counts[1] + counts[2] + counts[3]) * 11
        guard counts.allSatisfy({ $0 <= DNSLimits.maxRecordsPerSection }), minimum <= reader.remaining else {
            throw DNSError(.tooManyRecords, "the header announces more records (\(counts.map(String.init).joined(separator: "/"))) than the \(bytes.count)-octet message can hold")
        }
        for _ in 0..<counts[0] { message.questions.append(try DNSQuestion.decode(&reader)) }
        for _ in 0..<counts[1] { message.answers.append(try ResourceRecord.decode(&reader)) }
        for _ in 0..<counts[2] { message.authorities.append(try ResourceRecord.decode(&reader)) }
        for index in 0..<counts[3] {
            let start = reader.offset
            let record = try ResourceRecord.decode(&reader)
            switch record.data {
            case .opt(let opt) where record.type == .opt:
                guard message.edns == nil else {
                    throw DNSError(.badRecordData, "the message has two OPT records (RFC 6891 §6.1.1 forbids it)")
                }
                var edns = EDNS(payloadSize: record.recordClass.rawValue)
                edns.extendedRCode = UInt8(record.ttl >> 24)
                edns.version = UInt8((record.ttl >> 16) & 0xFF)
                edns.dnssecOK = record.ttl & 0x8000 != 0
                edns.options = opt.options
                message.edns = edns
            case .tsig where record.type == .tsig:
                guard index == counts[3] - 1 else {
                    throw DNSError(.badRecordData, "a TSIG record must be the last record (RFC 8945 §5.1)")
                }
                message.tsig = record
                message.tsigOffset = start
            default:
                if record.type == .opt { message.edns = EDNS(payloadSize: record.recordClass.rawValue) } else {
                    message.additionals.append(record)
                }
            }
        }
        return message
    }

    // MARK: - Encoding

    /// Encodes with name compression. `tsig`, when set, is written last, uncompressed.
    public func encode() -> [UInt8] {
        var writer = ByteWriter()
        encodeBody(&writer, arCountAdjust: 0)
        if let tsig { tsig.encode(&writer) }
        return writer.bytes
    }

    /// Everything except the TSIG record, with ARCOUNT not counting it (the "message" RFC 8945
    /// §4.3.1 signs). `id` overrides the header ID (TSIG signs the original ID).
    func encodeBody(_ writer: inout ByteWriter, arCountAdjust: Int, id: UInt16? = nil) {
        writer.u16(id ?? header.id)
        writer.u16(header.flags)
        writer.u16(UInt16(questions.count))
        writer.u16(UInt16(answers.count))
        writer.u16(UInt16(authorities.count))
        let arCount = additionals.count + (edns == nil ? 0 : 1) + (tsig == nil ? 0 : 1) + arCountAdjust
        writer.u16(UInt16(max(0, arCount)))
        for question in questions { question.encode(&writer) }
        for record in answers + authorities + additionals { record.encode(&writer) }
        if let edns {
            writer.u8(0)
            writer.u16(RecordType.opt.rawValue)
            writer.u16(edns.payloadSize)
            writer.u32(UInt32(edns.extendedRCode) << 24 | UInt32(edns.version) << 16 | (edns.dnssecOK ? 0x8000 : 0))
            writer.lengthPrefixed { OPTRecord(options: edns.options).encode(&$0) }
        }
    }
}
