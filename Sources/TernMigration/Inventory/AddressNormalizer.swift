import Foundation
import TernCore

/// Puts an email address or a domain into the one form the inventory keys on.
///
/// - The domain is lower-cased, a trailing root dot dropped, and each internationalised label
///   becomes its A-label (`xn--` + Punycode, RFC 3492 / RFC 5891 §4.4) after Unicode NFC and
///   lower-casing. This is IDNA's transformation for the common case, not the full UTS #46
///   mapping table: exotic compatibility characters are kept as given and usually rejected by
///   the letter-digit-hyphen check below.
/// - The local part is kept as given, apart from surrounding white space: RFC 5321 §2.4 says
///   only the destination host may interpret it, so `Alice` and `alice` stay two addresses.
/// - `@domain` is a catch-all address (Postfix virtual(5) form).
public enum AddressNormalizer {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    /// `user@domain` or `@domain` in inventory form. A bare `user` gets `defaultDomain` when given.
    public static func address(_ raw: String, defaultDomain: String? = nil) throws(Failure) -> String {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("<") && text.hasSuffix(">") && text.count >= 2 {
            text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        guard !text.isEmpty else { throw Failure("the address is empty") }
        guard let at = text.lastIndex(of: "@") else {
            guard let defaultDomain else { throw Failure("\"\(text)\" has no @domain") }
            return try address(text + "@" + defaultDomain)
        }
        let local = String(text[..<at])
        let domainPart = String(text[text.index(after: at)...])
        let asciiDomain = try domain(domainPart)
        if local.isEmpty { return "@" + asciiDomain }
        try checkLocalPart(local, in: text)
        return local + "@" + asciiDomain
    }

    /// RFC 5321 §4.5.3.1.1 (64 octets) and §4.1.2: no white space, controls or angle brackets
    /// outside a quoted string; nothing more is checked (servers accept far less than the RFC).
    static func checkLocalPart(_ local: String, in text: String) throws(Failure) {
        guard local.utf8.count <= 64 else { throw Failure("the local part of \"\(text)\" is longer than 64 octets") }
        let quoted = local.hasPrefix("\"") && local.hasSuffix("\"") && local.count >= 2
        if !quoted {
            if local.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0.value < 0x20 || $0 == "<" || $0 == ">" || $0 == ","
                    || $0 == "\"" || $0 == "@" || $0 == ";" || $0 == ":" || $0 == "(" || $0 == ")"
            }) {
                throw Failure("\"\(text)\" is not an email address (bad character in the local part)")
            }
            if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
                throw Failure("\"\(text)\" is not an email address (misplaced dot in the local part)")
            }
        }
    }

    /// A domain in A-label form, lower case. RFC 1035 §2.3.4 (63 per label, 253 in all) and
    /// RFC 5891 §4.2.3.1 (no hyphen first or last).
    public static func domain(_ raw: String) throws(Failure) -> String {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix(".") { text.removeLast() }
        guard !text.isEmpty else { throw Failure("the domain is empty") }
        // IDNA2008 also treats the ideographic and full-width full stops as label separators.
        for stop in ["\u{3002}", "\u{FF0E}", "\u{FF61}"] { text = text.replacingOccurrences(of: stop, with: ".") }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        var result: [String] = []
        for label in labels {
            let label = String(label)
            guard !label.isEmpty else { throw Failure("\"\(raw)\" has an empty label") }
            var ascii: String
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                ascii = label.lowercased()
            } else {
                let folded = label.precomposedStringWithCanonicalMapping.lowercased()
                do {
                    ascii = "xn--" + (try Punycode.encode(folded))
                } catch {
                    throw Failure("\"\(label)\" cannot be converted to an A-label: \(error)")
                }
            }
            guard ascii.utf8.count <= 63 else { throw Failure("the label \"\(label)\" is longer than 63 octets") }
            guard ascii.unicodeScalars.allSatisfy({ ("a"..."z").contains($0)
                || ("0"..."9").contains($0) || $0 == "-" }) else {
                throw Failure("\"\(raw)\" is not a domain name (letters, digits and hyphens only)")
            }
            guard !ascii.hasPrefix("-"), !ascii.hasSuffix("-") else {
                throw Failure("the label \"\(label)\" starts or ends with a hyphen")
            }
            if ascii.hasPrefix("xn--") {
                do {
                    _ = try Punycode.decode(String(ascii.dropFirst(4)))
                } catch {
                    throw Failure("the label \"\(label)\" is not valid Punycode: \(error)")
                }
            }
            result.append(ascii)
        }
        let joined = result.joined(separator: ".")
        guard joined.utf8.count <= 253 else { throw Failure("\"\(raw)\" is longer than 253 octets") }
        return joined
    }

    /// The domain of an inventory address (`alice@example.com` → `example.com`, `@example.com` → `example.com`).
    public static func domainOf(_ address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        return String(address[address.index(after: at)...])
    }

    /// The local part of an inventory address (empty for a catch-all).
    public static func localPartOf(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return address }
        return String(address[..<at])
    }
}
