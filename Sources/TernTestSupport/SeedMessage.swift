import Foundation
import TernCore

/// A message a test puts into an account: where, which headers, which flags and arrival date.
/// `bytes` is the RFC 5322 text appended (CRLF line ends), padded to `padding` extra bytes.
public struct SeedMessage: Sendable {
    /// Portable folder path, e.g. `["Projects", "2024"]` or `["INBOX"]`.
    public var folder: [String]
    /// Without angle brackets; nil for a message that has no Message-ID header.
    public var messageID: String?
    public var subject: String
    public var from: String
    public var to: String
    /// The `Date:` header (RFC 5322 form).
    public var dateHeader: String
    public var flags: [String]
    public var internalDate: MailDate?
    /// Extra body bytes, to make a message large.
    public var padding: Int
    /// Distinguishes bodies of messages whose headers are the same.
    public var bodyText: String

    public init(folder: [String] = ["INBOX"], messageID: String?, subject: String,
                from: String = "Sender <sender@example.com>", to: String = "Owner <owner@example.com>",
                dateHeader: String = "Mon, 1 Jan 2024 10:00:00 +0000", flags: [String] = [],
                internalDate: MailDate? = nil, padding: Int = 0, bodyText: String? = nil) {
        self.folder = folder
        self.messageID = messageID
        self.subject = subject
        self.from = from
        self.to = to
        self.dateHeader = dateHeader
        self.flags = flags
        self.internalDate = internalDate
        self.padding = padding
        self.bodyText = bodyText ?? "Body of \(subject)."
    }

    public var bytes: [UInt8] {
        var text = ""
        if let messageID { text += "Message-ID: <\(messageID)>\r\n" }
        text += "Date: \(dateHeader)\r\nFrom: \(from)\r\nTo: \(to)\r\nSubject: \(subject)\r\n"
        text += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\(bodyText)\r\n"
        if padding > 0 {
            let line = String(repeating: "0123456789abcdef", count: 4) + "\r\n"
            text += String(repeating: line, count: max(1, padding / line.utf8.count))
        }
        return Array(text.utf8)
    }

    /// An arrival date given as calendar fields in a zone (`zoneMinutes` east of UTC).
    public static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int,
                            zoneMinutes: Int) -> MailDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: zoneMinutes * 60)!
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour,
            minute: minute, second: second))!
        return MailDate(date: date, zoneMinutes: zoneMinutes)
    }
}

/// A message as read back from a server folder.
public struct FixtureMessage: Sendable, Equatable, CustomStringConvertible {
    public var uid: UInt32
    public var messageID: String?
    public var subject: String?
    /// Normalised: `\Recent` dropped, sorted.
    public var flags: [String]
    public var internalDate: MailDate?
    public var size: Int64

    public var description: String {
        "\(messageID ?? "(none)") \(subject ?? "") [\(flags.joined(separator: " "))] \(size)B"
    }

    /// What must be equal between a source message and its copy (not the UID).
    public struct Essence: Hashable, Sendable, CustomStringConvertible {
        public var messageID: String?
        public var subject: String?
        public var flags: [String]
        public var seconds: Int64?
        public var zoneMinutes: Int?
        public var size: Int64
        public var description: String {
            let zone = zoneMinutes.map { "@\($0)" } ?? ""
            return "\(messageID ?? "-")|\(subject ?? "")|\(flags.joined(separator: " "))|\(seconds ?? -1)\(zone)|\(size)"
        }
    }

    public var essence: Essence {
        Essence(messageID: messageID, subject: subject, flags: flags,
            seconds: internalDate.map { Int64($0.date.timeIntervalSince1970.rounded()) },
            zoneMinutes: internalDate?.zoneMinutes, size: size)
    }
}
