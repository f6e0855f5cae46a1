import ArgumentParser
import Foundation
import TernCore
import TernScript

/// `tern preset list | show NAME | check FILE...`: provider presets and script files.
struct PresetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preset",
        abstract: "List, show and check provider presets and Lua script files.",
        discussion: """
            Presets are searched in ./presets/providers, $XDG_CONFIG_HOME/tern/presets/providers
            (~/.config/...), and the installed share/tern/presets/providers. See docs/scripting.md.
            """,
        subcommands: [PresetListCommand.self, PresetShowCommand.self, PresetCheckCommand.self]
    )
}

struct PresetListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List presets with a one-line description.")

    @Flag(help: "Also print each preset's file.")
    var paths = false

    func run() async throws {
        let listings = await PresetLoader().list()
        if listings.isEmpty {
            print("No presets found in: " + PresetSearchPath.standard.directories.joined(separator: ", "))
            return
        }
        let width = listings.map(\.name.count).max() ?? 0
        for listing in listings {
            let name = listing.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(name)  \(listing.description)" + (paths ? "  (\(listing.path))" : ""))
        }
    }
}

struct PresetShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the resolved settings of one preset.")

    @Argument(help: "Preset name or .lua file.")
    var preset: String

    @Option(help: "Resolve function-valued fields for this mailbox user (default user@example.com).")
    var user: String?

    @Option(help: "Provider region for presets that use one (e.g. zoho: us, eu, in, au).")
    var region: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let context = PresetContext(user: user ?? PresetContext.example.user, region: region)
        let resolved: ProviderPreset
        do {
            resolved = try await PresetLoader().load(preset, context: context)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(TernExit.badInput.rawValue)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(resolved), as: UTF8.self))
            return
        }
        print(PresetRenderer.render(resolved))
        // The routing functions `routing apply`/`verify` would call (not called here).
        if let routing = try? await PresetRoutingAPI.load(preset) {
            let creates = await routing.creates
            let lists = await routing.lists
            let names = PresetRoutingAPI.Kind.allCases.flatMap { kind in
                (creates.contains(kind) ? [kind.createFunction] : []) + (lists.contains(kind) ? [kind.listFunction] : [])
            }
            print("routing functions: \(names.joined(separator: ", "))")
        }
    }
}

struct PresetCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check preset or script files: syntax, schema, unknown fields, types (file:line messages).",
        discussion: "Exits 0 when every file is clean, 20 otherwise.")

    @Argument(help: "Preset or script files (or preset names).")
    var files: [String]

    func run() async throws {
        let loader = PresetLoader()
        var bad = 0
        for file in files {
            let path: String
            do { path = try loader.locate(file) } catch {
                print("\(file): error: \(error.message)")
                bad += 1
                continue
            }
            let result = await ScriptFileChecker.check(path, loader: loader)
            if result.problems.isEmpty {
                print("\(path): ok (\(result.kind.rawValue))")
            } else {
                bad += 1
                for problem in result.problems {
                    print("\(problem.location ?? path): error: \(problem.message)")
                }
            }
        }
        if bad > 0 { throw ExitCode(TernExit.badInput.rawValue) }
    }
}
