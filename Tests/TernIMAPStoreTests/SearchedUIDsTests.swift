import Testing
import TernIMAP
@testable import TernIMAPStore

/// `UID SEARCH ALL` answers → the UIDs a folder holds: plain SEARCH lists them, ESEARCH
/// (RFC 4731) gives ranges, expanded only up to a limit; sequence-number ESEARCH replies and
/// other data are not UIDs.
@Suite struct SearchedUIDsTests {
    @Test func plainSearchListsUIDs() throws {
        #expect(try IMAPMailStore.searchedUIDs([.search([9, 3, 5], modSeq: nil)]) == [3, 5, 9])
        #expect(try IMAPMailStore.searchedUIDs([.search([], modSeq: nil)]) == [])
    }

    @Test func esearchRangesExpand() throws {
        let reply = ESearchResponse(tag: "A3", uid: true, all: [1...4, 7...7, 10...12])
        #expect(try IMAPMailStore.searchedUIDs([.exists(8), .esearch(reply)]) == [1, 2, 3, 4, 7, 10, 11, 12])
        // No match: ESEARCH without ALL.
        #expect(try IMAPMailStore.searchedUIDs([.esearch(ESearchResponse(tag: "A3", uid: true))]) == [])
    }

    @Test func sequenceNumbersAndOtherDataAreIgnored() throws {
        let bySequence = ESearchResponse(tag: "A3", uid: false, all: [1...3])
        #expect(try IMAPMailStore.searchedUIDs([.esearch(bySequence), .expunge(2), .exists(3)]) == [])
    }

    /// A few bytes on the wire must not become gigabytes in memory.
    @Test func hugeRangesAreALimitError() throws {
        let lie = ESearchResponse(tag: "A3", uid: true, all: [1...UInt32.max])
        let error = #expect(throws: IMAPProtocolError.self) { try IMAPMailStore.searchedUIDs([.esearch(lie)]) }
        #expect(error?.kind == .limitExceeded)
        let many = ESearchResponse(tag: "A3", uid: true, all: [1...6, 10...15])
        #expect(throws: IMAPProtocolError.self) { try IMAPMailStore.searchedUIDs([.esearch(many)], limit: 10) }
        #expect(try IMAPMailStore.searchedUIDs([.esearch(many)], limit: 12).count == 12)
    }
}
