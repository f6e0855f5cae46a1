import TernCore

/// The mailbox CSV `tern batch` reads (see `BatchFile`): the classic header-less
/// `source_user,source_pass,dest_user,dest_pass` of imapsync batch scripts, or a header-named
/// form. Each row is a mailbox; the destination user becomes its destination counterpart.
///
/// Passwords are read and dropped: the inventory (and the state database) never holds one.
/// Bare user names (`alice`) get the project's first domain.
struct MailboxCSVImporter: InventoryImporter {
    func parse(_ text: String, file: String, context: ImportContext) -> ImportResult {
        var result = ImportResult()
        let batch = BatchFile.parse(text, path: file)
        for problem in batch.problems { result.bad(.init(file: file, line: problem.line), problem.message) }
        for row in batch.rows {
            let source = InventoryObject.Source(file: file, line: row.line)
            do {
                let address = try AddressNormalizer.address(row.sourceUser, defaultDomain: context.defaultDomain)
                let destination = try AddressNormalizer.address(row.destinationUser, defaultDomain: context.defaultDomain)
                result.add(InventoryObject(kind: .mailbox, address: address, sources: [source],
                    destination: destination == address ? nil : destination))
            } catch {
                result.bad(source, "\(error)")
            }
        }
        return result
    }
}
