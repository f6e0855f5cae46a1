/// Column-aligned plain-text tables, as every command's human output prints them: two spaces
/// between columns, no trailing spaces, one line per row.
enum TextTable {
    /// - Parameters:
    ///   - rightAligned: column indexes padded on the left (counts, sizes).
    ///   - maxWidth: a column wider than this no longer pushes the others right (long
    ///     target lists); its cells still print whole.
    ///   - indent: put before every line.
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = [], maxWidth: Int = .max,
                       indent: String = "") -> String {
        var widths = header.map { min(maxWidth, $0.count) }
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], min(maxWidth, cell.count))
            }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell -> String in
                let pad = String(repeating: " ", count: max(0, (index < widths.count ? widths[index] : 0) - cell.count))
                return rightAligned.contains(index) ? pad + cell : cell + pad
            }
            var text = indent + padded.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text + "\n"
        }
        return line(header) + rows.map(line).joined()
    }
}
