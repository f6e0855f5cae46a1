/// One Sieve script per forwarder (RFC 5228), to install in the forwarding mailbox at the
/// destination (by hand, or over ManageSieve, RFC 5804):
///
///     require ["copy"];
///     redirect :copy "owner@gmail.com";
///
/// `redirect` (RFC 5228 §4.2) cancels the implicit keep, so a forwarder that does not keep a
/// copy is a plain `redirect`; one that keeps a copy uses `:copy` (RFC 3894 §3), which needs
/// `require "copy"`. Addresses are written as quoted strings (§2.4.2: `"` and `\` escaped).
extension RoutingTable {
    public func sieveScripts() -> [OutputFile] {
        entries.filter { $0.kind == .forwarder && $0.action == .deliver && !$0.targets.isEmpty }.map { entry in
            var lines = [
                "# Forwarder \(entry.address), from \(entry.sources.joined(separator: ", ")); written by tern routing export.",
                "# Install it as the active script of the mailbox \(entry.address) (ManageSieve, RFC 5804).",
            ]
            if !entry.keepCopy {
                lines.append("# The source kept no copy: mail is redirected and not delivered to this mailbox.")
            }
            if entry.status == .review {
                let why = entry.notes.isEmpty ? "" : " (\(entry.notes.joined(separator: "; ")))"
                lines.append("# REVIEW\(why): decide before installing; tern routing apply leaves it to you.")
            }
            if entry.keepCopy { lines.append("require [\"copy\"];") }
            for target in entry.targets {
                lines.append("redirect \(entry.keepCopy ? ":copy " : "")\(Self.sieveString(target));")
            }
            return OutputFile(name: entry.address + ".sieve", text: lines.joined(separator: "\n") + "\n")
        }
    }

    /// RFC 5228 §2.4.2 quoted-string.
    static func sieveString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
