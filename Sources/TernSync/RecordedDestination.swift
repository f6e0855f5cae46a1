import TernCore
import TernState

extension FolderPlanner.Pair {
    /// The pair with its destination found through the state when the planned path is not
    /// listed: the folder an earlier run created for this very path, under the name the server
    /// listed (`Dots v1.2` became `INBOX.Dots v1_2` on a "."-separated server). Only for the same
    /// planned path — after a changed `--subfolder2` or folder rule the new place is meant.
    func resolved(record: FolderRecord?, destination: [StoreFolder]) -> FolderPlanner.Pair {
        guard existing == nil, let record, let recordedPath = record.destinationPath,
              FolderPlanner.key(recordedPath) == FolderPlanner.key(destinationPath),
              let folder = destination.first(where: { $0.raw == record.destinationName && $0.selectable })
        else { return self }
        var pair = self
        pair.existing = folder
        return pair
    }
}
