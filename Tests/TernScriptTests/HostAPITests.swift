import Testing
@testable import TernScript
import TernCore
import TernDNS

@Suite struct HostAPITests {
    @Test func jsonRoundTrip() async throws {
        let results = try await LuaTest.run("""
            local text = tern.json.encode({name = "a\\"b", list = {1, 2.5, true}, nested = {x = tern.json.null}, e = {}})
            local back = tern.json.decode([[{"n": 12, "f": 1.5, "s": "\\u00e9\\ud83d\\ude00", "a": [1, null], "o": {}}]])
            return text, back.n, math.type(back.n), back.f, back.s, back.a[2] == tern.json.null, #back.a
            """)
        #expect(results == [
            #"{"e":{},"list":[1,2.5,true],"name":"a\"b","nested":{"x":null}}"#, 12, "integer", 1.5, "é😀", true, 2,
        ])
    }

    @Test(arguments: ["{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "1 2", "\"a\u{01}\""])
    func jsonDecodeRejects(_ text: String) async {
        let error = await LuaTest.failure("return tern.json.decode(...)".replacingOccurrences(of: "...", with: "[==[\(text)]==]"))
        #expect(error?.message.hasPrefix("tern.json.decode:") == true, "\(String(describing: error))")
    }

    @Test func jsonEncodeRefusesFunctionsAndCycles() async {
        #expect(await LuaTest.failure("return tern.json.encode({f = print})")?.message.contains("function") == true)
        #expect(await LuaTest.failure("local t = {} t[1] = t return tern.json.encode(t)")?.message.contains("cycle") == true)
    }

    @Test func envOnlyAllowedVariables() async throws {
        let options = LuaTest.options(allowEnv: ["TICKET_TOKEN", "UNSET"], environment: ["TICKET_TOKEN": "s3cret", "HOME": "/root"])
        #expect(try await LuaTest.run("return tern.env('TICKET_TOKEN'), tern.env('UNSET')", options: options)
                == ["s3cret", .nilValue])
        let error = await LuaTest.failure("return tern.env('HOME')", options: options)
        #expect(error?.message.contains("--allow-env HOME") == true)
    }

    @Test(arguments: [("Entwürfe", "Entw&APw-rfe"), ("A&B", "A&-B"), ("日本語", "&ZeVnLIqe-"), ("plain", "plain")])
    func modifiedUTF7(_ decoded: String, _ wire: String) async throws {
        let results = try await LuaTest.run("local w = ... return tern.imap.utf7_encode(w)"
            .replacingOccurrences(of: "...", with: "'\(decoded)'") + ", tern.imap.utf7_decode('\(wire)')")
        #expect(results == [.string(wire), .string(decoded)])
    }

    @Test func utf7DecodeReportsInvalidInput() async throws {
        let results = try await LuaTest.run("return tern.imap.utf7_decode('&AGE-')")
        #expect(results.first == .nilValue)
        #expect(results.last?.stringValue?.contains("not valid modified UTF-7") == true)
    }

    @Test func logAndPrintReachTheLoggerWithLocation() async throws {
        let log = CapturedLog()
        _ = try await LuaTest.run("tern.log.info('hello', 42)\ntern.log.warn('careful')\ntern.log.error({a = 1})\nprint('p', nil)",
                                  name: "log.lua", options: LuaTest.options(log: log))
        #expect(log.all == [
            "info: hello 42 @log.lua:1", "warning: careful @log.lua:2", #"error: {"a":1} @log.lua:3"#,
            "info: p\tnil @log.lua:4",
        ])
    }

    @Test func httpOutsideADrivenCallIsExplained() async {
        let error = await LuaTest.failure("""
            local co = coroutine.wrap(function() return tern.http.request{url = "http://127.0.0.1:1/"} end)
            return co()
            """, name: "co.lua")
        #expect(error?.message.contains("can only be called directly") == true, "\(String(describing: error))")
    }

    @Test func httpArgumentsAreChecked() async {
        #expect(await LuaTest.failure("return tern.http.request{url = 'ftp://x/'}")?.message.contains("only http://") == true)
        #expect(await LuaTest.failure("return tern.http.request{url = 'http://x/', bogus = 1}")?.message
            .contains("unknown field 'bogus'") == true)
        #expect(await LuaTest.failure("return tern.http.request('http://x/')")?.message.contains("expects a table") == true)
    }

    @Test func httpConnectionFailureIsAValueNotAnError() async throws {
        let results = try await LuaTest.run("return tern.http.request{url = 'http://127.0.0.1:1/', timeout = 2}")
        #expect(results.first == .nilValue)
        #expect(results.last?.stringValue?.contains("127.0.0.1:1") == true, "\(results)")
    }

    @Test func dnsUsesTheConfiguredResolver() async throws {
        var zone = InMemoryResolver()
        zone.add(try DNSName("example.com"), .mx(MXRecord(preference: 20, exchange: try DNSName("b.mx.example.net"))))
        zone.add(try DNSName("example.com"), .mx(MXRecord(preference: 10, exchange: try DNSName("a.mx.example.net"))))
        zone.add(try DNSName("example.com"), .txt(TXTRecord(strings: [Array("v=spf1 -all".utf8)])))
        var options = LuaTest.options()
        options.resolver = zone
        let results = try await LuaTest.run("""
            local mx = tern.dns.mx('example.com')
            local txt = tern.dns.txt('example.com')
            return mx[1].host, mx[1].preference, mx[2].host, txt[1]
            """, options: options)
        #expect(results == ["a.mx.example.net", 10, "b.mx.example.net", "v=spf1 -all"])
    }
}
