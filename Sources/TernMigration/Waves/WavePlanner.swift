import Foundation
import TernCore

/// The three waves of a migration (docs/migration-project.md, "Waves").
public enum Wave: String, Sendable, Codable, CaseIterable {
    /// A few small mailboxes and one realistic one, copied first to prove the setup.
    case pilot
    /// The rest, largest first, copied while people still use the source.
    case preStage = "pre-stage"
    /// Everyone's delta pass at cutover (not stored on objects: every mailbox takes part).
    case final
}

/// One mailbox the planner places: its inventory address, scanned size and message count
/// (nil: unknown).
public struct WaveMailbox: Sendable, Equatable {
    public var address: String
    public var sizeBytes: Int64?
    public var messages: Int?

    public init(address: String, sizeBytes: Int64?, messages: Int? = nil) {
        self.address = address
        self.sizeBytes = sizeBytes
        self.messages = messages
    }
}

public struct WaveOptions: Sendable, Equatable {
    /// A conservative per-mailbox copy rate when nothing was measured: 10 Mbit/s (1.25 MB/s,
    /// about 105 GB a day) — well under what Tern reaches on a LAN (see benchmarks/), near what
    /// hosted providers allow one IMAP session in practice.
    public static let defaultThroughputMbps = 10.0

    /// Smallest mailboxes in the pilot (plus one of median size); 0: no pilot wave.
    public var pilotCount = 3
    /// The operator's pilot mailboxes; when not empty they replace the automatic choice.
    public var pilotAddresses: [String] = []
    /// One mailbox's copy rate in megabits per second.
    public var throughputMbps = defaultThroughputMbps
    /// The source provider's per-account daily download cap (preset `limits.bytes_per_day`).
    public var bytesPerDay: Int64?
    /// The source provider's per-account message rate cap (preset `limits.messages_per_second`):
    /// a mailbox of many small messages can take longer than its size says.
    public var messagesPerSecond: Double?
    /// Mailboxes copied at the same time during pre-stage.
    public var parallel = 4
    /// When pre-stage starts (now, normally).
    public var start: Date
    /// The MX cutover; mailboxes whose pre-stage copy would end after it are warned about.
    public var cutover: Date?

    public init(pilotCount: Int = 3, pilotAddresses: [String] = [], throughputMbps: Double = defaultThroughputMbps,
                bytesPerDay: Int64? = nil, messagesPerSecond: Double? = nil, parallel: Int = 4, start: Date = Date(),
                cutover: Date? = nil) {
        self.pilotCount = pilotCount
        self.pilotAddresses = pilotAddresses
        self.throughputMbps = throughputMbps
        self.bytesPerDay = bytesPerDay
        self.messagesPerSecond = messagesPerSecond
        self.parallel = parallel
        self.start = start
        self.cutover = cutover
    }

    /// Bytes per second one mailbox copies at: the throughput, capped by the daily limit.
    public var bytesPerSecond: Double {
        let measured = throughputMbps * 1_000_000 / 8
        guard let bytesPerDay, bytesPerDay > 0 else { return measured }
        return min(measured, Double(bytesPerDay) / 86_400)
    }

    /// One mailbox's copy time: its size at `bytesPerSecond`, or its message count at the
    /// provider's message rate when that is slower; nil when the size is unknown.
    public func seconds(sizeBytes: Int64?, messages: Int?) -> Double? {
        guard let sizeBytes else { return nil }
        let bySize = Double(sizeBytes) / bytesPerSecond
        guard let messages, let messagesPerSecond, messagesPerSecond > 0 else { return bySize }
        return max(bySize, Double(messages) / messagesPerSecond)
    }

    /// True when the provider's daily cap, not the throughput, sets the pace.
    public var limitedByProvider: Bool {
        guard let bytesPerDay, bytesPerDay > 0 else { return false }
        return Double(bytesPerDay) / 86_400 < throughputMbps * 1_000_000 / 8
    }
}

/// One mailbox's place in the plan.
public struct WaveEntry: Sendable, Equatable {
    public var address: String
    public var sizeBytes: Int64?
    public var wave: Wave
    /// The initial copy's estimated duration; nil when the size is unknown.
    public var seconds: Double?
    /// The scanned message count, when known (the provider's message rate may set the pace).
    public var messages: Int?
    /// When the simulated schedule starts and ends its copy (pre-stage only).
    public var startsAt: Date?
    public var finishesAt: Date?
    /// The last moment its copy can start and still end before the cutover.
    public var latestStart: Date?
    /// Its copy would end after the cutover.
    public var late: Bool
}

public struct WavePlan: Sendable, Equatable {
    /// Pilot entries (smallest first), then pre-stage entries (largest first, unknown sizes last).
    public var entries: [WaveEntry]
    public var warnings: [String]
    public var options: WaveOptions

    public func entries(in wave: Wave) -> [WaveEntry] {
        wave == .final ? entries : entries.filter { $0.wave == wave }
    }
}

/// The pure wave planner: no I/O, a plan from sizes, a rate and dates.
///
/// - pilot: the operator's `pilotAddresses`, else the `pilotCount` smallest scanned mailboxes
///   plus the median-size one of the rest (a realistic mailbox, not only easy ones);
/// - pre-stage: the rest, largest first, so the long copies start earliest; mailboxes never
///   scanned go last with a warning;
/// - final: everyone's delta pass at cutover.
///
/// Each mailbox's copy takes size / rate, the rate being the throughput capped by the
/// source's bytes-per-day limit. Pre-stage is simulated on `parallel` lanes from `start`; a
/// mailbox whose copy would end after `cutover` gets a warning naming the date it must start by.
public enum WavePlanner {
    public static func plan(_ mailboxes: [WaveMailbox], options: WaveOptions) -> WavePlan {
        var warnings: [String] = []
        func seconds(_ mailbox: WaveMailbox) -> Double? {
            options.seconds(sizeBytes: mailbox.sizeBytes, messages: mailbox.messages)
        }

        // Pilot.
        var pilot: [WaveMailbox] = []
        if !options.pilotAddresses.isEmpty {
            let wanted = options.pilotAddresses.map { $0.lowercased() }
            for address in wanted {
                if let mailbox = mailboxes.first(where: { $0.address == address }) {
                    if !pilot.contains(mailbox) { pilot.append(mailbox) }
                } else {
                    warnings.append("pilot \(address) is not a mailbox of the inventory")
                }
            }
        } else if options.pilotCount > 0 {
            let known = mailboxes.filter { $0.sizeBytes != nil }.sorted(by: smallestFirst)
            pilot = Array(known.prefix(options.pilotCount))
            let rest = known.dropFirst(options.pilotCount)
            if !rest.isEmpty { pilot.append(rest[rest.startIndex + (rest.count - 1) / 2]) }
        }
        let pilotAddresses = Set(pilot.map(\.address))

        // Pre-stage: largest first, unknown sizes last.
        let rest = mailboxes.filter { !pilotAddresses.contains($0.address) }
        let known = rest.filter { $0.sizeBytes != nil }.sorted {
            $0.sizeBytes != $1.sizeBytes ? ($0.sizeBytes ?? 0) > ($1.sizeBytes ?? 0) : $0.address < $1.address
        }
        let unknown = rest.filter { $0.sizeBytes == nil }.sorted { $0.address < $1.address }
        if !unknown.isEmpty {
            warnings.append("\(unknown.count) mailbox(es) have no known size (\(unknown.map(\.address).joined(separator: ", "))): "
                + "run tern inventory scan; they are placed last in pre-stage")
        }

        var entries = pilot.sorted(by: smallestFirst).map { mailbox in
            WaveEntry(address: mailbox.address, sizeBytes: mailbox.sizeBytes, wave: .pilot, seconds: seconds(mailbox),
                messages: mailbox.messages, late: false)
        }
        var lanes = [Date](repeating: options.start, count: max(1, options.parallel))
        for mailbox in known + unknown {
            var entry = WaveEntry(address: mailbox.address, sizeBytes: mailbox.sizeBytes, wave: .preStage,
                seconds: seconds(mailbox), messages: mailbox.messages, late: false)
            if let duration = entry.seconds {
                let lane = lanes.indices.min { lanes[$0] < lanes[$1] }!
                entry.startsAt = lanes[lane]
                entry.finishesAt = lanes[lane].addingTimeInterval(duration)
                lanes[lane] = entry.finishesAt!
                if let cutover = options.cutover {
                    entry.latestStart = cutover.addingTimeInterval(-duration)
                    entry.late = entry.finishesAt! > cutover
                }
            }
            entries.append(entry)
        }

        if let cutover = options.cutover {
            for entry in entries where entry.late {
                warnings.append(lateWarning(entry, cutover: cutover, options: options))
            }
        }
        return WavePlan(entries: entries, warnings: warnings, options: options)
    }

    /// "u@x: 48.0 GB, ~3.5 days at the source's 2.5 GB/day limit: start pre-stage by DATE".
    static func lateWarning(_ entry: WaveEntry, cutover: Date, options: WaveOptions) -> String {
        let size = ByteCount.format(entry.sizeBytes ?? 0)
        let bySize = Double(entry.sizeBytes ?? 0) / options.bytesPerSecond
        let pace: String
        if let messages = entry.messages, let rate = options.messagesPerSecond, rate > 0, Double(messages) / rate > bySize {
            pace = "(\(messages) messages) at the source's \(formatRate(rate)) messages/s limit"
        } else if options.limitedByProvider {
            pace = "at the source's \(ByteCount.format(options.bytesPerDay ?? 0))/day limit"
        } else {
            pace = "at \(formatRate(options.throughputMbps)) Mbit/s"
        }
        let duration = formatDuration(entry.seconds ?? 0)
        guard let latest = entry.latestStart else { return "\(entry.address): \(size) cannot finish before the cutover" }
        if latest < options.start {
            return "\(entry.address): \(size), \(duration) \(pace): cannot finish before the cutover at "
                + "\(formatDate(cutover)) (it had to start by \(formatDate(latest))); move the cutover or raise the limit"
        }
        return "\(entry.address): \(size), \(duration) \(pace): start pre-stage by \(formatDate(latest)) "
            + "(in the planned order it would end \(formatDate(entry.finishesAt ?? cutover)), after the cutover)"
    }

    static func smallestFirst(_ a: WaveMailbox, _ b: WaveMailbox) -> Bool {
        let (x, y) = (a.sizeBytes ?? .max, b.sizeBytes ?? .max)
        return x != y ? x < y : a.address < b.address
    }

    // MARK: - Formatting

    /// "~12 minutes", "~4.2 hours", "~3.5 days".
    public static func formatDuration(_ seconds: Double) -> String {
        if seconds < 90 { return "~\(Int(seconds.rounded())) seconds" }
        if seconds < 90 * 60 { return "~\(Int((seconds / 60).rounded())) minutes" }
        if seconds < 36 * 3600 { return String(format: "~%.1f hours", seconds / 3600) }
        return String(format: "~%.1f days", seconds / 86_400)
    }

    public static func formatRate(_ mbps: Double) -> String {
        mbps == mbps.rounded() ? String(Int(mbps)) : String(format: "%.1f", mbps)
    }

    /// "2026-12-01 10:00 UTC".
    public static func formatDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
