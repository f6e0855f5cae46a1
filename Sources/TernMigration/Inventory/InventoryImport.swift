import Foundation

/// The file formats `tern inventory import` reads, one importer file each in `Importers/`.
public enum InventoryFormat: String, Sendable, CaseIterable, Codable {
    /// The batch CSV of `tern batch` (classic `source_user,source_pass,dest_user,dest_pass` or header-named).
    case mailboxCSV = "mailbox-csv"
    /// Tern's typed CSV: `type,address,targets,display_name,destination,size,keep_copy,notes`.
    case typedCSV = "csv"
    /// A Postfix `virtual` alias table.
    case postfix
    /// A cPanel `/etc/valiases/DOMAIN` file.
    case cpanel
    /// A Dovecot passwd-file.
    case dovecot
    /// A Microsoft 365 / Exchange Online recipient export (Get-Recipient | Export-Csv).
    case m365
    /// A Google Workspace user or group export.
    case google

    public var importer: any InventoryImporter {
        switch self {
        case .mailboxCSV: MailboxCSVImporter()
        case .typedCSV: TypedCSVImporter()
        case .postfix: PostfixVirtualImporter()
        case .cpanel: CPanelValiasesImporter()
        case .dovecot: DovecotPasswdImporter()
        case .m365: Microsoft365Importer()
        case .google: GoogleWorkspaceImporter()
        }
    }
}

/// What an importer knows beyond the file.
public struct ImportContext: Sendable {
    /// The project's domains (normalised); addresses there are local, others external.
    public var domains: [String]
    /// Domain for bare user names (Dovecot, cPanel account names); defaults to the first project domain.
    public var defaultDomain: String?

    public init(domains: [String], defaultDomain: String? = nil) {
        self.domains = domains
        self.defaultDomain = defaultDomain ?? domains.first
    }

    func isLocal(_ address: String, besides own: String? = nil) -> Bool {
        guard let domain = AddressNormalizer.domainOf(address) else { return true }
        return domains.contains(domain) || domain == own.flatMap(AddressNormalizer.domainOf)
    }
}

/// A row that was not imported (or imported with a caveat), as `file:line: reason`.
public struct InventoryProblem: Sendable, Equatable, CustomStringConvertible {
    public var source: InventoryObject.Source
    public var message: String
    public init(_ source: InventoryObject.Source, _ message: String) {
        self.source = source
        self.message = message
    }
    public var description: String { "\(source): \(message)" }
}

public struct ImportResult: Sendable {
    public var objects: [InventoryObject] = []
    /// Bad rows, left out.
    public var problems: [InventoryProblem] = []
    /// Imported, but worth a look (merged duplicates, conflicts, things that cannot be recreated as is).
    public var warnings: [InventoryProblem] = []
    public init() {}
}

/// Reads one file of one format. Implementations never throw for a bad row: they report it
/// as a problem and go on.
public protocol InventoryImporter: Sendable {
    func parse(_ text: String, file: String, context: ImportContext) -> ImportResult
}

public struct InventoryImportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension InventoryFormat {
    /// Reads and parses `path`. UTF-8 (with or without BOM) and UTF-16 with BOM (what
    /// Windows PowerShell's `Export-Csv -Encoding Unicode` writes) are accepted.
    public func read(_ path: String, context: ImportContext) throws(InventoryImportError) -> ImportResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InventoryImportError(message: "cannot read \(path)")
        }
        guard let text = Self.decode(data) else { throw InventoryImportError(message: "\(path) is not UTF-8 or UTF-16 text") }
        return parse(text, file: path, context: context)
    }

    /// Parses `text` and merges duplicates within it (with a warning each).
    public func parse(_ text: String, file: String, context: ImportContext) -> ImportResult {
        var result = importer.parse(text, file: file, context: context)
        let merged = InventoryNormalizer.merge(existing: [], incoming: result.objects)
        result.objects = merged.objects
        result.warnings += merged.warnings
        result.problems.sort { $0.source.line < $1.source.line }
        result.warnings.sort { $0.source.line < $1.source.line }
        return result
    }

    static func decode(_ data: Data) -> String? {
        let bytes = [UInt8](data.prefix(3))
        if bytes.starts(with: [0xFF, 0xFE]) { return String(data: data.dropFirst(2), encoding: .utf16LittleEndian) }
        if bytes.starts(with: [0xFE, 0xFF]) { return String(data: data.dropFirst(2), encoding: .utf16BigEndian) }
        if bytes == [0xEF, 0xBB, 0xBF] { return String(data: data.dropFirst(3), encoding: .utf8) }
        return String(data: data, encoding: .utf8)
    }
}

// MARK: - Helpers the importers share

enum ImportText {
    /// Lines with their 1-based numbers; `\r\n` and `\r` count as line ends.
    static func lines(_ text: String) -> [(number: Int, text: String)] {
        var result: [(Int, String)] = []
        var number = 0
        text.enumerateLines { line, _ in
            number += 1
            result.append((number, line))
        }
        return result
    }

    /// Splits a cell holding several addresses (`;`, `,` or white space between them).
    static func addressList(_ cell: String) -> [String] {
        cell.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isWhitespace }).map(String.init)
    }

    /// "48 GB", "1.5 GiB", "950 MB", "1234567", "2.1 GB (2,254,857,830 bytes)" → bytes. An exact
    /// byte count in parentheses wins; kB/MB/GB/TB (and k/m/g/t) are decimal, as providers state
    /// quotas and limits and as every Tern plan prints them; KiB/MiB/GiB/TiB are binary.
    static func size(_ cell: String) -> Int64? {
        let text = cell.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        if let open = text.firstIndex(of: "("), let bytesRange = text.range(of: "bytes", range: open..<text.endIndex) {
            let digits = text[text.index(after: open)..<bytesRange.lowerBound].filter(\.isNumber)
            if let value = Int64(digits) { return value }
        }
        let scanner = Scanner(string: text.replacingOccurrences(of: ",", with: ""))
        guard let number = scanner.scanDouble(), number >= 0 else { return nil }
        let unit = text.drop(while: { $0.isNumber || $0 == "." || $0 == "," || $0 == " " }).lowercased()
        let powers: [Character: Double] = ["k": 1, "m": 2, "g": 3, "t": 4]
        let multiplier: Double
        if unit.isEmpty || unit == "b" || unit.hasPrefix("byte") {
            multiplier = 1
        } else if let first = unit.first, let power = powers[first],
                  ["", "b", "ib"].contains(unit.dropFirst()) {
            multiplier = pow(unit.hasSuffix("ib") ? 1024 : 1000, power)
        } else {
            return nil
        }
        return Int64(number * multiplier)
    }

    /// A CSV file whose first non-comment record names its columns (case-insensitive).
    struct Table {
        var header: [String]
        var headerLine: Int
        var rows: [(line: Int, cells: [String: String], count: Int)]
    }

    /// Returns nil when the file has no header. Blank records and records starting with `#`
    /// (comments, and the `#TYPE …` line of Windows PowerShell's Export-Csv) are skipped.
    static func table(_ text: String, file: String, problems: inout [InventoryProblem]) -> Table? {
        var table: Table?
        for (line, fields) in CSVReader.records(text) {
            let trimmed = fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if trimmed.allSatisfy(\.isEmpty) || trimmed.first?.hasPrefix("#") == true { continue }
            guard let current = table else {
                table = Table(header: trimmed.map { $0.lowercased() }, headerLine: line, rows: [])
                continue
            }
            guard trimmed.count == current.header.count else {
                problems.append(InventoryProblem(.init(file: file, line: line),
                    "expected \(current.header.count) columns as in the header, found \(trimmed.count)"))
                continue
            }
            var cells: [String: String] = [:]
            for (name, value) in zip(current.header, trimmed) where cells[name] == nil { cells[name] = value }
            table?.rows.append((line, cells, trimmed.count))
        }
        return table
    }
}

extension InventoryObject {
    /// The routing object an `address → targets` line describes (Postfix virtual, cPanel valiases):
    /// - `@domain` → catch-all;
    /// - mapped only to itself → mailbox; to itself and others → forwarder keeping a copy;
    /// - one local target → alias; one outside target → forwarder; several → group.
    static func routing(address: String, targets: [String], source: Source, context: ImportContext) -> InventoryObject {
        var unique: [String] = []
        for target in targets where !unique.contains(target) { unique.append(target) }
        if address.hasPrefix("@") {
            return InventoryObject(kind: .catchall, address: address, targets: unique, sources: [source])
        }
        let others = unique.filter { $0 != address }
        if others.isEmpty { return InventoryObject(kind: .mailbox, address: address, sources: [source]) }
        if others.count < unique.count {
            return InventoryObject(kind: .forwarder, address: address, targets: others, sources: [source], keepCopy: true)
        }
        if others.count == 1 {
            let kind: Kind = context.isLocal(others[0], besides: address) ? .alias : .forwarder
            return InventoryObject(kind: kind, address: address, targets: others, sources: [source])
        }
        return InventoryObject(kind: .group, address: address, targets: others, sources: [source])
    }
}

extension ImportResult {
    mutating func bad(_ source: InventoryObject.Source, _ message: String) {
        problems.append(InventoryProblem(source, message))
    }

    mutating func warn(_ source: InventoryObject.Source, _ message: String) {
        warnings.append(InventoryProblem(source, message))
    }

    /// Adds the object; `InventoryFormat.parse` merges duplicates within the file afterwards.
    mutating func add(_ object: InventoryObject) {
        objects.append(object)
    }
}
