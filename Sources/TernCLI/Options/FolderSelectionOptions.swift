import ArgumentParser
import TernSync

/// Which source folders are copied and where they land: shared by `sync`/`batch`/`verify`/
/// `run wave` (through `SyncFlags`) and `plan folders`, so the preview maps exactly as a copy would.
struct FolderSelectionOptions: ParsableArguments {
    @Option(help: "Only source folders whose name (with / between levels) matches this regular expression. Repeatable.")
    var include: [String] = []

    @Option(help: "Skip source folders whose name matches this regular expression. Repeatable.")
    var exclude: [String] = []

    @Option(help: "Put every copied folder under this destination folder (e.g. Imported_Mail).")
    var subfolder2: String?

    func plannerOptions(presetSkips: [String] = []) -> FolderPlanner.Options {
        FolderPlanner.Options(include: include, exclude: exclude, subfolder: subfolder2, presetSkips: presetSkips)
    }
}
