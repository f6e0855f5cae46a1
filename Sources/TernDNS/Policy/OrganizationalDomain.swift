/// The organizational domain for DMARC policy fallback (RFC 7489 §3.2).
///
/// Tern does not ship the Public Suffix List. It uses a simple rule: the last two labels, or the
/// last three when the last two are one of a short built-in list of well-known multi-label public
/// suffixes (`co.uk`, `com.au`, …). This is right for the common cases and wrong for exotic
/// suffixes; `dns check` says which organizational domain it used.
public enum OrganizationalDomain {
    public static let multiLabelSuffixes: Set<String> = [
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk",
        "com.au", "net.au", "org.au", "edu.au", "gov.au",
        "co.nz", "org.nz", "net.nz", "co.jp", "or.jp", "ne.jp", "ac.jp",
        "com.br", "net.br", "org.br", "co.za", "org.za", "com.cn", "net.cn", "org.cn",
        "com.mx", "com.ar", "com.tr", "co.in", "net.in", "org.in", "co.kr", "com.sg", "com.hk",
        "co.il", "com.tw", "com.my", "co.id", "com.pl",
    ]

    public static func of(_ name: DNSName) -> DNSName {
        let labels = name.labels
        guard labels.count > 2 else { return name }
        let lastTwo = DNSName.key(labels.suffix(2))
        return name.suffix(multiLabelSuffixes.contains(lastTwo) ? 3 : 2)
    }
}
