import Foundation
import Testing
@testable import TernMigration

/// `WavePlanner`: hand-made inventories, no I/O — who goes in which wave, how long copies take
/// at a throughput or a provider's daily cap, and which mailboxes miss the cutover.
@Suite struct WavePlannerTests {
    static let gb: Int64 = 1_000_000_000
    static let start = Date(timeIntervalSince1970: 1_796_000_000)   // 2026-11-30 …

    static func mailboxes(_ sizes: [(String, Int64?)]) -> [WaveMailbox] {
        sizes.map { WaveMailbox(address: "\($0.0)@acme.example", sizeBytes: $0.1) }
    }

    struct WaveCase: Sendable, CustomTestStringConvertible {
        var name: String
        var sizes: [(String, Int64?)]
        var pilotCount = 3
        var pilotAddresses: [String] = []
        var pilot: [String]
        var preStage: [String]
        var warnings = 0
        var testDescription: String { name }
    }

    static let waveCases: [WaveCase] = [
        WaveCase(name: "three smallest plus the median of the rest; pre-stage largest first",
                 sizes: [("g", 40), ("a", 1), ("e", 20), ("b", 2), ("f", 30), ("c", 3), ("d", 10)],
                 pilot: ["a", "b", "c", "e"], preStage: ["g", "f", "d"]),
        WaveCase(name: "equal sizes are ordered by address",
                 sizes: [("y", 5), ("x", 5), ("z", 5), ("w", 5), ("v", 5)], pilotCount: 1,
                 pilot: ["v", "x"], preStage: ["w", "y", "z"]),
        WaveCase(name: "no pilot wave", sizes: [("a", 1), ("b", 9), ("c", 5)], pilotCount: 0,
                 pilot: [], preStage: ["b", "c", "a"]),
        WaveCase(name: "fewer mailboxes than the pilot wants: all pilot, no median",
                 sizes: [("a", 7), ("b", 3)], pilot: ["b", "a"], preStage: []),
        WaveCase(name: "the operator's pilot replaces the choice; unknown addresses are warned about",
                 sizes: [("a", 1), ("b", 2), ("big", 900)], pilotAddresses: ["BIG@acme.example", "nobody@acme.example"],
                 pilot: ["big"], preStage: ["b", "a"], warnings: 1),
        WaveCase(name: "unscanned mailboxes never pilot and go last in pre-stage, with one warning",
                 sizes: [("a", 1), ("u2", nil), ("b", 50), ("u1", nil)], pilotCount: 1,
                 pilot: ["a", "b"], preStage: ["u1", "u2"], warnings: 1),
    ]

    @Test(arguments: waveCases)
    func waves(_ testCase: WaveCase) {
        let plan = WavePlanner.plan(Self.mailboxes(testCase.sizes),
            options: WaveOptions(pilotCount: testCase.pilotCount, pilotAddresses: testCase.pilotAddresses,
                start: Self.start))
        let local = { (entries: [WaveEntry]) in entries.map { String($0.address.prefix { $0 != "@" }) } }
        #expect(local(plan.entries(in: .pilot)) == testCase.pilot)
        #expect(local(plan.entries(in: .preStage)) == testCase.preStage)
        #expect(plan.entries(in: .final).count == testCase.sizes.count)
        #expect(plan.warnings.count == testCase.warnings, "\(plan.warnings)")
    }

    struct RateCase: Sendable, CustomTestStringConvertible {
        var name: String
        var mbps: Double
        var bytesPerDay: Int64?
        var size: Int64
        var seconds: Double
        var limitedByProvider: Bool
        var duration: String
        var testDescription: String { name }
    }

    static let rateCases: [RateCase] = [
        RateCase(name: "8 Mbit/s is 1 MB/s", mbps: 8, size: 3_600_000_000, seconds: 3600,
                 limitedByProvider: false, duration: "~60 minutes"),
        RateCase(name: "the default 10 Mbit/s", mbps: WaveOptions.defaultThroughputMbps, size: 125 * gb,
                 seconds: 100_000, limitedByProvider: false, duration: "~27.8 hours"),
        RateCase(name: "Gmail's 2.5 GB/day download cap wins over 100 Mbit/s", mbps: 100, bytesPerDay: 2_500_000_000,
                 size: 10 * gb, seconds: 4 * 86_400, limitedByProvider: true, duration: "~4.0 days"),
        RateCase(name: "a cap above the throughput changes nothing", mbps: 8, bytesPerDay: 1000 * gb,
                 size: 1_000_000, seconds: 1, limitedByProvider: false, duration: "~1 seconds"),
    ]

    @Test(arguments: rateCases)
    func copyTime(_ testCase: RateCase) throws {
        let options = WaveOptions(pilotCount: 0, throughputMbps: testCase.mbps, bytesPerDay: testCase.bytesPerDay,
            start: Self.start)
        #expect(options.limitedByProvider == testCase.limitedByProvider)
        let plan = WavePlanner.plan(Self.mailboxes([("x", testCase.size)]), options: options)
        let seconds = try #require(plan.entries.first?.seconds)
        #expect(abs(seconds - testCase.seconds) < 0.001)
        #expect(WavePlanner.formatDuration(seconds) == testCase.duration)
    }

    @Test func cutoverWarningsNameTheStartDate() throws {
        // 1 MB/s per mailbox = 86.4 GB a day; the cutover is two days away; one lane.
        let cutover = Self.start.addingTimeInterval(2 * 86_400)
        let options = WaveOptions(pilotCount: 0, throughputMbps: 8, parallel: 1, start: Self.start, cutover: cutover)
        let plan = WavePlanner.plan(Self.mailboxes([("huge", 200 * Self.gb), ("mid", 50 * Self.gb), ("tiny", 1)]),
            options: options)
        let huge = try #require(plan.entries.first { $0.address.hasPrefix("huge") })
        let mid = try #require(plan.entries.first { $0.address.hasPrefix("mid") })
        let tiny = try #require(plan.entries.first { $0.address.hasPrefix("tiny") })
        #expect(huge.late && huge.startsAt == Self.start)
        #expect(huge.latestStart! < Self.start)
        // Queued behind huge on the only lane, mid would end too late although it alone fits.
        #expect(mid.late)
        #expect(mid.startsAt == huge.finishesAt)
        #expect(mid.latestStart == cutover.addingTimeInterval(-50_000))
        #expect(!tiny.late || tiny.startsAt! > cutover)
        #expect(plan.warnings.count == plan.entries.filter(\.late).count)
        let hugeWarning = try #require(plan.warnings.first { $0.hasPrefix("huge@") })
        #expect(hugeWarning.contains("200.0 GB, ~2.3 days at 8 Mbit/s: cannot finish before the cutover"))
        let midWarning = try #require(plan.warnings.first { $0.hasPrefix("mid@") })
        #expect(midWarning.contains("start pre-stage by \(WavePlanner.formatDate(cutover.addingTimeInterval(-50_000)))"))

        // Four lanes: mid starts at once and makes it; only huge is late.
        var wider = options
        wider.parallel = 4
        let parallel = WavePlanner.plan(Self.mailboxes([("huge", 200 * Self.gb), ("mid", 50 * Self.gb), ("tiny", 1)]),
            options: wider)
        #expect(parallel.entries.filter(\.late).map(\.address) == ["huge@acme.example"])
    }

    @Test func providerLimitWarning() throws {
        let cutover = Self.start.addingTimeInterval(10 * 86_400)
        let options = WaveOptions(pilotCount: 0, throughputMbps: 100, bytesPerDay: 2_500_000_000, start: Self.start,
            cutover: cutover)
        let plan = WavePlanner.plan(Self.mailboxes([("x", 8_750_000_000)]), options: options)
        let warnings = plan.warnings
        #expect(warnings.isEmpty, "3.5 days fit in 10: \(warnings)")
        let tight = WavePlanner.plan(Self.mailboxes([("x", 48 * Self.gb)]), options: options)
        let warning = try #require(tight.warnings.first)
        #expect(warning.hasPrefix("x@acme.example: 48.0 GB, ~19.2 days at the source's 2.5 GB/day limit"), "\(warning)")
    }

    /// Many small messages: the provider's message rate, not the byte rate, sets the pace.
    @Test func messageRateLimit() throws {
        let cutover = Self.start.addingTimeInterval(86_400)
        let options = WaveOptions(pilotCount: 0, throughputMbps: 80, messagesPerSecond: 2, start: Self.start,
            cutover: cutover)
        // 1 GB at 10 MB/s is 100 s; 400,000 messages at 2/s is 200,000 s (~2.3 days).
        let mailboxes = [WaveMailbox(address: "clerk@acme.example", sizeBytes: Self.gb, messages: 400_000),
                         WaveMailbox(address: "boss@acme.example", sizeBytes: 2 * Self.gb, messages: 1_000),
                         WaveMailbox(address: "old@acme.example", sizeBytes: 3 * Self.gb)]
        let plan = WavePlanner.plan(mailboxes, options: options)
        let clerk = try #require(plan.entries.first { $0.address == "clerk@acme.example" })
        #expect(clerk.seconds == 200_000)
        #expect(clerk.late)
        let boss = try #require(plan.entries.first { $0.address == "boss@acme.example" })
        #expect(boss.seconds == 500, "1,000 messages at 2/s (500 s) outlast 2 GB at 10 MB/s (200 s)")
        #expect(plan.entries.first { $0.address == "old@acme.example" }?.seconds == 300, "no count: size only")
        let warning = try #require(plan.warnings.first { $0.hasPrefix("clerk@") })
        #expect(warning.contains("(400000 messages) at the source's 2 messages/s limit"), "\(warning)")
    }

    @Test func formats() {
        #expect(WavePlanner.formatDuration(45) == "~45 seconds")
        #expect(WavePlanner.formatDuration(12 * 60) == "~12 minutes")
        #expect(WavePlanner.formatDuration(4.2 * 3600) == "~4.2 hours")
        #expect(WavePlanner.formatDate(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00 UTC")
    }
}
