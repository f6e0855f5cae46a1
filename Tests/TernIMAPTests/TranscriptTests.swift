import Testing
@testable import TernIMAP

@Suite("Server transcripts")
struct TranscriptTests {
    static func responses(_ bytes: [UInt8]) throws -> [Response] { try parseAll(bytes) }

    static func untaggedList(_ responses: [Response]) -> [UntaggedResponse] {
        responses.compactMap { if case .untagged(let response) = $0 { response } else { nil } }
    }

    @Test("every transcript frames identically in random chunks and parses completely")
    func chunked() throws {
        var generator = SplitMix64(seed: 7)
        for (server, bytes) in ServerTranscripts.all {
            let whole = try Self.responses(bytes)
            #expect(whole.count > 10, "\(server)")
            for _ in 0..<20 {
                var framer = ResponseFramer()
                var parsed: [Response] = []
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + Int(generator.next() % 90) + 1)
                    framer.append(bytes[start..<end])
                    start = end
                    while let frame = try framer.nextFrame() { parsed.append(try ResponseParser.parse(frame)) }
                }
                #expect(parsed == whole, "\(server)")
                #expect(framer.bufferedByteCount == 0)
            }
        }
    }

    @Test("Dovecot: LIST-STATUS, QRESYNC select, a body with literal lookalikes, APPENDUID")
    func dovecot() throws {
        let responses = try Self.responses(ServerTranscripts.dovecot)
        let untagged = Self.untaggedList(responses)
        let names = untagged.compactMap { if case .list(let entry) = $0 { entry.name.decoded } else { nil } }
        #expect(names == ["INBOX", "INBOX.Sent", "INBOX.Entwürfe"])
        #expect(untagged.contains(.status(MailboxName(decoded: "INBOX.Entwürfe"), [
            .messages: 1, .uidNext: 2, .uidValidity: 1_712_345_680, .highestModSeq: 2, .size: 812,
        ])))
        let fetches = untagged.compactMap { if case .fetch(_, let attributes) = $0 { attributes } else { nil } }
        #expect(fetches.count == 2)
        let expectedBody = ServerTranscripts.message.utf8.dropLast(15)
        #expect(fetches[0].body().map(Array.init) == Array(expectedBody))
        #expect(fetches[0].rfc822Size == Int64(expectedBody.count))
        #expect(fetches[0].modSeq == 7)
        #expect(fetches[1].body() == ArraySlice(wire("hi")))
        #expect(untagged.contains(.exists(3)))
        #expect(responses.contains(.tagged(TaggedResponse(tag: "t9", state: ResponseState(
            status: .ok, code: .appendUID(uidValidity: 1_712_345_679, uids: UIDSet(ranges: [1...2])),
            text: "Append completed (0.010 + 0.000 + 0.009 secs).")))))
        #expect(responses.last == .tagged(TaggedResponse(tag: "t10", state: ResponseState(
            status: .ok, text: "Logout completed (0.001 + 0.000 secs)."))))
    }

    @Test("Cyrus: shared namespaces, OBJECTID, QUOTA")
    func cyrus() throws {
        let untagged = Self.untaggedList(try Self.responses(ServerTranscripts.cyrus))
        #expect(untagged.contains(.quota(root: "INBOX", [
            QuotaResource(name: "STORAGE", usage: 30220, limit: 1_048_576),
            QuotaResource(name: "MESSAGE", usage: 412, limit: 50000),
        ])))
        #expect(untagged.contains(.fetch(1, FetchAttributes(
            uid: 9, flags: [.seen], emailID: "M1f3a5c7e9b2d4f6a8c0e1b3d", threadID: "T5c7e9b2d4f6a8c0e"))))
        #expect(untagged.contains { if case .namespace(let ns) = $0 { ns.otherUsers.first?.prefix == "user." } else { false } })
    }

    @Test("Courier: SEARCH, COPYUID, unknown response code")
    func courier() throws {
        let responses = try Self.responses(ServerTranscripts.courier)
        #expect(responses.contains(.untagged(.search([1, 2], modSeq: nil))))
        #expect(responses.contains(.untagged(.condition(.ok, .other("MYRIGHTS", "\"acdilrsw\""), "ACL"))))
        #expect(responses.contains { response in
            if case .tagged(let tagged) = response, case .copyUID(1_190_294_829, let source, let destination)? = tagged.state.code {
                return Array(source) == [17, 18] && Array(destination) == [1, 2]
            }
            return false
        })
    }

    @Test("Gmail: labels, SASL error challenge, capabilities")
    func gmail() throws {
        let responses = try Self.responses(ServerTranscripts.gmail)
        let untagged = Self.untaggedList(responses)
        let labels = untagged.compactMap { if case .fetch(_, let attributes) = $0 { attributes.gmailLabels } else { nil } }
        #expect(labels == [["\\Inbox", "\\Important", "Kunden/Müller"], []])
        let challenge = responses.compactMap { if case .continuation(let request) = $0 { request } else { nil } }.first
        #expect(challenge?.base64Decoded.map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("{\"status\":\"400\"") == true)
        guard case .tagged(let login) = responses[5], case .capability(let capabilities)? = login.state.code else {
            Issue.record("expected the capability code on t2")
            return
        }
        #expect(capabilities.contains(.literalMinus) && capabilities.contains(.utf8Accept))
        #expect(capabilities.first { $0.name == "APPENDLIMIT" }?.appendLimitValue == .some(35_651_584))
        #expect(capabilities.contains(.compress("deflate")))
        let attributes = untagged.compactMap { if case .list(let entry) = $0 { entry.specialUse } else { nil } }
        #expect(attributes == [.all, .important, .sent, .junk, .flagged])
    }

    @Test("Exchange: STATUS with trailing space, THROTTLED, BAD")
    func exchange() throws {
        let responses = try Self.responses(ServerTranscripts.exchange)
        #expect(responses.contains(.untagged(.status(MailboxName(decoded: "Sent Items"), [
            .messages: 412, .uidNext: 905, .uidValidity: 14,
        ]))))
        #expect(responses.contains { if case .tagged(let t) = $0 { t.state.code == .throttled } else { false } })
        #expect(responses.contains(.untagged(.condition(.ok, .unseen(3), "Is the first unseen message"))))
    }
}
