// swift-tools-version: 6.0
// FerryPostgres: a PostgreSQL transactional outbox for Ferry deployments that run as several instances.
//
// A separate package so that the SDK itself keeps no package dependencies: it depends on Ferry by path and on
// postgres-nio.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "FerryPostgres",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FerryPostgres", targets: ["FerryPostgres"]),
        .executable(name: "ferry-postgres-bench", targets: ["ferry-postgres-bench"]),
    ],
    dependencies: [
        .package(name: "Ferry", path: "../.."),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: [
        .target(
            name: "FerryPostgres",
            dependencies: [
                .product(name: "FerryDelivery", package: "Ferry"),
                .product(name: "FerryCore", package: "Ferry"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ferry-postgres-bench",
            dependencies: [
                "FerryPostgres",
                .product(name: "Ferry", package: "Ferry"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryPostgresTests",
            dependencies: [
                "FerryPostgres",
                .product(name: "Ferry", package: "Ferry"),
                .product(name: "FerryTesting", package: "Ferry"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
