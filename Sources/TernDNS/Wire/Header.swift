/// Operation codes (RFC 1035 §4.1.1, RFC 2136 §1.3).
public enum Opcode: UInt8, Sendable, Codable {
    case query = 0, status = 2, notify = 4, update = 5
}

/// Response codes (RFC 1035 §4.1.1, RFC 2136 §2.2, RFC 6891 extended, RFC 8945 TSIG errors).
public struct ResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let noError = ResponseCode(rawValue: 0)
    public static let formErr = ResponseCode(rawValue: 1)
    public static let servFail = ResponseCode(rawValue: 2)
    public static let nxDomain = ResponseCode(rawValue: 3)
    public static let notImp = ResponseCode(rawValue: 4)
    public static let refused = ResponseCode(rawValue: 5)
    public static let yxDomain = ResponseCode(rawValue: 6)
    public static let yxRRSet = ResponseCode(rawValue: 7)
    public static let nxRRSet = ResponseCode(rawValue: 8)
    public static let notAuth = ResponseCode(rawValue: 9)
    public static let notZone = ResponseCode(rawValue: 10)
    public static let badSig = ResponseCode(rawValue: 16)
    public static let badKey = ResponseCode(rawValue: 17)
    public static let badTime = ResponseCode(rawValue: 18)

    public var description: String {
        let names: [UInt16: String] = [
            0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED",
            6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 16: "BADSIG",
            17: "BADKEY", 18: "BADTIME",
        ]
        return names[rawValue] ?? "RCODE\(rawValue)"
    }
}

/// The fixed 12-octet message header (RFC 1035 §4.1.1). Section counts live in `DNSMessage`.
public struct DNSHeader: Hashable, Sendable {
    public var id: UInt16
    public var isResponse = false
    public var opcode: Opcode = .query
    public var authoritative = false
    public var truncated = false
    public var recursionDesired = false
    public var recursionAvailable = false
    public var authenticData = false
    public var checkingDisabled = false
    /// The low four bits of the RCODE; `DNSMessage.rcode` adds the EDNS extension.
    public var rcodeLow: UInt8 = 0

    public init(id: UInt16) { self.id = id }

    var flags: UInt16 {
        var value: UInt16 = 0
        if isResponse { value |= 0x8000 }
        value |= UInt16(opcode.rawValue & 0xF) << 11
        if authoritative { value |= 0x0400 }
        if truncated { value |= 0x0200 }
        if recursionDesired { value |= 0x0100 }
        if recursionAvailable { value |= 0x0080 }
        if authenticData { value |= 0x0020 }
        if checkingDisabled { value |= 0x0010 }
        value |= UInt16(rcodeLow & 0xF)
        return value
    }

    init(id: UInt16, flags: UInt16) throws {
        self.id = id
        isResponse = flags & 0x8000 != 0
        let rawOpcode = UInt8((flags >> 11) & 0xF)
        guard let opcode = Opcode(rawValue: rawOpcode) else {
            throw DNSError(.unexpectedResponse, "opcode \(rawOpcode) is not one Tern uses")
        }
        self.opcode = opcode
        authoritative = flags & 0x0400 != 0
        truncated = flags & 0x0200 != 0
        recursionDesired = flags & 0x0100 != 0
        recursionAvailable = flags & 0x0080 != 0
        authenticData = flags & 0x0020 != 0
        checkingDisabled = flags & 0x0010 != 0
        rcodeLow = UInt8(flags & 0xF)
    }
}
