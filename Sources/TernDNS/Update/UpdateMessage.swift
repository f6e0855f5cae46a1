/// An RFC 2136 UPDATE under construction: zone (§2.3), prerequisites (§2.4) and updates (§2.5).
/// The sections reuse the query layout: ZOCOUNT=QDCOUNT, PRCOUNT=ANCOUNT, UPCOUNT=NSCOUNT.
public struct UpdateMessage: Sendable {
    public var zone: DNSName
    public var prerequisites: [ResourceRecord] = []
    public var updates: [ResourceRecord] = []
    public var id: UInt16

    public init(zone: DNSName, id: UInt16 = UInt16.random(in: .min ... .max)) {
        self.zone = zone
        self.id = id
    }

    // MARK: Prerequisites (RFC 2136 §2.4)

    /// The RRset exists with exactly these records (value-dependent, §2.4.2).
    public mutating func requireExactly(_ records: [ResourceRecord]) {
        for record in records {
            var copy = record
            copy.ttl = 0
            prerequisites.append(copy)
        }
    }

    /// No RRset of `type` exists at `name` (§2.4.3).
    public mutating func requireAbsent(name: DNSName, type: RecordType) {
        prerequisites.append(ResourceRecord(name: name, type: type, recordClass: .none))
    }

    // MARK: Updates (RFC 2136 §2.5)

    public mutating func add(_ record: ResourceRecord) { updates.append(record) }

    /// Deletes a whole RRset (§2.5.2).
    public mutating func deleteRRset(name: DNSName, type: RecordType) {
        updates.append(ResourceRecord(name: name, type: type, recordClass: .any))
    }

    /// Deletes one record (§2.5.4): class NONE, TTL 0, same RDATA.
    public mutating func delete(_ record: ResourceRecord) {
        var copy = record
        copy.recordClass = .none
        copy.ttl = 0
        updates.append(copy)
    }

    public var message: DNSMessage {
        var header = DNSHeader(id: id)
        header.opcode = .update
        var message = DNSMessage(header: header)
        message.questions = [DNSQuestion(name: zone, type: .soa)]
        message.answers = prerequisites
        message.authorities = updates
        return message
    }
}
