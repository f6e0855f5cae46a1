// swift-tools-version:6.0
import PackageDescription

// Linux only: TernTLS calls Glibc directly (sockets, poll), so no other platform is claimed.
// Each target's dependencies are exactly the modules its sources import.
let package = Package(
    name: "Tern",
    products: [
        .executable(name: "tern", targets: ["tern"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries, each behind one Swift module (see docs/architecture.md).
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "TernCore"),
        .target(name: "TernTLS", dependencies: ["COpenSSL"]),
        .target(name: "TernIMAP", dependencies: ["CZlib", "TernTLS", "TernCore"]),
        .target(name: "TernIMAPStore", dependencies: ["TernIMAP", "TernTLS", "TernCore"]),
        .target(name: "TernState", dependencies: ["TernCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "TernSync", dependencies: ["TernCore", "TernState"]),
        .target(name: "TernDNS", dependencies: ["TernTLS", "TernCore"]),
        .target(name: "TernManageSieve", dependencies: ["TernTLS"]),
        .target(name: "TernScript", dependencies: [
            "CLua", "TernCore", "TernTLS", "TernDNS",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "TernMigration", dependencies: [
            "TernCore", "TernTLS", "TernIMAP", "TernIMAPStore", "TernState", "TernSync", "TernScript", "TernManageSieve",
            "TernDNS", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "TernCLI", dependencies: [
            "TernCore", "TernTLS", "TernIMAP", "TernIMAPStore", "TernState", "TernSync", "TernDNS", "TernScript",
            "TernManageSieve", "TernMigration",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tern", dependencies: ["TernCLI"]),
        .target(name: "TernTestSupport", dependencies: ["TernCore", "TernTLS", "TernIMAP", "TernIMAPStore", "TernState"]),

        .testTarget(name: "TernCoreTests", dependencies: ["TernCore"]),
        .testTarget(name: "TernTLSTests", dependencies: ["TernTLS", "TernTestSupport"]),
        .testTarget(name: "TernIMAPTests", dependencies: ["TernIMAP", "TernTLS", "TernCore", "TernTestSupport"]),
        .testTarget(name: "TernIMAPStoreTests", dependencies: ["TernIMAPStore", "TernIMAP", "TernCore"]),
        .testTarget(name: "TernStateTests", dependencies: ["TernState"]),
        .testTarget(name: "TernSyncTests", dependencies: [
            "TernSync", "TernIMAPStore", "TernIMAP", "TernState", "TernCore", "TernTestSupport",
        ]),
        .testTarget(name: "TernMigrationTests", dependencies: [
            "TernMigration", "TernScript", "TernSync", "TernState", "TernCore", "TernIMAP",
        ], resources: [.copy("Fixtures")]),
        .testTarget(name: "TernManageSieveTests", dependencies: ["TernManageSieve", "TernTestSupport"]),
        .testTarget(name: "TernDNSTests", dependencies: ["TernDNS"]),
        .testTarget(name: "TernCLITests", dependencies: [
            "TernCLI", "TernIMAPStore", "TernIMAP", "TernSync", "TernTLS", "TernCore", "TernTestSupport",
        ]),
        .testTarget(name: "TernScriptTests", dependencies: [
            "TernScript", "TernDNS", "TernCore", .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
