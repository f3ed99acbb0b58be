// `ferry-ahc-bench`: the end-to-end HTTP benchmark of `ferry-bench http`, over AsyncHTTPClientTransport.
// Build and run in release mode against `.ci/nginx serve`:
//   swift run -c release ferry-ahc-bench --domain http://127.0.0.1:PORT --client-id bench --records 20000 --concurrency 32
import FerryAsyncHTTPClient
import FerryTesting
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print("USAGE: ferry-ahc-bench " + HTTPDeliveryBenchmark.usage)
    exit(0)
}
do {
    let options = try HTTPDeliveryBenchmark.parse(arguments)
    let transport = AsyncHTTPClientTransport(
        configuration: AsyncHTTPClientTransport.Configuration(maximumConnectionsPerHost: options.concurrency))
    let status = try await HTTPDeliveryBenchmark.run(options, transportName: "AsyncHTTPClientTransport", transport: transport)
    try await transport.shutdown()
    exit(status)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
}
