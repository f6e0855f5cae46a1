import Foundation
import Testing
@testable import TernScript

/// Where a development build of `tern` finds the repository's presets.
@Suite struct PresetSearchPathTests {
    @Test func aBuildFolderInsideACheckoutFindsItsPresets() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-checkout-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = FileManager.default
        try files.createDirectory(at: root.appendingPathComponent("presets/providers"), withIntermediateDirectories: true)
        try files.createDirectory(at: root.appendingPathComponent(".build-x/x86_64-unknown-linux-gnu/debug"),
            withIntermediateDirectories: true)
        try Data("// swift-tools-version:6.0\n".utf8).write(to: root.appendingPathComponent("Package.swift"))
        let tern = root.appendingPathComponent(".build-x/x86_64-unknown-linux-gnu/debug/tern")
        #expect(PresetSearchPath.sourceCheckout(of: tern) == root.path)
        // An installed binary (no Package.swift above it) has no checkout.
        let installed = root.appendingPathComponent("usr/local/bin/tern")
        try files.removeItem(at: root.appendingPathComponent("Package.swift"))
        #expect(PresetSearchPath.sourceCheckout(of: installed) == nil)
    }
}
