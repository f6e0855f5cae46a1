import Foundation
import Testing
import TernState
@testable import TernMigration

/// `CapacityCheck`: scanned source sizes against hand-made destination quotas and size caps.
@Suite struct WaveCapacityTests {
    static let gb: Int64 = 1_000_000_000

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var source: ScanRecord?
        var destination: DestinationCapacity
        var presetMaxMessage: Int64?
        var status: CapacityResult.Status
        var says: [String]
        var testDescription: String { name }
    }

    static func source(_ size: Int64?, largest: Int64? = nil, ok: Bool = true) -> ScanRecord {
        ScanRecord(address: "a@acme.example", login: "a", status: ok ? "ok" : "failed", sizeBytes: size,
            largestMessage: largest, error: ok ? nil : "refused", errorCategory: ok ? nil : "auth")
    }

    static let cases: [Case] = [
        Case(name: "fits with room to spare", source: source(10 * gb),
             destination: DestinationCapacity(address: "a@new.example", quotaUsed: 0, quotaLimit: 50 * gb),
             status: .ok, says: []),
        Case(name: "over the free quota", source: source(48 * gb),
             destination: DestinationCapacity(address: "a@new.example", quotaUsed: 5 * gb, quotaLimit: 50 * gb),
             status: .problem,
             says: ["needs 48.0 GB, the destination quota has 45.0 GB free (5.0 GB of 50.0 GB used)"]),
        Case(name: "fits but leaves under 10%", source: source(46 * gb),
             destination: DestinationCapacity(address: "a@new.example", quotaUsed: 0, quotaLimit: 50 * gb),
             status: .warning, says: ["fits, but leaves 4.0 GB of 50.0 GB free"]),
        Case(name: "no quota reported", source: source(1),
             destination: DestinationCapacity(address: "a@new.example"),
             status: .warning, says: ["reports no quota"]),
        Case(name: "never scanned", source: nil,
             destination: DestinationCapacity(address: "a@new.example", quotaUsed: 0, quotaLimit: gb),
             status: .unknown, says: ["no successful scan"]),
        Case(name: "a failed source scan counts as unscanned", source: source(nil, ok: false),
             destination: DestinationCapacity(address: "a@new.example", quotaUsed: 0, quotaLimit: gb),
             status: .unknown, says: ["no successful scan"]),
        Case(name: "destination login fails", source: source(1),
             destination: DestinationCapacity(address: "a@new.example", error: "auth: refused"),
             status: .problem, says: ["cannot log in at the destination: auth: refused"]),
        Case(name: "largest message over APPENDLIMIT", source: source(gb, largest: 40_000_000),
             destination: DestinationCapacity(address: "a@new.example", quotaUsed: 0, quotaLimit: 50 * gb,
                 appendLimit: 35_000_000),
             status: .problem, says: ["largest message (40.0 MB) is over the destination's message size cap of 35.0 MB"]),
        Case(name: "the preset's cap when the server says nothing", source: source(gb, largest: 30_000_000),
             destination: DestinationCapacity(address: "a@new.example", quotaUsed: 0, quotaLimit: 50 * gb),
             presetMaxMessage: 25_000_000, status: .problem, says: ["cap of 25.0 MB"]),
        Case(name: "largest message under the cap", source: source(gb, largest: 1_000_000),
             destination: DestinationCapacity(address: "a@new.example", quotaUsed: 0, quotaLimit: 50 * gb,
                 appendLimit: 35_000_000),
             status: .ok, says: []),
    ]

    @Test(arguments: cases)
    func capacity(_ testCase: Case) {
        let result = CapacityCheck.check(address: "a@acme.example", source: testCase.source,
            destination: testCase.destination, presetMaxMessage: testCase.presetMaxMessage)
        #expect(result.status == testCase.status, "\(result.messages)")
        #expect(result.messages.count == testCase.says.count || testCase.says.isEmpty == result.messages.isEmpty,
            "\(result.messages)")
        for text in testCase.says {
            #expect(result.messages.contains { $0.contains(text) }, "\(text) not in \(result.messages)")
        }
        #expect(result.destination == "a@new.example")
    }

    @Test func appendLimitFromCapabilities() {
        let record = ScanRecord(address: "a@new.example", login: "a", status: "ok", quotaUsed: 0, quotaLimit: 10)
        #expect(DestinationCapacity(record: record, report: nil).appendLimit == nil)
        let failed = ScanRecord(address: "a@new.example", login: "a", status: "failed", error: "refused",
            errorCategory: "auth")
        #expect(DestinationCapacity(record: failed, report: nil).error == "auth: refused")
    }
}
