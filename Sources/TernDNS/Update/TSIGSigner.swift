import TernTLS

/// Signs requests and verifies responses with TSIG (RFC 8945 §4.3, §5.3).
public enum TSIGSigner {
    /// Adds a TSIG record to `message`, signed at `time` (seconds since the epoch). `originalID`
    /// is the ID the MAC covers (RFC 8945 §4.2); it defaults to the header's ID.
    public static func sign(_ message: inout DNSMessage, key: TSIGKey, time: UInt64, fudge: UInt16 = 300,
                            originalID: UInt16? = nil) throws {
        message.tsig = nil
        var record = TSIGRecord(algorithm: key.algorithm, timeSigned: time, fudge: fudge, mac: [],
                                originalID: originalID ?? message.header.id)
        record.mac = try mac(for: message, record: record, key: key, requestMAC: nil)
        message.tsig = ResourceRecord(name: key.name, ttl: 0, data: .tsig(record), recordClass: .any)
    }

    /// The MAC RFC 8945 §4.3.3 defines: [request MAC] + message without TSIG (original ID,
    /// ARCOUNT - 1) + TSIG variables, keyed with the shared secret.
    public static func mac(for message: DNSMessage, record: TSIGRecord, key: TSIGKey, requestMAC: [UInt8]?) throws -> [UInt8] {
        var unsigned = message
        unsigned.tsig = nil
        var writer = ByteWriter()
        if let requestMAC {
            writer.u16(UInt16(requestMAC.count))
            writer.append(requestMAC)
        }
        var body = ByteWriter()
        unsigned.encodeBody(&body, arCountAdjust: 0, id: record.originalID)
        writer.append(body.bytes)
        return try mac(prefix: writer.bytes, record: record, key: key)
    }

    /// Verifies a received message's TSIG against its exact bytes (names as the sender compressed them).
    public static func verify(bytes: [UInt8], message: DNSMessage, key: TSIGKey, requestMAC: [UInt8]?) throws {
        guard let tsigRecord = message.tsig, case .tsig(let record) = tsigRecord.data, let offset = message.tsigOffset else {
            throw DNSError(.tsigFailed, "the server's answer is not signed; check the key name and that the server knows it")
        }
        guard tsigRecord.name == key.name else {
            throw DNSError(.tsigFailed, "the answer is signed with key \(tsigRecord.name), not \(key.name)")
        }
        if record.error != 0 {
            throw DNSError(.tsigFailed, "the server rejected the signature: \(ResponseCode(rawValue: record.error)); check the key secret and the clock")
        }
        var signed = Array(bytes[0..<offset])
        signed[0] = UInt8(record.originalID >> 8)
        signed[1] = UInt8(record.originalID & 0xFF)
        let arCount = (UInt16(signed[10]) << 8 | UInt16(signed[11])) &- 1
        signed[10] = UInt8(arCount >> 8)
        signed[11] = UInt8(arCount & 0xFF)
        var writer = ByteWriter()
        if let requestMAC {
            writer.u16(UInt16(requestMAC.count))
            writer.append(requestMAC)
        }
        writer.append(signed)
        let expected = try mac(prefix: writer.bytes, record: record, key: key)
        guard HMAC.equal(expected, record.mac) else {
            throw DNSError(.tsigFailed, "the answer's TSIG MAC does not verify; the key secret differs from the server's")
        }
    }

    static func mac(prefix: [UInt8], record: TSIGRecord, key: TSIGKey) throws -> [UInt8] {
        var writer = ByteWriter(bytes: prefix)
        // TSIG variables (RFC 8945 §4.3.3): names in canonical (lower-case, uncompressed) form.
        writer.name(key.name.lowercased, compress: false)
        writer.u16(RecordClass.any.rawValue)
        writer.u32(0)
        writer.name(record.algorithm.lowercased, compress: false)
        writer.u48(record.timeSigned)
        writer.u16(record.fudge)
        writer.u16(record.error)
        writer.u16(UInt16(record.otherData.count))
        writer.append(record.otherData)
        guard let digest = TSIGKey.digest(for: key.algorithm),
              let mac = HMAC.authenticationCode(digest, key: key.secretBytes, data: writer.bytes) else {
            throw DNSError(.tsigFailed, "libcrypto could not compute the HMAC")
        }
        return mac
    }
}
