import Foundation
import TernCore

/// `tern preset check FILE`: checks a preset or a script file and returns every problem with
/// its `file:line`.
public enum ScriptFileChecker {
    public enum Kind: String, Sendable {
        case preset, script
    }

    /// A preset returns a table; a script defines `map_folder`, `filter_message` or `on_event`.
    public static func kind(ofSource source: String) -> Kind {
        let defines = Sandbox.scriptGlobals.contains { name in
            source.range(of: "function\\s+\(name)\\s*\\(", options: .regularExpression) != nil
                || source.range(of: "(^|\\n)\\s*\(name)\\s*=\\s*function", options: .regularExpression) != nil
        }
        return defines ? .script : .preset
    }

    public static func check(_ path: String, loader: PresetLoader = PresetLoader()) async
        -> (kind: Kind, problems: [ScriptError]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (.preset, [ScriptError(location: path, message: "cannot read the file")])
        }
        switch kind(ofSource: String(decoding: data, as: UTF8.self)) {
        case .script:
            var options = loader.options
            options.checkingOnly = true
            options.environment = [:]
            return (.script, await ScriptSet.check(source: Array(data), path: path, options: options).problems)
        case .preset:
            return (.preset, await loader.check(path))
        }
    }
}
