import TernMigration

extension MigrationProject {
    /// The wave's mailboxes (`mailboxes(inWave:)`), or bad input that says how to get some.
    func requireMailboxes(inWave wave: String?) async throws -> [InventoryObject] {
        let mailboxes = try await mailboxes(inWave: wave)
        if mailboxes.isEmpty {
            if let wave, wave != Wave.final.rawValue {
                throw CLIError(TernExit.badInput, "no mailbox is in the wave \(wave): run tern plan waves first")
            }
            throw CLIError(TernExit.badInput, "the inventory has no mailboxes: tern inventory import FILE --format FORMAT")
        }
        return mailboxes
    }
}
