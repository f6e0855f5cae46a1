import Foundation
import Synchronization
import TernTLS

/// One HTTP request from a script.
struct HTTPRequest: Sendable {
    var method: String
    var url: HTTPURL
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var timeout: Double
}

/// The server's answer: status, headers (names lower-cased, repeated ones joined by ", ") and body.
struct HTTPResponse: Sendable {
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]
}

struct HTTPError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A minimal HTTP/1.1 client over `NetworkStream` (RFC 9112): one request per connection
/// (`Connection: close`), Content-Length, chunked and read-until-close bodies, an overall
/// deadline and a response size cap. Redirects are returned to the script, not followed.
enum HTTPClient {
    static let maxHeadBytes = 64 << 10

    static func perform(_ request: HTTPRequest, configuration: HTTPClientConfiguration) async throws(HTTPError) -> HTTPResponse {
        if !request.url.isTLS && !configuration.allowPlainHTTP {
            throw HTTPError("plain http:// is not allowed here; use https://")
        }
        let timeout = Duration.milliseconds(Int64(request.timeout * 1000))
        let stream: NetworkStream
        do {
            var tls = configuration.tls
            if tls.serverName == nil { tls.serverName = request.url.host }
            stream = try await NetworkStream.connect(
                host: request.url.host, port: request.url.port, tls: request.url.isTLS ? tls : nil,
                connectTimeout: timeout, stallTimeout: timeout)
        } catch {
            throw HTTPError("\(request.url.host):\(request.url.port): \(error.message)")
        }
        let timedOut = Atomic<Bool>(false)
        let timer = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled {
                timedOut.store(true, ordering: .relaxed)
                stream.close()
            }
        }
        defer {
            timer.cancel()
            stream.close()
        }
        do {
            try await stream.write(serialize(request))
            var reader = ResponseReader(limit: configuration.maxResponseBytes, isHead: request.method == "HEAD")
            while true {
                let chunk = try await stream.read()
                if let response = try reader.feed(chunk, endOfStream: chunk.isEmpty) { return response }
            }
        } catch let error as TransportError {
            if timedOut.load(ordering: .relaxed) {
                throw HTTPError("\(request.method) \(request.url.display): no complete answer within \(request.timeout) s "
                    + "(give the request a longer timeout=, at most \(Int(configuration.maxTimeout)) s)")
            }
            throw HTTPError("\(request.method) \(request.url.display): \(error.message)")
        } catch let error as HTTPError {
            throw HTTPError("\(request.method) \(request.url.display): \(error.message)")
        } catch {
            throw HTTPError("\(request.method) \(request.url.display): \(error)")
        }
    }

    static func serialize(_ request: HTTPRequest) -> [UInt8] {
        var head = "\(request.method) \(request.url.target) HTTP/1.1\r\n"
        let names = Set(request.headers.map { $0.name.lowercased() })
        head += "Host: \(request.url.hostHeader)\r\n"
        if !names.contains("user-agent") { head += "User-Agent: tern/0.1\r\n" }
        head += "Connection: close\r\n"
        if !request.body.isEmpty || !["GET", "HEAD", "DELETE", "OPTIONS"].contains(request.method) {
            head += "Content-Length: \(request.body.count)\r\n"
        }
        for header in request.headers where !["host", "connection", "content-length", "transfer-encoding"]
            .contains(header.name.lowercased()) {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + request.body
    }
}

/// Incremental response parser: head, then a Content-Length, chunked or until-close body.
struct ResponseReader {
    let limit: Int
    let isHead: Bool
    private var buffer: [UInt8] = []
    private var head: (status: Int, reason: String, headers: [(name: String, value: String)])?
    private var bodyStart = 0

    init(limit: Int, isHead: Bool) {
        self.limit = limit
        self.isHead = isHead
    }

    mutating func feed(_ bytes: [UInt8], endOfStream: Bool) throws(HTTPError) -> HTTPResponse? {
        buffer += bytes
        guard buffer.count <= limit + HTTPClient.maxHeadBytes else {
            throw HTTPError("the response is larger than \(limit) bytes")
        }
        while head == nil {
            guard let end = find([13, 10, 13, 10], from: 0) else {
                if buffer.count > HTTPClient.maxHeadBytes { throw HTTPError("response headers too large") }
                if endOfStream { throw HTTPError("the server closed the connection before answering") }
                return nil
            }
            let parsed = try parseHead(Array(buffer[..<end]))
            if (100..<200).contains(parsed.status) { // interim (100 Continue): skip it
                buffer.removeFirst(end + 4)
                continue
            }
            head = parsed
            bodyStart = end + 4
        }
        guard let head else { return nil }
        let body: [UInt8]?
        let headers = head.headers
        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
        if isHead || head.status == 204 || head.status == 304 {
            body = []
        } else if header("transfer-encoding")?.lowercased().contains("chunked") == true {
            body = try dechunk()
            if body == nil, endOfStream { throw HTTPError("the connection closed inside a chunked body") }
        } else if let lengthText = header("content-length") {
            guard let length = Int(lengthText.trimmingCharacters(in: .whitespaces)), length >= 0 else {
                throw HTTPError("invalid Content-Length '\(lengthText)'")
            }
            guard length <= limit else { throw HTTPError("the response is larger than \(limit) bytes") }
            if buffer.count - bodyStart >= length {
                body = Array(buffer[bodyStart..<bodyStart + length])
            } else if endOfStream {
                throw HTTPError("the connection closed after \(buffer.count - bodyStart) of \(length) body bytes")
            } else {
                body = nil
            }
        } else {
            body = endOfStream ? Array(buffer[bodyStart...]) : nil
        }
        guard let body else { return nil }
        guard body.count <= limit else { throw HTTPError("the response is larger than \(limit) bytes") }
        return HTTPResponse(status: head.status, reason: head.reason, headers: head.headers, body: body)
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= needle.count + start else { return nil }
        var index = start
        while index + needle.count <= buffer.count {
            if buffer[index] == needle[0], Array(buffer[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }

    private func parseHead(_ bytes: [UInt8]) throws(HTTPError)
        -> (status: Int, reason: String, headers: [(name: String, value: String)]) {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]),
              (100...999).contains(status) else {
            throw HTTPError("not an HTTP/1.x response: '\(lines[0].prefix(80))'")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPError("malformed header line") }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let existing = headers.firstIndex(where: { $0.name == name }) {
                headers[existing].value += ", " + value
            } else {
                headers.append((name, value))
            }
        }
        return (status, statusLine.count > 2 ? String(statusLine[2]) : "", headers)
    }

    /// The body once every chunk (and the last, empty one) has arrived; nil while incomplete.
    private func dechunk() throws(HTTPError) -> [UInt8]? {
        var body: [UInt8] = []
        var index = bodyStart
        while true {
            guard let lineEnd = find([13, 10], from: index) else { return nil }
            let sizeText = String(decoding: buffer[index..<lineEnd], as: UTF8.self)
                .split(separator: ";", maxSplits: 1).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw HTTPError("invalid chunk size '\(sizeText.prefix(20))'")
            }
            guard body.count + size <= limit else { throw HTTPError("the response is larger than \(limit) bytes") }
            let dataStart = lineEnd + 2
            if size == 0 {
                // Trailers (ignored) end with an empty line.
                var trailer = dataStart
                while true {
                    guard let end = find([13, 10], from: trailer) else { return nil }
                    if end == trailer { return body }
                    trailer = end + 2
                }
            }
            guard buffer.count >= dataStart + size + 2 else { return nil }
            body += buffer[dataStart..<dataStart + size]
            index = dataStart + size + 2
        }
    }
}

/// An http:// or https:// URL, split for a request.
struct HTTPURL: Sendable, Equatable {
    var isTLS: Bool
    var host: String
    var port: Int
    /// Path and query, at least "/".
    var target: String

    var display: String { "\(isTLS ? "https" : "http")://\(hostHeader)\(target)" }

    var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == (isTLS ? 443 : 80) ? bracketed : "\(bracketed):\(port)"
    }

    init(parsing text: String) throws(HTTPError) {
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            throw HTTPError("the URL contains spaces or control characters; percent-encode them")
        }
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            isTLS = true
            rest = text.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            isTLS = false
            rest = text.dropFirst(7)
        } else {
            throw HTTPError("only http:// and https:// URLs are supported: '\(text.prefix(80))'")
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if let fragment = path.firstIndex(of: "#") { path = String(path[..<fragment]) }
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        target = path
        guard !authority.contains("@") else {
            throw HTTPError("credentials in the URL are not supported; send an Authorization header")
        }
        var hostPart = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw HTTPError("unterminated IPv6 address in URL") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw HTTPError("malformed URL authority")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw HTTPError("the URL has no host") }
        host = String(hostPart)
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else { throw HTTPError("invalid port in URL") }
            port = number
        } else {
            port = isTLS ? 443 : 80
        }
    }
}
