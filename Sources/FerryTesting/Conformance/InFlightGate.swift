import FerryCore

/// Holds a server's requests until `target` of them are in flight at once, then lets them all go: proof, counted
/// at the server and independent of timing, that a client really keeps that many requests open.
///
/// Call ``enter()`` when a request arrives (it returns once the gate is open) and ``leave()`` before answering.
/// ``peak`` is the most requests seen in flight together. If fewer than `target` ever arrive together, the gate
/// opens after `giveUpAfter` so that the test ends and reports the smaller peak instead of hanging.
///
/// ```swift
/// let gate = InFlightGate(target: 16)
/// let server = try LoopbackHTTPServer { _ in
///     await gate.enter()
///     await gate.leave()
///     return .response(HTTPResponse(status: 200, text: "ok"))
/// }
/// // ... send 16 requests at once through the client under test ...
/// #expect(await gate.peak == 16)
/// ```
public actor InFlightGate {
    /// The number of requests in flight that opens the gate.
    public let target: Int
    /// Requests in flight now.
    public private(set) var inFlight = 0
    /// The most requests that were in flight at once.
    public private(set) var peak = 0
    /// Whether the gate has opened (because `target` requests were in flight, or the safety deadline passed).
    public private(set) var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var safety: Task<Void, Never>?

    /// Creates a closed gate.
    /// - Parameters:
    ///   - target: How many requests in flight at once open the gate (at least 1).
    ///   - giveUpAfter: A safety net, not a measurement: when the target is never reached, the gate opens this long
    ///     after the first request arrived, so the test finishes and reports the peak it saw (default 20 s).
    public init(target: Int, giveUpAfter: Duration = .seconds(20)) {
        self.target = max(1, target)
        self.giveUpAfter = giveUpAfter
    }

    private let giveUpAfter: Duration

    /// Counts a request in and waits until the gate is open.
    public func enter() async {
        inFlight += 1
        peak = max(peak, inFlight)
        if inFlight >= target { open() }
        if isOpen { return }
        if safety == nil {
            let delay = giveUpAfter
            safety = Task { [weak self] in
                try? await Task.sleep(for: delay)
                await self?.open()
            }
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Counts a request out (call it once for every ``enter()``, before answering).
    public func leave() {
        inFlight -= 1
    }

    /// Opens the gate: every waiting request goes on, and later ones do not wait.
    public func open() {
        guard !isOpen else { return }
        isOpen = true
        safety?.cancel()
        let released = waiting
        waiting = []
        for continuation in released { continuation.resume() }
    }
}
