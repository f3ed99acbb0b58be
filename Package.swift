// swift-tools-version: 6.0
// Ferry: export engagement data into Salesforce from server-side Swift.
//
// The target list shows the architecture: dependencies point downward only.
//   FerryCore  <-  FerryAuth, FerryTemplating, SalesforceModels
//   FerryCore  <-  FerryDelivery (the engine: pipeline, outboxes, retry, flow control, events, report)
//   FerryAuth, SalesforceModels, FerryDelivery  <-  SalesforceDelivery (destinations, authorising transport)
//   FerryTemplating, SalesforceDelivery  <-  Ferry (rendering, exporter, verifier)  <-  FerryTesting
// FerryDelivery depends on FerryCore only; `.ci/module-graph` fails the build on any other edge from it.
// The SDK has no package dependencies: Foundation (and FoundationNetworking on Linux) only.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Ferry",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "Ferry", targets: ["Ferry"]),
        .library(name: "FerryCore", targets: ["FerryCore"]),
        .library(name: "FerryAuth", targets: ["FerryAuth"]),
        .library(name: "FerryTemplating", targets: ["FerryTemplating"]),
        .library(name: "SalesforceModels", targets: ["SalesforceModels"]),
        .library(name: "FerryDelivery", targets: ["FerryDelivery"]),
        .library(name: "SalesforceDelivery", targets: ["SalesforceDelivery"]),
        .library(name: "FerryTesting", targets: ["FerryTesting"]),
        .executable(name: "ferry", targets: ["ferry"]),
        .executable(name: "ferry-bench", targets: ["ferry-bench"]),
    ],
    targets: [
        .target(name: "FerryCore", swiftSettings: strictSettings),
        .target(name: "FerryAuth", dependencies: ["FerryCore"], swiftSettings: strictSettings),
        .target(name: "FerryTemplating", dependencies: ["FerryCore"], swiftSettings: strictSettings),
        .target(name: "SalesforceModels", dependencies: ["FerryCore"], swiftSettings: strictSettings),
        .target(name: "FerryDelivery", dependencies: ["FerryCore"], swiftSettings: strictSettings),
        .target(
            name: "SalesforceDelivery",
            dependencies: ["FerryCore", "FerryAuth", "SalesforceModels", "FerryDelivery"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Ferry",
            dependencies: [
                "FerryCore", "FerryAuth", "FerryTemplating", "SalesforceModels", "FerryDelivery", "SalesforceDelivery",
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "FerryTesting", dependencies: ["Ferry"], swiftSettings: strictSettings),
        // `ferry demo` runs against the simulated org that FerryTesting ships.
        .executableTarget(name: "ferry", dependencies: ["Ferry", "FerryTesting"], swiftSettings: strictSettings),
        // `ferry-bench http` shares its runner with FerryIntegrations' `ferry-ahc-bench` through FerryTesting.
        .executableTarget(name: "ferry-bench", dependencies: ["Ferry", "FerryTesting"], swiftSettings: strictSettings),

        .testTarget(name: "FerryCoreTests", dependencies: ["FerryCore", "FerryTesting"], swiftSettings: strictSettings),
        .testTarget(name: "FerryAuthTests", dependencies: ["FerryAuth", "FerryTesting"], swiftSettings: strictSettings),
        .testTarget(
            name: "FerryTemplatingTests",
            dependencies: ["FerryTemplating", "FerryTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SalesforceModelsTests",
            dependencies: ["SalesforceModels", "FerryTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryDeliveryTests",
            dependencies: ["FerryDelivery", "SalesforceDelivery", "FerryTesting"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "FerryTests", dependencies: ["Ferry", "FerryTesting"], swiftSettings: strictSettings),
        .testTarget(name: "FerryTestingTests", dependencies: ["FerryTesting"], swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
