import TernCore

/// A folder listing in which the server named one UID for more than one message (a broken
/// index, a buggy server). Which of them a later `UID FETCH` returns is anyone's guess, so
/// the engine copies none of them and says so: a ledger entry per UID (category
/// `duplicate-uid`) for the copy, a failed manifest line for `verify`. Never a trap.
struct DuplicateUIDs {
    /// The messages whose UID the listing names once, in listing order.
    var unique: [MessageMeta]
    /// UID → how many messages the listing gave it, for every UID named more than once.
    var duplicated: [UInt32: Int]

    init(_ messages: [MessageMeta]) {
        var counts: [UInt32: Int] = [:]
        for message in messages { counts[message.uid, default: 0] += 1 }
        unique = messages.filter { counts[$0.uid] == 1 }
        duplicated = counts.filter { $0.value > 1 }
    }

    /// The duplicated UIDs, ascending.
    var uids: [UInt32] { duplicated.keys.sorted() }

    static func describe(_ uid: UInt32, count: Int, side: String) -> String {
        "the \(side) listed UID \(uid) for \(count) messages; none of them was copied, as a fetch by UID "
            + "cannot tell them apart"
    }
}
