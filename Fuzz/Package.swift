// swift-tools-version: 6.0
// Ferry's libFuzzer targets: one executable per parser, built only by `Fuzz/run` (Linux) with
// `swift build -c release -Xswiftc -sanitize=fuzzer,address`. Each target's entry point is
// `LLVMFuzzerTestOneInput`; libFuzzer supplies `main`, so no target has a main.swift.
import PackageDescription

let settings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// A fuzz target's one source file holds only `LLVMFuzzerTestOneInput`: compiled as a library file, the module
/// defines no `main` of its own and libFuzzer's `main` drives it. (SwiftPM compiles a lone source file of an
/// executable target as top-level code, whose implicit `main` would run instead of the fuzzer and exit at once.)
let fuzzSettings: [SwiftSetting] = settings + [.unsafeFlags(["-parse-as-library"])]

/// A fuzz executable: one source folder, FuzzSupport and the SDK modules it exercises.
func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "Ferry") },
        swiftSettings: fuzzSettings
    )
}

let package = Package(
    name: "FerryFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Ferry", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CFuzzDriver", .product(name: "FerryCore", package: "Ferry")],
            swiftSettings: settings
        ),
        fuzzTarget("fuzz-liquid", ["FerryCore", "FerryTemplating"]),
        fuzzTarget("fuzz-payload", ["FerryCore", "FerryTemplating"]),
        fuzzTarget("fuzz-json", ["FerryCore"]),
        fuzzTarget("fuzz-token", ["FerryCore", "FerryAuth", "SalesforceModels"]),
        fuzzTarget("fuzz-salesforce", ["FerryCore", "SalesforceModels"]),
        fuzzTarget("fuzz-bulkcsv", ["FerryCore", "SalesforceModels"]),
        fuzzTarget("fuzz-journal", ["FerryCore", "FerryDelivery"]),
        fuzzTarget("fuzz-apex", ["FerryCore", "SalesforceModels", "FerryTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
