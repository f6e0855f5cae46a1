import Foundation

/// Where presets (and `require`d modules) are found, in order: the folders of
/// `$TERN_PRESET_PATH` (colon-separated), `./presets/providers` (and `./presets` for modules),
/// the user's config folder (`$XDG_CONFIG_HOME/tern/presets`, else `~/.config/tern/presets`),
/// the installed share folder (`<prefix>/share/tern/presets` next to the executable, then
/// `/usr/local/share` and `/usr/share`), and last, for a `tern` run straight from a SwiftPM
/// build folder, the `presets/providers` of the source checkout it was built in.
public struct PresetSearchPath: Sendable, Equatable {
    /// Folders holding `NAME.lua` provider presets.
    public var directories: [String]

    public init(directories: [String]) { self.directories = directories }

    /// The standard search path for this process.
    public static var standard: PresetSearchPath {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.config"
        var directories = (environment["TERN_PRESET_PATH"] ?? "").split(separator: ":").map(String.init)
        directories += [
            "./presets/providers",
            "\(config)/tern/presets/providers",
        ]
        // The running executable itself: argv[0] is just "tern" when the shell found it on PATH.
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "tern"))
            .resolvingSymlinksInPath()
        let prefix = executable.deletingLastPathComponent().deletingLastPathComponent().path
        for share in ["\(prefix)/share", "/usr/local/share", "/usr/share"] {
            let directory = "\(share)/tern/presets/providers"
            if !directories.contains(directory) { directories.append(directory) }
        }
        if let checkout = sourceCheckout(of: executable) {
            let directory = "\(checkout)/presets/providers"
            if !directories.contains(directory) { directories.append(directory) }
        }
        return PresetSearchPath(directories: directories)
    }

    /// The repository a development build lives in: `<checkout>/.build…/<triple>/<config>/tern`
    /// (any scratch folder directly inside the checkout), recognised by its Package.swift and
    /// presets folder; nil for an installed binary.
    static func sourceCheckout(of executable: URL) -> String? {
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            directory.deleteLastPathComponent()
            let path = directory.path
            let files = FileManager.default
            if files.fileExists(atPath: path + "/Package.swift"), files.fileExists(atPath: path + "/presets/providers") {
                return path
            }
        }
        return nil
    }

    /// The same roots for `require`: `presets/` and `presets/providers/` of each.
    public var moduleDirectories: [String] {
        directories.flatMap { [($0 as NSString).deletingLastPathComponent, $0] }
    }
}
