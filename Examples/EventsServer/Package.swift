// swift-tools-version: 6.0
// EventsServer: a Hummingbird 2 server that receives engagement events as JSON webhooks, keeps each in a durable
// outbox before answering 202, and exports them to Salesforce with Ferry. Copy this folder to start a service.
//
//   EventsServer    the server (POST /events, GET /health, GET /metrics)
//   simulated-org   FerryTesting's simulated Salesforce org on loopback, to run the server with no account
//
// The Ferry packages are referenced by path here; a copy outside this repository names them by URL instead.
// Commit your Package.resolved when you ship: it pins every dependency of the executable.
import PackageDescription

let package = Package(
    name: "EventsServer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "EventsServer", targets: ["EventsServer"]),
        .executable(name: "simulated-org", targets: ["simulated-org"]),
    ],
    dependencies: [
        .package(name: "Ferry", path: "../.."),
        .package(name: "FerryIntegrations", path: "../../Integrations"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "EventsServer",
            dependencies: [
                .product(name: "Ferry", package: "Ferry"),
                .product(name: "FerryAsyncHTTPClient", package: "FerryIntegrations"),
                .product(name: "FerryPostgres", package: "FerryIntegrations"),
                .product(name: "FerryLogging", package: "FerryIntegrations"),
                .product(name: "FerryMetrics", package: "FerryIntegrations"),
                .product(name: "FerryServiceLifecycle", package: "FerryIntegrations"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .executableTarget(
            name: "simulated-org",
            dependencies: [.product(name: "FerryTesting", package: "Ferry")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
