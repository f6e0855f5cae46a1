/// TSIG: a transaction signature (RFC 8945 §4.2). The owner is the key name; the algorithm name
/// is never compressed.
public struct TSIGRecord: Hashable, Sendable {
    public var algorithm: DNSName
    /// Seconds since the epoch (48 bits on the wire).
    public var timeSigned: UInt64
    public var fudge: UInt16
    public var mac: [UInt8]
    public var originalID: UInt16
    public var error: UInt16
    public var otherData: [UInt8]

    public init(algorithm: DNSName, timeSigned: UInt64, fudge: UInt16, mac: [UInt8], originalID: UInt16,
                error: UInt16 = 0, otherData: [UInt8] = []) {
        self.algorithm = algorithm
        self.timeSigned = timeSigned
        self.fudge = fudge
        self.mac = mac
        self.originalID = originalID
        self.error = error
        self.otherData = otherData
    }

    public var presentation: String {
        "\(algorithm) \(timeSigned) \(fudge) \(mac.count) \(hexString(mac)) \(originalID) \(ResponseCode(rawValue: error))"
    }

    static func decode(_ reader: inout ByteReader) throws -> TSIGRecord {
        let algorithm = try DNSName.decode(&reader)
        let time = try reader.u48()
        let fudge = try reader.u16()
        let mac = try reader.take(Int(try reader.u16()))
        let originalID = try reader.u16()
        let error = try reader.u16()
        let other = try reader.take(Int(try reader.u16()))
        return TSIGRecord(algorithm: algorithm, timeSigned: time, fudge: fudge, mac: mac, originalID: originalID,
                          error: error, otherData: other)
    }

    func encode(_ writer: inout ByteWriter) {
        writer.name(algorithm, compress: false)
        writer.u48(timeSigned)
        writer.u16(fudge)
        writer.u16(UInt16(mac.count))
        writer.append(mac)
        writer.u16(originalID)
        writer.u16(error)
        writer.u16(UInt16(otherData.count))
        writer.append(otherData)
    }
}
