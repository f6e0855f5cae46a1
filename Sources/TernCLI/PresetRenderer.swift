import TernCore

/// The human-readable form of a resolved preset (`tern preset show`).
enum PresetRenderer {
    static func render(_ preset: ProviderPreset) -> String {
        var lines = ["\(preset.name) — \(preset.description)"]
        if let source = preset.source { lines.append("  file:        \(source)") }
        let imap = preset.imap
        lines.append("  imap:        \(imap.host ?? "(give --host)"):\(imap.port.map(String.init) ?? "default")"
            + " tls=\(imap.tls ?? "default")" + (imap.auth.map { " auth=" + $0.joined(separator: ",") } ?? "")
            + (imap.adminSeparator.map { " admin-separator=\($0)" } ?? ""))
        let limits = preset.limits
        var limitParts: [String] = []
        if let value = limits.maxConnections { limitParts.append("connections=\(value)") }
        if let value = limits.bytesPerDay { limitParts.append("bytes/day=\(ByteCount.format(value))") }
        if let value = limits.messagesPerSecond { limitParts.append("messages/s=\(value)") }
        if let value = limits.maxMessageSize { limitParts.append("max-message=\(ByteCount.format(value))") }
        if !limitParts.isEmpty { lines.append("  limits:      " + limitParts.joined(separator: " ")) }
        for (use, name) in preset.folders.specialUse.sorted(by: { $0.key < $1.key }) {
            lines.append("  special-use: \(use) = \(name)")
        }
        if !preset.folders.skip.isEmpty { lines.append("  skip:        " + preset.folders.skip.joined(separator: ", ")) }
        if let dns = preset.dns {
            for mx in dns.mx { lines.append("  dns mx:      \(mx)") }
            if let spf = dns.spfInclude { lines.append("  dns spf:     include:\(spf)") }
            if let dkim = dns.dkimSelector { lines.append("  dns dkim:    selector \(dkim)") }
            if let dmarc = dns.dmarc { lines.append("  dns dmarc:   \(dmarc)") }
        }
        for quirk in preset.quirks { lines.append("  quirk:       \(quirk)") }
        for reference in preset.references { lines.append("  see:         \(reference)") }
        return lines.joined(separator: "\n")
    }
}
