// swift-tools-version: 6.0
// FerryIntegrations: the parts of Ferry that need packages, kept out of the SDK (which has no dependencies).
//
// One package on purpose: its products share swift-nio, swift-nio-ssl and their kin, so CI builds that graph once.
//   FerryPostgres          a PostgreSQL transactional outbox (postgres-nio)
//   FerryAsyncHTTPClient   an HTTPTransport over AsyncHTTPClient, for hosts that already run on swift-nio
//   ferry-postgres-bench   the outbox benchmark against a real PostgreSQL server
//   ferry-ahc-bench        the end-to-end HTTP benchmark over AsyncHTTPClientTransport
//   FerryLogging           DeliveryLogger: delivery and auth events as swift-log records
//   FerryMetrics           DeliveryMetrics: delivery and auth events as swift-metrics counters, timers and gauges
//   FerryTracing           DeliveryTracing: a swift-distributed-tracing span per delivery attempt and token fetch
//   FerryServiceLifecycle  DeliveryService: a pipeline as a ServiceLifecycle Service that drains on SIGTERM
//   ferry-bridge-bench     the bridges' transports (metrics, tracing) against a bare one, in one process
// The three bridges read events through the internal FerryEventFacts target, so the mapping lives in one place.
// Every product depends on the SDK by path; dependencies point downward only.
//
// FERRY_INTEGRATIONS_SCOPE=bridges keeps only the bridges, their tests and their bench (no postgres-nio,
// AsyncHTTPClient, swift-nio): `.ci/bridges-tsan` builds that graph alone under the thread sanitizer.
import PackageDescription

let bridgesOnly = Context.environment["FERRY_INTEGRATIONS_SCOPE"] == "bridges"
/// The targets (and products named after them) that need no swift-nio.
let bridgeTargets: Set<String> = [
    "FerryEventFacts", "FerryLogging", "FerryMetrics", "FerryTracing", "FerryServiceLifecycle",
    "ferry-bridge-bench", "FerryObservabilityTests",
]

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "FerryIntegrations",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FerryPostgres", targets: ["FerryPostgres"]),
        .library(name: "FerryAsyncHTTPClient", targets: ["FerryAsyncHTTPClient"]),
        .library(name: "FerryLogging", targets: ["FerryLogging"]),
        .library(name: "FerryMetrics", targets: ["FerryMetrics"]),
        .library(name: "FerryTracing", targets: ["FerryTracing"]),
        .library(name: "FerryServiceLifecycle", targets: ["FerryServiceLifecycle"]),
        .executable(name: "ferry-postgres-bench", targets: ["ferry-postgres-bench"]),
        .executable(name: "ferry-ahc-bench", targets: ["ferry-ahc-bench"]),
        .executable(name: "ferry-bridge-bench", targets: ["ferry-bridge-bench"]),
    ],
    dependencies: [
        .package(name: "Ferry", path: ".."),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.2.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
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
        .target(
            name: "FerryAsyncHTTPClient",
            dependencies: [
                .product(name: "FerryCore", package: "Ferry"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FerryEventFacts",
            dependencies: [
                .product(name: "FerryDelivery", package: "Ferry"),
                .product(name: "FerryAuth", package: "Ferry"),
                .product(name: "FerryCore", package: "Ferry"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FerryLogging",
            dependencies: [
                "FerryEventFacts",
                .product(name: "FerryDelivery", package: "Ferry"),
                .product(name: "FerryAuth", package: "Ferry"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FerryMetrics",
            dependencies: [
                "FerryEventFacts",
                .product(name: "FerryDelivery", package: "Ferry"),
                .product(name: "FerryAuth", package: "Ferry"),
                .product(name: "FerryCore", package: "Ferry"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FerryTracing",
            dependencies: [
                "FerryEventFacts",
                .product(name: "FerryDelivery", package: "Ferry"),
                .product(name: "FerryCore", package: "Ferry"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FerryServiceLifecycle",
            dependencies: [
                .product(name: "FerryDelivery", package: "Ferry"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
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
        .executableTarget(
            name: "ferry-bridge-bench",
            dependencies: [
                "FerryMetrics", "FerryTracing",
                .product(name: "FerryCore", package: "Ferry"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ferry-ahc-bench",
            dependencies: [
                "FerryAsyncHTTPClient",
                .product(name: "Ferry", package: "Ferry"),
                .product(name: "FerryTesting", package: "Ferry"),
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
        .testTarget(
            name: "FerryAsyncHTTPClientTests",
            dependencies: [
                "FerryAsyncHTTPClient",
                .product(name: "Ferry", package: "Ferry"),
                .product(name: "FerryTesting", package: "Ferry"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryObservabilityTests",
            dependencies: [
                "FerryLogging", "FerryMetrics", "FerryTracing", "FerryServiceLifecycle",
                .product(name: "Ferry", package: "Ferry"),
                .product(name: "FerryTesting", package: "Ferry"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The swift-nio graph: everything outside the bridges' scope needs it.
if bridgesOnly {
    package.targets.removeAll { !bridgeTargets.contains($0.name) }
    package.products.removeAll { !bridgeTargets.contains($0.name) }   // each product is named after its target
} else {
    package.dependencies += [
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ]
}
