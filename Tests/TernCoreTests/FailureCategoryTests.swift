import Testing
import TernCore

/// The one category → exit status table, written out: a category added without a decision
/// here fails the test.
@Suite struct FailureCategoryTests {
    static let table: [FailureCategory: Int32] = [
        .connection: 10, .throttled: 10, .tls: 11, .auth: 12, .protocol: 13,
        .badInput: 20, .script: 20, .state: 20, .hookError: 1, .usage: 64, .mismatch: 3,
        .tooBig: 2, .rejected: 2, .sourceUnreadable: 2, .folder: 2, .keywordLimit: 2, .duplicateUID: 2,
        .linkCut: 2, .filterError: 2,
        .overQuota: 1, .maxErrors: 1, .busy: 1, .gmail: 1, .other: 1,
    ]

    @Test(arguments: FailureCategory.allCases)
    func everyCategoryHasItsExitStatus(_ category: FailureCategory) {
        #expect(Self.table[category] != nil, "\(category) has no row in the table")
        #expect(category.exitStatus == Self.table[category])
    }

    @Test func namesAreWhatTheLedgerAndJSONShow() {
        #expect(FailureCategory.tooBig.rawValue == "too-big")
        #expect(FailureCategory.sourceUnreadable.rawValue == "source-unreadable")
        #expect(FailureCategory(rawValue: "duplicate-uid") == .duplicateUID)
        #expect(FailureCategory(rawValue: "source-error") == nil, "the old never-produced name is gone")
    }
}
