/// Byte counts for people, the one form every Tern output uses: "999 B", "1.5 MB", "48.0 GB".
/// Decimal units (1 KB = 1000 bytes), as providers state quotas and limits and as
/// `tern inventory import` reads sizes back; one decimal place.
public enum ByteCount {
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value.magnitude >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        var tenths = Int64((value * 10).rounded())
        // 999,960 bytes rounds to 1000.0 KB: say 1.0 MB instead.
        if tenths.magnitude >= 10_000, unit < units.count - 1 {
            tenths = Int64((value / 100).rounded())
            unit += 1
        }
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(tenths.magnitude / 10).\(tenths.magnitude % 10) \(units[unit])"
    }
}
