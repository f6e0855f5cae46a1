/// A Postfix `virtual` alias table (the source text of `virtual_alias_maps`), as documented in
/// virtual(5) (https://www.postfix.org/virtual.5.html, "TABLE FORMAT"):
///
///     pattern result
///         "When pattern matches a mail address, replace it by the corresponding result."
///     blank lines and lines whose first non-whitespace character is `#` are ignored;
///     "a logical line starts with non-whitespace text. A line that starts with whitespace
///     continues a logical line."
///
/// Patterns are `user@domain`, `user` (a local domain's user: the project's first domain here)
/// and `@domain` (catch-all). A pattern that is a bare domain declares a virtual alias domain
/// (the result is ignored) and yields nothing. Results are addresses separated by commas or
/// white space. Regular-expression and PCRE tables (`/^…$/`) are not lookup tables of
/// addresses and are reported as bad rows.
struct PostfixVirtualImporter: InventoryImporter {
    func parse(_ text: String, file: String, context: ImportContext) -> ImportResult {
        var result = ImportResult()
        var logical: [(line: Int, text: String)] = []
        for (number, line) in ImportText.lines(text) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.first?.isWhitespace == true, !logical.isEmpty {
                logical[logical.count - 1].text += " " + trimmed
            } else if line.first?.isWhitespace == true {
                result.bad(.init(file: file, line: number), "a continuation line with nothing to continue")
            } else {
                logical.append((number, trimmed))
            }
        }
        for (line, entry) in logical {
            let source = InventoryObject.Source(file: file, line: line)
            let fields = entry.split(maxSplits: 1, whereSeparator: \.isWhitespace).map(String.init)
            let pattern = fields[0]
            if pattern.hasPrefix("/") {
                result.bad(source, "a regular-expression pattern (regexp/pcre table); list addresses instead")
                continue
            }
            guard fields.count == 2, !fields[1].trimmingCharacters(in: .whitespaces).isEmpty else {
                result.bad(source, "\"\(pattern)\" has no result (pattern, white space, then addresses)")
                continue
            }
            if !pattern.contains("@") && pattern.contains(".") {
                // `example.com  anything`: a virtual alias domain (virtual(5), "virtual alias domain").
                do {
                    _ = try AddressNormalizer.domain(pattern)
                } catch {
                    result.bad(source, "\(error)")
                }
                continue
            }
            do {
                let address = try AddressNormalizer.address(pattern, defaultDomain: context.defaultDomain)
                var targets: [String] = []
                for raw in fields[1].split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
                    targets.append(try AddressNormalizer.address(String(raw), defaultDomain: context.defaultDomain))
                }
                result.add(.routing(address: address, targets: targets, source: source, context: context))
            } catch {
                result.bad(source, "\(error)")
            }
        }
        return result
    }
}
