import CLua
import TernDNS

// MARK: - tern.http

extension LuaHostAPI {
    static func installHTTP(on stack: LuaStack, state: LuaState) {
        stack.pushTable(fields: 1)
        function("request", family: "http", on: stack, state: state) { stack, _ in
            let configuration = stack.state.context.http
            let request: HTTPRequest
            switch parseRequest(stack, configuration: configuration) {
            case .success(let parsed): request = parsed
            case .failure(let error): return .error("tern.http.request: \(error.message)")
            }
            return .async {
                do throws(HTTPError) {
                    let response = try await HTTPClient.perform(request, configuration: configuration)
                    var headers = LuaTable()
                    for header in response.headers { headers[header.name] = .string(header.value) }
                    return [.record([
                        "status": .integer(Int64(response.status)),
                        "reason": .string(response.reason),
                        "headers": .table(headers),
                        "body": .string(response.body),
                    ])]
                } catch {
                    return [.nilValue, .string(error.message)]
                }
            }
        }
        stack.setField("http")
    }

    private static func parseRequest(_ stack: LuaStack, configuration: HTTPClientConfiguration)
        -> Result<HTTPRequest, HTTPError> {
        guard stack.isTable(at: 1) else {
            return .failure(HTTPError("expects a table {method=, url=, headers=, body=, timeout=}"))
        }
        let fields: LuaTable
        do {
            guard let table = try stack.value(at: 1).tableValue else { return .failure(HTTPError("expects a table")) }
            fields = table
        } catch {
            return .failure(HTTPError(error.message))
        }
        let known: Set<String> = ["method", "url", "headers", "body", "timeout"]
        if let unknown = fields.entries.keys.first(where: { !known.contains($0.stringValue ?? "") }) {
            return .failure(HTTPError("unknown field '\(unknown.stringValue ?? unknown.typeName)' " +
                                      "(expected method, url, headers, body, timeout)"))
        }
        guard let urlText = fields["url"].stringValue else { return .failure(HTTPError("url (a string) is required")) }
        let url: HTTPURL
        do { url = try HTTPURL(parsing: urlText) } catch { return .failure(error) }
        let method = (fields["method"].stringValue ?? "GET").uppercased()
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter }) else {
            return .failure(HTTPError("method must be a word such as GET or POST"))
        }
        var headers: [(name: String, value: String)] = []
        switch fields["headers"] {
        case .nilValue: break
        case .table(let table):
            for (key, value) in table.entries {
                guard let name = key.stringValue, let text = value.stringValue ?? value.integerValue.map(String.init) else {
                    return .failure(HTTPError("headers must map names to strings"))
                }
                guard !name.isEmpty, !(name + text).contains(where: { $0 == "\r" || $0 == "\n" }),
                      !name.contains(":") else {
                    return .failure(HTTPError("header '\(name.prefix(40))' contains a line break or colon"))
                }
                headers.append((name, text))
            }
            headers.sort { $0.name < $1.name }
        default: return .failure(HTTPError("headers must be a table"))
        }
        var body: [UInt8] = []
        switch fields["body"] {
        case .nilValue: break
        case .string(let bytes): body = bytes
        default: return .failure(HTTPError("body must be a string (use tern.json.encode for JSON)"))
        }
        guard body.count <= configuration.maxRequestBytes else {
            return .failure(HTTPError("body larger than \(configuration.maxRequestBytes) bytes"))
        }
        var timeout = configuration.defaultTimeout
        if !fields["timeout"].isNil {
            guard let seconds = fields["timeout"].doubleValue, seconds > 0 else {
                return .failure(HTTPError("timeout must be a positive number of seconds"))
            }
            timeout = min(seconds, configuration.maxTimeout)
        }
        return .success(HTTPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout))
    }
}

// MARK: - tern.dns

extension LuaHostAPI {
    static func installDNS(on stack: LuaStack, state: LuaState) {
        stack.pushTable(fields: 2)
        for type in ["mx", "txt"] {
            function(type, family: "dns", on: stack, state: state) { stack, _ in
                guard stack.type(at: 1) == LUA_TSTRING, let text = stack.string(at: 1) else {
                    return argumentError("tern.dns.\(type)", 1, expected: "string", stack)
                }
                let name: DNSName
                do { name = try DNSName(text) } catch {
                    return .error("tern.dns.\(type): '\(text.prefix(80))' is not a valid domain name")
                }
                let configured = stack.state.context.resolver
                return .async {
                    do {
                        let resolver: any DNSResolver = try configured ?? StubResolver.system()
                        if type == "mx" {
                            let lookup = try await resolver.lookup(name, .mx)
                            let records = lookup.records.compactMap { record -> MXRecord? in
                                if case .mx(let mx) = record.data { mx } else { nil }
                            }.sorted { ($0.preference, $0.exchange.text) < ($1.preference, $1.exchange.text) }
                            return [.array(records.map {
                                .record(["preference": .integer(Int64($0.preference)), "host": .string($0.exchange.text)])
                            })]
                        }
                        let lookup = try await resolver.lookup(name, .txt)
                        return [.array(lookup.txtStrings.map { .string($0) })]
                    } catch {
                        return [.nilValue, .string("tern.dns.\(type) \(text): \(error)")]
                    }
                }
            }
        }
        stack.setField("dns")
    }
}
