/// Typed record data, one case per record type Tern understands; anything else is kept raw.
public enum RData: Hashable, Sendable {
    case a(ARecord)
    case aaaa(AAAARecord)
    case cname(CNAMERecord)
    case mx(MXRecord)
    case txt(TXTRecord)
    case ns(NSRecord)
    case soa(SOARecord)
    case ptr(PTRRecord)
    case srv(SRVRecord)
    case caa(CAARecord)
    case opt(OPTRecord)
    case tsig(TSIGRecord)
    /// No RDATA (RFC 2136 deletions and prerequisites).
    case empty
    case unknown(RecordType, [UInt8])

    public var type: RecordType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .cname: .cname
        case .mx: .mx
        case .txt: .txt
        case .ns: .ns
        case .soa: .soa
        case .ptr: .ptr
        case .srv: .srv
        case .caa: .caa
        case .opt: .opt
        case .tsig: .tsig
        case .empty: .any
        case .unknown(let type, _): type
        }
    }

    /// Zone-file presentation of the data (RFC 1035 §5.1).
    public var presentation: String {
        switch self {
        case .a(let record): record.presentation
        case .aaaa(let record): record.presentation
        case .cname(let record): record.presentation
        case .mx(let record): record.presentation
        case .txt(let record): record.presentation
        case .ns(let record): record.presentation
        case .soa(let record): record.presentation
        case .ptr(let record): record.presentation
        case .srv(let record): record.presentation
        case .caa(let record): record.presentation
        case .opt(let record): record.presentation
        case .tsig(let record): record.presentation
        case .empty: ""
        case .unknown(_, let bytes): "\\# \(bytes.count) " + hexString(bytes)
        }
    }

    static func decode(type: RecordType, length: Int, _ reader: inout ByteReader) throws -> RData {
        if length == 0 && type != .opt { return .empty }
        switch type {
        case .a: return .a(try ARecord.decode(&reader))
        case .aaaa: return .aaaa(try AAAARecord.decode(&reader))
        case .cname: return .cname(try CNAMERecord.decode(&reader))
        case .mx: return .mx(try MXRecord.decode(&reader))
        case .txt, .spf: 
            let record = try TXTRecord.decode(&reader)
            return type == .txt ? .txt(record) : .unknown(.spf, record.strings.flatMap { [UInt8($0.count)] + $0 })
        case .ns: return .ns(try NSRecord.decode(&reader))
        case .soa: return .soa(try SOARecord.decode(&reader))
        case .ptr: return .ptr(try PTRRecord.decode(&reader))
        case .srv: return .srv(try SRVRecord.decode(&reader))
        case .caa: return .caa(try CAARecord.decode(&reader))
        case .opt: return .opt(try OPTRecord.decode(&reader))
        case .tsig: return .tsig(try TSIGRecord.decode(&reader))
        default: return .unknown(type, try reader.take(length))
        }
    }

    func encode(_ writer: inout ByteWriter) {
        switch self {
        case .a(let record): record.encode(&writer)
        case .aaaa(let record): record.encode(&writer)
        case .cname(let record): record.encode(&writer)
        case .mx(let record): record.encode(&writer)
        case .txt(let record): record.encode(&writer)
        case .ns(let record): record.encode(&writer)
        case .soa(let record): record.encode(&writer)
        case .ptr(let record): record.encode(&writer)
        case .srv(let record): record.encode(&writer)
        case .caa(let record): record.encode(&writer)
        case .opt(let record): record.encode(&writer)
        case .tsig(let record): record.encode(&writer)
        case .empty: break
        case .unknown(_, let bytes): writer.append(bytes)
        }
    }
}
