import Foundation

/// `ferry-bench render --compare PEERS_DIR`: runs the Liquid engines of `PEERS_DIR/bench_liquid.py` and
/// `PEERS_DIR/bench_liquid.rb` (python-liquid, Ruby Liquid, liquid-c, each Ruby one with and without YJIT) right
/// after Ferry's measurement, in the same run window, and prints Ferry's ratio to each.
///
/// A peer that is not installed is reported as skipped, never as a figure. `FERRY_PEER_PYTHON` names the Python
/// with python-liquid installed (default `python3`); Ruby is `ruby` on the `PATH`.
enum LiquidPeers {
    struct Peer {
        let name: String
        let executable: String
        let arguments: [String]
        let environment: [String: String]
    }

    static func peers(directory: String) -> [Peer] {
        let python = ProcessInfo.processInfo.environment["FERRY_PEER_PYTHON"] ?? "python3"
        let ruby = "\(directory)/bench_liquid.rb"
        return [
            Peer(name: "python-liquid", executable: python,
                 arguments: ["\(directory)/bench_liquid.py", "--n", "20000", "--repeat", "3", "--engine", "liquid"],
                 environment: [:]),
            Peer(name: "Ruby Liquid", executable: "ruby", arguments: [ruby, "20000", "3"], environment: [:]),
            Peer(name: "Ruby Liquid + YJIT", executable: "ruby", arguments: ["--yjit", ruby, "20000", "3"], environment: [:]),
            Peer(name: "liquid-c", executable: "ruby", arguments: [ruby, "50000", "3"], environment: ["LIQUID_C": "1"]),
            Peer(name: "liquid-c + YJIT", executable: "ruby", arguments: ["--yjit", ruby, "50000", "3"],
                 environment: ["LIQUID_C": "1"]),
        ]
    }

    /// Runs each peer and prints `peer <name>: <renders/s> renders/s (Ferry <ratio>x)` or why it was skipped.
    static func compare(ferryRendersPerSecond: Double, directory: String) {
        for peer in peers(directory: directory) {
            guard let figure = run(peer) else {
                print("peer \(peer.name): skipped (not installed, or it printed no 'best N renders/s' line)")
                continue
            }
            print("peer \(peer.name): \(format(figure, 0)) renders/s; Ferry \(format(ferryRendersPerSecond / figure, 1))x")
        }
    }

    /// The best renders per second a peer printed (`best 12,173 renders/s`), or `nil`.
    static func run(_ peer: Peer) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [peer.executable] + peer.arguments
        process.environment = ProcessInfo.processInfo.environment.merging(peer.environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let range = text.range(of: "best ") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber || $0 == "," }.filter { $0 != "," }
        return Double(String(digits))
    }
}
