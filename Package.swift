// swift-tools-version:5.9
import PackageDescription

// Perk has no package dependencies: the Swift toolchain is all it needs.
let package = Package(
    name: "Perk",
    products: [
        .library(name: "Perk", targets: ["Perk"]),
        .executable(name: "perk", targets: ["PerkCLI"]),
    ],
    targets: [
        .target(name: "Perk"),
        .executableTarget(name: "PerkCLI", dependencies: ["Perk"]),
        // `swift run -c release perk-bench`: the benchmarks the README's Performance section reports.
        .executableTarget(name: "perk-bench", dependencies: ["Perk"], path: "Sources/PerkBench"),
        .testTarget(
            name: "PerkTests",
            // The CLI is a dependency so the `perk` binary is built for the end-to-end tests.
            dependencies: ["Perk", "PerkCLI"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
