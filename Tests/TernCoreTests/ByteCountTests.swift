import Testing
import TernCore

/// The one byte-count form of plans, scans, reports, progress and `preset show`.
@Suite struct ByteCountTests {
    @Test(arguments: [
        (Int64(0), "0 B"), (999, "999 B"), (1000, "1.0 KB"), (1536, "1.5 KB"), (20_000, "20.0 KB"),
        (1_081_880, "1.1 MB"), (25_000_000, "25.0 MB"), (2_500_000_000, "2.5 GB"), (48_000_000_000, "48.0 GB"),
        (3_000_000_000_000, "3.0 TB"), (5_000_000_000_000_000, "5000.0 TB"), (-2_500, "-2.5 KB"),
    ])
    func formats(_ bytes: Int64, _ text: String) {
        #expect(ByteCount.format(bytes) == text)
    }

    @Test func roundingUpReachesTheNextUnit() {
        #expect(ByteCount.format(999_960) == "1.0 MB")
        #expect(ByteCount.format(999_949) == "999.9 KB")
    }
}
