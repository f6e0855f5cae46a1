import Foundation
import Testing
@testable import TernDNS

/// The BIND captures in Tests/Fixtures/conformance/dns-wire as decoder/encoder fixtures.
struct WireCaptureTests {
    struct Capture: Decodable {
        struct Decoded: Decodable {
            struct Question: Decodable { let name: String; let type: String }
            struct Record: Decodable { let name: String; let ttl: UInt32; let type: String; let rdata: String }
            struct EDNS: Decodable { let payload: UInt16 }
            let id: UInt16
            let opcode: String
            let rcode: String
            let flags: [String]
            let question: [Question]
            let answer: [Record]
            let authority: [Record]
            let additional: [Record]
            let edns: EDNS?
        }
        struct Key: Decodable { let name: String; let algorithm: String; let secret_base64: String }
        let id: String
        let transport: String
        let query_hex: String
        let response_hex: String
        let query: Decoded
        let response: Decoded
        let tsig_key: Key?
        let request_mac_hex: String?
    }

    struct File: Decodable { let vectors: [Capture] }

    static func captures() throws -> [Capture] {
        try JSONDecoder().decode(File.self, from: try SharedData.data("conformance/dns-wire/bind-captures.json")).vectors
    }

    @Test func allCapturesArePresent() throws {
        #expect(try Self.captures().count == 19)
    }

    @Test func decodesEveryCaptureLikeDnspython() throws {
        for capture in try Self.captures() {
            for (hex, expected) in [(capture.query_hex, capture.query), (capture.response_hex, capture.response)] {
                let message = try DNSMessage.decode(hexBytes(hex))
                #expect(message.header.id == expected.id, "\(capture.id)")
                #expect(message.rcode.description == expected.rcode, "\(capture.id)")
                #expect(message.header.opcode == (expected.opcode == "UPDATE" ? .update : .query), "\(capture.id)")
                var flags: [String] = []
                if message.header.isResponse { flags.append("QR") }
                if message.header.authoritative { flags.append("AA") }
                if message.header.truncated { flags.append("TC") }
                if message.header.recursionDesired { flags.append("RD") }
                if message.header.recursionAvailable { flags.append("RA") }
                #expect(Set(flags) == Set(expected.flags), "\(capture.id) flags")
                #expect(message.questions.map { "\($0.name) \($0.type)" }
                    == expected.question.map { "\($0.name) \($0.type)" }, "\(capture.id)")
                #expect(message.edns?.payloadSize == expected.edns?.payload, "\(capture.id) edns")
                let sections = [(message.answers, expected.answer), (message.additionals, expected.additional)]
                    + (expected.opcode == "UPDATE" ? [] : [(message.authorities, expected.authority)])
                for (got, want) in sections {
                    #expect(got.map { "\($0.name) \($0.ttl) \($0.type) \($0.data.presentation)" }
                        == want.map { "\($0.name) \($0.ttl) \($0.type) \($0.rdata)" }, "\(capture.id)")
                }
            }
        }
    }

    @Test func reencodingQueriesReproducesTheOctets() throws {
        for capture in try Self.captures() {
            let bytes = hexBytes(capture.query_hex)
            #expect(try DNSMessage.decode(bytes).encode() == bytes, "\(capture.id)")
        }
    }

    @Test func responsesRoundTrip() throws {
        for capture in try Self.captures() {
            let message = try DNSMessage.decode(hexBytes(capture.response_hex))
            let again = try DNSMessage.decode(message.encode())
            #expect(again.answers == message.answers, "\(capture.id)")
            #expect(again.authorities == message.authorities, "\(capture.id)")
            #expect(again.additionals == message.additionals, "\(capture.id)")
            #expect(again.header == message.header, "\(capture.id)")
        }
    }

    @Test func truncatedAnswersAreFlagged() throws {
        let captures = try Self.captures()
        let truncated = try #require(captures.first { $0.id == "truncated-udp" })
        let message = try DNSMessage.decode(hexBytes(truncated.response_hex))
        #expect(message.header.truncated && message.answers.isEmpty)
        let kept = try #require(captures.first { $0.id == "no-edns-truncated" })
        let keptMessage = try DNSMessage.decode(hexBytes(kept.response_hex))
        #expect(keptMessage.header.truncated && !keptMessage.answers.isEmpty)
        let big = try #require(captures.first { $0.id == "big-tcp" })
        let bigMessage = try DNSMessage.decode(hexBytes(big.response_hex))
        #expect(bigMessage.answers.count > 0 && hexBytes(big.response_hex).count == 1841)
    }

    @Test func multiStringTXTJoinsWithoutSeparators() throws {
        let capture = try #require(try Self.captures().first { $0.id == "txt-two-strings" })
        let message = try DNSMessage.decode(hexBytes(capture.response_hex))
        guard case .txt(let txt) = try #require(message.answers.first).data else { Issue.record("not TXT"); return }
        #expect(txt.strings.count == 2)
        #expect(txt.text == "v=spf1 ip4:192.0.2.0/24 -all")
    }

    @Test func tsigSignedUpdateMatchesBind() throws {
        let capture = try #require(try Self.captures().first { $0.id == "update-tsig" })
        let keyInfo = try #require(capture.tsig_key)
        let key = try TSIGKey(name: try DNSName(keyInfo.name), algorithm: try DNSName(keyInfo.algorithm),
                              secretBase64: keyInfo.secret_base64)
        let requestBytes = hexBytes(capture.query_hex)
        let request = try DNSMessage.decode(requestBytes)
        guard case .tsig(let captured) = try #require(request.tsig).data else { Issue.record("no TSIG"); return }

        // Build the same UPDATE from its fields and sign it at the captured time. The capture's
        // header ID (0x2001) was rewritten after signing: the MAC covers the original ID in the TSIG.
        let zone = try DNSName("example-migrate.test")
        var update = UpdateMessage(zone: zone, id: request.header.id)
        update.deleteRRset(name: zone, type: .mx)
        update.add(ResourceRecord(name: zone, ttl: 300,
                                  data: .mx(MXRecord(preference: 10, exchange: try DNSName("mail.new-provider.test")))))
        var message = update.message
        try TSIGSigner.sign(&message, key: key, time: captured.timeSigned, fudge: captured.fudge,
                             originalID: captured.originalID)
        #expect(hexString(message.encode()) == capture.query_hex)
        guard case .tsig(let mine) = try #require(message.tsig).data else { return }
        #expect(hexString(mine.mac) == capture.request_mac_hex)

        // And the response's MAC verifies against the request MAC.
        let responseBytes = hexBytes(capture.response_hex)
        let response = try DNSMessage.decode(responseBytes)
        try TSIGSigner.verify(bytes: responseBytes, message: response, key: key, requestMAC: mine.mac)
        var tampered = responseBytes
        tampered[3] ^= 0x01
        #expect(throws: DNSError.self) {
            try TSIGSigner.verify(bytes: tampered, message: try DNSMessage.decode(tampered), key: key, requestMAC: mine.mac)
        }
    }
}
