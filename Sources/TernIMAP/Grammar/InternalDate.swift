import Foundation

/// A message's INTERNALDATE (RFC 9051 §2.3.3, `date-time`): calendar components as the server
/// wrote them plus the zone offset, so a migration can append with exactly the same value.
///
/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`
public struct InternalDate: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    /// 1…12.
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// Offset from UTC in minutes (`+0130` → 90, `-0800` → −480).
    public var zoneMinutes: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, zoneMinutes: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.zoneMinutes = zoneMinutes
    }

    /// The local time of `date` in a zone `zoneMinutes` east of UTC.
    public init(_ date: Date, zoneMinutes: Int = 0) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: zoneMinutes * 60) ?? TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        self.init(
            year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1,
            hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0,
            zoneMinutes: zoneMinutes)
    }

    /// The instant this date denotes.
    public var date: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = DateComponents(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        let local = calendar.date(from: parts) ?? Date(timeIntervalSince1970: 0)
        return local.addingTimeInterval(TimeInterval(-zoneMinutes * 60))
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The wire form without quotes: `dd-Mon-yyyy hh:mm:ss +zzzz` (day space-padded, as
    /// `date-day-fixed` allows and most servers send).
    public var description: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let dayText = day < 10 ? " \(day)" : "\(day)"
        let monthText = (1...12).contains(month) ? Self.monthNames[month - 1] : "Jan"
        var yearText = String(year)
        while yearText.count < 4 { yearText = "0" + yearText }
        let sign = zoneMinutes < 0 ? "-" : "+"
        let zone = abs(zoneMinutes)
        return "\(dayText)-\(monthText)-\(yearText) \(two(hour)):\(two(minute)):\(two(second)) "
            + "\(sign)\(two(zone / 60))\(two(zone % 60))"
    }
}
