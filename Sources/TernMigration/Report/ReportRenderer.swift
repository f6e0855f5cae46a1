import Foundation

/// Writes a `MigrationReport` for a client: Markdown (tables), one self-contained HTML file
/// (inline CSS, no scripts, every value escaped) or JSON (the Codable value: sorted keys,
/// ISO 8601 dates; a fact never recorded is left out).
///
/// Here rather than in TernCLI's `Output/` because, like `RoutingTable`'s export formats, a
/// report is a file handed to someone, not terminal output, and the renderers' escaping is
/// tested without running the command.
public enum ReportRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case md, html, json
    }

    public static func render(_ report: MigrationReport, as format: Format) -> String {
        switch format {
        case .md: markdown(report)
        case .html: html(report)
        case .json: json(report)
        }
    }

    // MARK: - JSON

    public static func json(_ report: MigrationReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Every member is a plain value type: encoding cannot fail.
        guard let data = try? encoder.encode(report) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: - Markdown

    public static func markdown(_ report: MigrationReport) -> String {
        let document = ReportDocument(report)
        var out = "# \(markdownInline(document.title))\n"
        for block in document.blocks {
            out += "\n"
            switch block {
            case .heading(let text):
                out += "## \(markdownInline(text))\n"
            case .paragraph(let text):
                out += markdownInline(text, lineStart: true) + "\n"
            case .facts(let facts):
                for fact in facts { out += "- **\(markdownInline(fact.label)):** \(markdownInline(fact.value.text))\n" }
            case .table(let headers, let rows):
                out += "| " + headers.map { markdownInline($0) }.joined(separator: " | ") + " |\n"
                out += "|" + String(repeating: "---|", count: headers.count) + "\n"
                for row in rows {
                    let cells = row.map { $0.text.isEmpty ? " " : markdownInline($0.text) }
                    out += "| " + cells.joined(separator: " | ") + " |\n"
                }
            }
        }
        return out
    }

    /// Text safe inside a Markdown paragraph or table cell: line breaks become spaces; `|`
    /// (which would end a cell), `\`, emphasis and link characters, `<` (raw HTML) and `&`
    /// before a name (an entity) are backslash-escaped. `_` inside a word (`first_last@`)
    /// stays as it is: it cannot start emphasis there.
    static func markdownInline(_ text: String, lineStart: Bool = false) -> String {
        let characters = Array(text.replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " "))
        var out = ""
        for (index, character) in characters.enumerated() {
            let before = index > 0 ? characters[index - 1] : nil
            let after = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "\\", "|", "*", "`", "[", "]", "<", ">":
                out.append("\\")
            case "_" where !(before?.isLetter == true || before?.isNumber == true)
                || !(after?.isLetter == true || after?.isNumber == true):
                out.append("\\")
            case "&" where after?.isLetter == true || after == "#":
                out.append("\\")
            case "#", "-", "+", "=":
                // Would start a heading, list or underline at the start of a line.
                if lineStart && index == 0 { out.append("\\") }
            default:
                break
            }
            out.append(character)
        }
        return out
    }

    // MARK: - HTML

    public static func html(_ report: MigrationReport) -> String {
        let document = ReportDocument(report)
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(document.title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <h1>\(escape(document.title))</h1>

            """
        for block in document.blocks {
            switch block {
            case .heading(let text):
                out += "<h2>\(escape(text))</h2>\n"
            case .paragraph(let text):
                out += "<p>\(escape(text))</p>\n"
            case .facts(let facts):
                out += "<dl>\n"
                for fact in facts {
                    out += "<dt>\(escape(fact.label))</dt><dd\(toneClass(fact.value.tone))>\(escape(fact.value.text))</dd>\n"
                }
                out += "</dl>\n"
            case .table(let headers, let rows):
                out += "<table>\n<thead><tr>" + headers.map { "<th>\(escape($0))</th>" }.joined()
                    + "</tr></thead>\n<tbody>\n"
                for row in rows {
                    out += "<tr>" + row.map { "<td\(toneClass($0.tone))>\(escape($0.text))</td>" }.joined() + "</tr>\n"
                }
                out += "</tbody>\n</table>\n"
            }
        }
        out += "<footer>Written by tern report.</footer>\n</body>\n</html>\n"
        return out
    }

    /// Text and attribute values: `&`, `<`, `>`, `"` and `'` as character references.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func toneClass(_ tone: ReportDocument.Tone) -> String {
        tone == .plain ? "" : " class=\"\(tone.rawValue)\""
    }

    static let style = """
        body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; margin: 2em auto; max-width: 1200px; padding: 0 1em; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
        dt { font-weight: 600; }
        dd { margin: 0; }
        table { border-collapse: collapse; width: 100%; margin: 0.6em 0; }
        th, td { border: 1px solid #d0d7de; padding: 0.3em 0.5em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        th { background: #f6f8fa; }
        .good { color: #1a7f37; }
        .warn { color: #9a6700; }
        .bad { color: #cf222e; font-weight: 600; }
        footer { margin-top: 2em; color: #656d76; font-size: 0.9em; }
        @media print { body { margin: 0; max-width: none; } }
        """
}
