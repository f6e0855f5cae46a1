import Foundation
import Testing
@testable import TernMigration
@testable import TernState

/// The report's three renderings: HTML escapes every value, Markdown keeps its tables intact
/// whatever the values hold, JSON round-trips with ISO 8601 dates and sorted keys.
@Suite struct ReportRendererTests {
    static let hostile = "<script>alert(1)</script>&co"

    /// A report whose values try to break out: an address, notes and an error with markup,
    /// `&`, quotes, pipes and line breaks.
    static var report: MigrationReport {
        var inputs = MigrationReportTests.inputs
        inputs.inventory.append(InventoryObject(kind: .mailbox, address: "\(hostile)@acme.example",
            sources: [MigrationReportTests.source], status: .review,
            notes: ["pipe | in a note", "two\nlines", "say \"hi\" & 'bye' <b>bold</b>"]))
        inputs.runs.append(MigrationReportTests.run(user: "\(hostile)@acme.example", start: 80, status: "failed",
            error: "server said <NO> [ALERT] & left | here"))
        return MigrationReport.build(inputs)
    }

    @Test func htmlEscapesEveryValue() {
        let html = ReportRenderer.html(Self.report)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(!html.contains("<script"), "no script element, from the data or otherwise")
        #expect(!html.contains("<b>bold"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;co@acme.example"))
        #expect(html.contains("say &quot;hi&quot; &amp; &#39;bye&#39; &lt;b&gt;bold&lt;/b&gt;"))
        #expect(html.contains("server said &lt;NO&gt; [ALERT] &amp; left | here"))
        #expect(html.contains("<style>") && !html.contains("<link") && !html.contains("src="), "self-contained")
        #expect(html.contains("Content-Security-Policy"))
        // Every & in the page starts a character reference.
        let ampersands = html.components(separatedBy: "&").dropFirst()
        #expect(ampersands.allSatisfy { $0.hasPrefix("amp;") || $0.hasPrefix("lt;") || $0.hasPrefix("gt;")
            || $0.hasPrefix("quot;") || $0.hasPrefix("#39;") })
    }

    @Test func markdownTablesSurvivePipesAndMarkup() {
        let markdown = ReportRenderer.markdown(Self.report)
        var tables = 0
        var columns = 0
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                columns = 0
                continue
            }
            let cells = Self.unescapedPipes(String(line)) - 1
            if columns == 0 {
                columns = cells
                tables += 1
            }
            #expect(cells == columns, "a row with another number of cells: \(line)")
        }
        #expect(tables >= 6)
        #expect(markdown.contains("pipe \\| in a note; two lines"), "pipe escaped, line break flattened")
        #expect(markdown.contains("\\<script\\>alert(1)\\</script\\>\\&co@acme.example"))
        #expect(markdown.contains("server said \\<NO\\> \\[ALERT\\] & left \\| here"), "a lone & stays")
        #expect(!markdown.replacingOccurrences(of: "\\<", with: "").contains("<"),
            "no unescaped <: raw HTML would pass through a Markdown viewer")
        #expect(markdown.contains("| ann@acme.example | ann@acme.example | pilot | verified |"))
    }

    @Test func markdownInlineEscaping() {
        #expect(ReportRenderer.markdownInline("first_last@acme.example") == "first_last@acme.example")
        #expect(ReportRenderer.markdownInline("_x_ *y* `z` [a](b) \\") == "\\_x\\_ \\*y\\* \\`z\\` \\[a\\](b) \\\\")
        #expect(ReportRenderer.markdownInline("R&D &amp; Co") == "R\\&D \\&amp; Co")
        #expect(ReportRenderer.markdownInline("# not a heading", lineStart: true) == "\\# not a heading")
        #expect(ReportRenderer.markdownInline("a\r\nb\nc") == "a b c")
    }

    @Test func jsonRoundTripsWithISODatesAndSortedKeys() throws {
        let report = MigrationReport.build(MigrationReportTests.inputs)
        let json = ReportRenderer.json(report)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(MigrationReport.self, from: Data(json.utf8)) == report)
        #expect(json.contains("\"generatedAt\" : \"2027-01-15T11:20:00Z\""))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["attention", "checklist", "generatedAt", "inventory", "mailboxes", "project",
                                         "routing", "totals", "unlinkedRuns", "version", "waves"])
        let topKeys = json.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(topKeys == topKeys.sorted(), "keys in a stable order")
        #expect(ReportRenderer.json(report) == json, "the same state gives the same bytes")
    }

    /// `|` not preceded by a backslash.
    static func unescapedPipes(_ line: String) -> Int {
        var count = 0
        var escaped = false
        for character in line {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                count += 1
            }
        }
        return count
    }
}
