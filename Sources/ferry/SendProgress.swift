import Ferry
import Foundation

/// The progress line of `ferry send`: rewritten in place on stderr a few times a second, only when stderr is a
/// terminal (logs and pipes get the final summary alone).
final class SendProgress: Sendable {
    private let task: Task<Void, Never>?

    /// Starts redrawing `line()` every quarter second when stderr is a terminal.
    init(enabled: Bool, line: @escaping @Sendable () -> String) {
        guard enabled else {
            task = nil
            return
        }
        task = Task {
            while !Task.isCancelled {
                Console.err("\r\u{1B}[K" + line())
                try? await SystemClock().sleep(for: .milliseconds(250))
            }
        }
    }

    /// Stops redrawing and clears the line.
    func finish() async {
        guard let task else { return }
        task.cancel()
        await task.value
        Console.err("\r\u{1B}[K")
    }
}
