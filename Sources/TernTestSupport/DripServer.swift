import Foundation

/// A loopback server that never finishes an answer: it sends `greeting`, optionally waits for
/// the client's first command, then sends `line` over and over, one byte every 50 ms, for 30 s.
/// The idle limit of a client never fires against it; only a deadline per command does. A
/// small Python script (tests only), so no protocol server needs bending.
public final class DripServer {
    public let port: Int
    private let process: Process
    private let directory: URL

    static let script = #"""
        import os, socket, sys, time
        port_file, greeting, reads_first, line = sys.argv[1], sys.argv[2].encode(), sys.argv[3] == "1", sys.argv[4].encode()
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with open(port_file + ".tmp", "w") as f:
            f.write(str(server.getsockname()[1]))
        os.rename(port_file + ".tmp", port_file)
        server.settimeout(30)
        client, _ = server.accept()
        try:
            if greeting:
                client.sendall(greeting)
            if reads_first:
                client.recv(1000)
            end = time.time() + 30
            while time.time() < end:
                for byte in line:
                    client.sendall(bytes([byte]))
                    time.sleep(0.05)
        except OSError:
            pass
        """#

    public init(greeting: String = "", readsCommandFirst: Bool = false, drip line: String) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-drip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let portFile = directory.appendingPathComponent("port").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, portFile, greeting, readsCommandFirst ? "1" : "0", line]
        try process.run()
        var port: Int?
        for _ in 0..<100 where port == nil {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let port else {
            process.terminate()
            throw TestEnvironmentError(message: "the drip server did not start")
        }
        self.port = port
    }

    public func stop() {
        process.terminate()
        try? FileManager.default.removeItem(at: directory)
    }
}
