import Foundation
import TernCore

/// A list of mailboxes to migrate, read from CSV.
///
/// Two forms are accepted:
/// - the classic header-less `source_user,source_pass,dest_user,dest_pass` file that imapsync
///   batch scripts use (hosts come from the command line);
/// - a file whose first line names its columns: `source_user`/`user1`, `source_password`/
///   `password1`, `dest_user`/`user2`, `dest_password`/`password2`, and optionally per-row
///   `host1`, `port1`, `tls1`, `preset1`, `host2`, `port2`, `tls2`, `preset2`.
///
/// Blank lines and lines starting with `#` are ignored. A bad row (wrong column count, empty
/// user, bad port) is reported with file and line and left out; the rest run. An empty
/// password cell means "use the password option given on the command line".
public struct BatchFile: Sendable {
    public struct Row: Sendable {
        public var line: Int
        public var sourceUser: String
        public var sourcePassword: Secret?
        public var destinationUser: String
        public var destinationPassword: Secret?
        public var source = Overrides()
        public var destination = Overrides()
    }

    /// Per-row connection settings (header form only).
    public struct Overrides: Sendable, Equatable {
        public var host: String?
        public var port: Int?
        public var tls: String?
        public var preset: String?
    }

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    public var path: String
    public var rows: [Row]
    public var problems: [Problem]

    static let columns: [String: String] = [
        "source_user": "user1", "user1": "user1", "src_user": "user1",
        "source_pass": "password1", "source_password": "password1", "password1": "password1", "src_pass": "password1",
        "dest_user": "user2", "destination_user": "user2", "user2": "user2",
        "dest_pass": "password2", "dest_password": "password2", "destination_password": "password2",
        "password2": "password2",
        "host1": "host1", "source_host": "host1", "port1": "port1", "source_port": "port1", "tls1": "tls1",
        "preset1": "preset1", "source_preset": "preset1",
        "host2": "host2", "dest_host": "host2", "destination_host": "host2", "port2": "port2", "dest_port": "port2",
        "tls2": "tls2", "preset2": "preset2", "dest_preset": "preset2",
    ]

    public static func read(_ path: String) throws(BatchFileError) -> BatchFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BatchFileError(message: "cannot read the batch file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BatchFileError(message: "\(path) is not UTF-8 text")
        }
        return parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) -> BatchFile {
        var file = BatchFile(path: path, rows: [], problems: [])
        var header: [String]?
        for (line, fields) in CSVReader.records(text) {
            let trimmed = fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if trimmed.allSatisfy(\.isEmpty) || trimmed.first?.hasPrefix("#") == true { continue }
            if header == nil && file.rows.isEmpty && file.problems.isEmpty,
               trimmed.contains(where: { columns[$0.lowercased()] != nil && $0.lowercased().contains("user") }) {
                let names = trimmed.map { columns[$0.lowercased()] }
                if let unknown = trimmed.enumerated().first(where: { names[$0.offset] == nil }) {
                    file.problems.append(Problem(file: path, line: line,
                        message: "unknown column \"\(unknown.element)\" (known: \(Set(columns.values).sorted().joined(separator: ", ")))"))
                }
                header = names.map { $0 ?? "" }
                for required in ["user1", "user2"] where !(header ?? []).contains(required) {
                    file.problems.append(Problem(file: path, line: line, message: "the header has no \(required) column"))
                }
                continue
            }
            do {
                file.rows.append(try row(trimmed, raw: fields, line: line, header: header))
            } catch {
                file.problems.append(Problem(file: path, line: line, message: error.message))
            }
        }
        return file
    }

    private static func row(_ fields: [String], raw: [String], line: Int, header: [String]?) throws(BatchFileError) -> Row {
        var values: [String: String] = [:]
        if let header {
            guard fields.count == header.count else {
                throw BatchFileError(message: "expected \(header.count) columns as in the header, found \(fields.count)")
            }
            for (index, name) in header.enumerated() where !name.isEmpty {
                // Passwords keep their spaces; everything else is trimmed.
                values[name] = name.hasPrefix("password") ? raw[index] : fields[index]
            }
        } else {
            guard fields.count == 4 else {
                throw BatchFileError(message: "expected 4 columns (source_user,source_pass,dest_user,dest_pass), "
                    + "found \(fields.count)")
            }
            values = ["user1": fields[0], "password1": raw[1], "user2": fields[2], "password2": raw[3]]
        }
        guard let user1 = values["user1"], !user1.isEmpty else { throw BatchFileError(message: "the source user is empty") }
        guard let user2 = values["user2"], !user2.isEmpty else {
            throw BatchFileError(message: "the destination user is empty")
        }
        func port(_ key: String) throws(BatchFileError) -> Int? {
            guard let text = values[key], !text.isEmpty else { return nil }
            guard let value = Int(text), (1...65535).contains(value) else {
                throw BatchFileError(message: "\(key) \"\(text)\" is not a port number")
            }
            return value
        }
        func tls(_ key: String) throws(BatchFileError) -> String? {
            guard let text = values[key]?.lowercased(), !text.isEmpty else { return nil }
            guard ["implicit", "starttls", "plain"].contains(text) else {
                throw BatchFileError(message: "\(key) \"\(text)\" must be implicit, starttls or plain")
            }
            return text
        }
        func nonEmpty(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
        return Row(
            line: line, sourceUser: user1, sourcePassword: nonEmpty("password1").map(Secret.init),
            destinationUser: user2, destinationPassword: nonEmpty("password2").map(Secret.init),
            source: Overrides(host: nonEmpty("host1"), port: try port("port1"), tls: try tls("tls1"),
                preset: nonEmpty("preset1")),
            destination: Overrides(host: nonEmpty("host2"), port: try port("port2"), tls: try tls("tls2"),
                preset: nonEmpty("preset2")))
    }
}

public struct BatchFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks. Yields each
/// record with the line it starts on.
enum CSVReader {
    static func records(_ text: String) -> [(line: Int, fields: [String])] {
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var recordLine = 1
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                records.append((recordLine, fields))
                fields = []
                field = ""
                line += 1
                recordLine = line
            default: field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }
}
