import FerryCore
import Foundation

/// The shared state and the deliverer loop behind a ``DeliveryPipeline``. Deliverer tasks hold the engine, not
/// the pipeline, so dropping the pipeline cancels them.
final class PipelineEngine: Sendable {
    struct State {
        var accepting = true
        var stopping = false
        var breaker: CircuitBreaker
        var bucket: TokenBucket?
        var report = ReportAccumulator()
        /// Ids of items accepted by this process that hold a queue permit until they finish.
        var permitHolders: Set<String> = []
    }

    let destination: any Destination
    let transport: any HTTPTransport
    let outbox: any Outbox
    let configuration: DeliveryPipeline.Configuration
    let clock: any FerryClock
    let permits: AsyncSemaphore
    let wake = WakeSignal()
    let events: EventBroadcaster
    let counters: ConnectionCounters
    let state: FerryMutex<State>
    /// The destination's type name, carried by events.
    let destinationName: String

    init(
        destination: any Destination, transport: any HTTPTransport, outbox: any Outbox,
        configuration: DeliveryPipeline.Configuration, clock: any FerryClock, events: EventBroadcaster,
        counters: ConnectionCounters
    ) {
        self.events = events
        self.counters = counters
        self.destination = destination
        destinationName = String(describing: type(of: destination))
        self.outbox = outbox
        acknowledgesEachRequest = outbox.capabilities.contains(.durable)
        self.configuration = configuration
        self.clock = clock
        permits = AsyncSemaphore(permits: configuration.queueCapacity.value)
        state = FerryMutex(State(
            breaker: CircuitBreaker(configuration: configuration.circuitBreaker),
            bucket: configuration.requestsPerSecond.map { TokenBucket(rate: $0.perSecond) }))
        self.transport = transport
    }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Stops accepting and lets the deliverers end once the outbox is drained: the first step of a shutdown.
    func beginStopping() {
        state.withLock { state in
            state.accepting = false
            state.stopping = true
        }
    }

    // MARK: - Accepting

    func accept(_ items: [DeliveryItem]) async throws {
        guard state.withLock({ $0.accepting }) else { throw DeliveryError.shutDown }
        var accepted: [DeliveryItem] = []
        accepted.reserveCapacity(items.count)
        do {
            var next = 0
            while next < items.count {
                // As many permits as are free at once (at least one, waiting for it when the queue is full).
                let granted = try await permits.acquire(upTo: items.count - next)
                let now = clock.now
                let end = next + granted
                let duplicates = state.withLock { state -> Int in
                    var duplicates = 0
                    for index in next..<end {
                        var item = items[index]
                        // The same id sent twice while the first is still on its way is one item: give the
                        // permit back.
                        guard state.permitHolders.insert(item.id).inserted else {
                            duplicates += 1
                            continue
                        }
                        if item.acceptedAt == nil { item.acceptedAt = now }
                        if item.orderingKey == nil { item.orderingKey = destination.orderingKey(for: item) }
                        accepted.append(item)
                    }
                    return duplicates
                }
                permits.release(duplicates)
                next = end
            }
            let added = try await outbox.enqueue(accepted)
            // Ids the outbox already knew (pending from an earlier run, dead, or remembered as delivered) are not
            // new items: they hold no place in this run's queue.
            let known = added.count == accepted.count ? [] : accepted.map(\.id).filter { !added.contains($0) }
            if !known.isEmpty {
                let released = state.withLock { state in known.filter { state.permitHolders.remove($0) != nil }.count }
                permits.release(released)
            }
        } catch {
            let ids = accepted.map(\.id)
            let released = state.withLock { state in ids.filter { state.permitHolders.remove($0) != nil }.count }
            permits.release(released)
            if error is CancellationError { throw error }
            throw DeliveryError.outboxFailed(error)
        }
        wake.signal()
    }

    /// Records an outcome for an item that never entered the outbox (aborted, or its payload failed to render).
    func recordDirect(_ outcome: DeliveryOutcome) {
        finish(outcome, latency: nil)
    }

    // MARK: - Delivering

    /// Whether deliveries are acknowledged after each request rather than after each lease: for durable outboxes;
    /// an outbox whose contents die with the process is told once per lease.
    let acknowledgesEachRequest: Bool

    func runDeliverer() async {
        let batchLimit = max(1, destination.maximumBatchSize)
        // One-item destinations start with one item per lease when there are other deliverers: a deliverer sends
        // its lease's items one after another, so a larger first lease leaves the others idle (32 items with
        // concurrency 16 went out 2 at a time when each lease took 16). A lone deliverer leases a few at a time,
        // so the outbox is not asked once per item.
        let baseLeaseLimit = batchLimit == 1 ? (configuration.concurrency.value == 1 ? 16 : 1) : batchLimit
        // One-item destinations lease more at a time while leases come back full (a backlog): fewer outbox calls
        // per item. A lease that comes back short drops it back, so a small queue still spreads over deliverers.
        var leaseLimit = baseLeaseLimit
        while !Task.isCancelled {
            let seen = wake.generation
            var leased: [DeliveryItem]
            do {
                leased = try await outbox.lease(limit: leaseLimit, at: clock.now, for: configuration.leaseDuration)
                if batchLimit == 1 {
                    leaseLimit = leased.count == leaseLimit ? min(leaseLimit * 2, 128) : baseLeaseLimit
                }
            } catch {
                emitOutboxError(error, items: [])
                try? await clock.sleep(for: .seconds(1))
                continue
            }
            if leased.isEmpty {
                let next = try? await outbox.nextAvailableDate()
                if isStopping {
                    let outstanding = (try? await outbox.counts().outstanding) ?? 0
                    if outstanding == 0 || next == nil {
                        wake.signal()  // let the other idle deliverers see it too
                        return
                    }
                }
                await wake.wait(after: seen, until: idleDeadline(next: next), clock: clock)
                continue
            }
            if acknowledgesEachRequest, configuration.apiReserve?.reached != nil {
                // The org's reserve is reached and the outbox outlives this process: the items go back untouched
                // (without waking the other deliverers, who could only do the same) until new work or shutdown.
                await putBack(leased)
                if isStopping {
                    wake.signal()  // let the other deliverers see it too
                    return
                }
                await wake.wait(after: wake.generation, until: nil, clock: clock)
                continue
            }
            if leased.count < leaseLimit, batchLimit > 1, configuration.batchLinger > .zero, !isStopping {
                try? await clock.sleep(for: configuration.batchLinger)
                if let more = try? await outbox.lease(
                    limit: leaseLimit - leased.count, at: clock.now, for: configuration.leaseDuration)
                {
                    leased.append(contentsOf: more)
                }
            }
            await deliverLease(leased, batchLimit: batchLimit)
        }
    }

    /// Works through one lease a request at a time, renewing the leases of what is not finished once a third
    /// of ``DeliveryPipeline/Configuration/leaseDuration`` has passed since the last renewal: however slow the
    /// org, no other deliverer takes these items while this one holds them. Between requests the deliverer renews
    /// them itself; a heartbeat beside it renews them while one call runs longer (a slow Apex or sObject request,
    /// a Bulk job). One heartbeat per lease, not per request; it watches the clock (``FerryClock/watch(until:)``),
    /// so a test clock moved to its next deadline is not moved by it, and it is cancelled and awaited before the
    /// deliverer leases again.
    private func deliverLease(_ leased: [DeliveryItem], batchLimit: Int) async {
        let holding = LeaseHolding(leased, renewedAt: clock.now)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.heartbeat(holding) }
            await workThrough(leased, batchLimit: batchLimit, holding: holding)
            group.cancelAll()
        }
    }

    private func workThrough(_ leased: [DeliveryItem], batchLimit: Int, holding: LeaseHolding) async {
        var start = 0
        // Delivered items of this lease, acknowledged together: one outbox call per lease, not per item. A
        // durable outbox outlives the process, so it hears of every request's deliveries at once: after a
        // crash, only the requests in flight are sent again, not a whole lease's worth.
        var delivered = Delivered()
        while start < leased.count {
            let end = min(start + batchLimit, leased.count)
            await renewIfDue(holding)
            // Items whose lease ran out and went to another deliverer are theirs now: not sent from here.
            let batch = holding.keepHeld(Array(leased[start..<end])).held
            start = end
            let proceed = batch.isEmpty ? true : await attempt(batch, delivered: &delivered)
            if proceed && acknowledgesEachRequest { await acknowledge(&delivered) }
            if !proceed {
                // The circuit opened or the task was cancelled: hand the rest back untouched.
                await acknowledge(&delivered)
                await handBack(holding.keepHeld(Array(leased[start...])).held)
                break
            }
            // Settled in the outbox (acknowledged, rescheduled or dead-lettered) only when acknowledged per
            // request; otherwise delivered items stay leased until the acknowledgement below, and renewed.
            if acknowledgesEachRequest { holding.finish(through: start) }
        }
        await acknowledge(&delivered)
        holding.finish(through: leased.count)
    }

    /// When the leases `holding` holds are due for renewal: a third of the lease after the last renewal, so two
    /// renewals can fail (or run late) before a lease runs out.
    private func renewalDue(_ holding: LeaseHolding) -> Date {
        holding.renewedAt.addingTimeInterval(configuration.leaseDuration.seconds / 3)
    }

    /// Renews what `holding` still holds when a third of the lease has passed since its last renewal.
    private func renewIfDue(_ holding: LeaseHolding) async {
        let now = clock.now
        guard now >= renewalDue(holding) else { return }
        await renew(holding, at: now)
    }

    /// Renews whenever renewal falls due while the deliverer has not done it itself (one call still in flight),
    /// until cancelled at the end of the lease.
    private func heartbeat(_ holding: LeaseHolding) async {
        while true {
            do { try await clock.watch(until: renewalDue(holding)) } catch { return }
            await renewIfDue(holding)
        }
    }

    /// Extends the leases `holding` still holds, and records what the outbox no longer holds for it (their lease
    /// ran out and another deliverer took them).
    private func renew(_ holding: LeaseHolding, at now: Date) async {
        holding.renewedAt = now
        let items = Array(holding.held)
        guard !items.isEmpty else { return }
        let ids = items.map(\.id)
        do {
            let renewed = try await outbox.renew(leased: items, at: now, for: configuration.leaseDuration)
            if renewed.count < ids.count { holding.markLost(ids.lazy.filter { !renewed.contains($0) }) }
        } catch {
            // The leases run out as they would without renewal; the next renewal tries again.
            emitOutboxError(error, items: ids)
        }
    }

    /// When an idle deliverer looks in the outbox again: at the next available item, or sooner when the outbox is
    /// shared and polled.
    private func idleDeadline(next: Date?) -> Date? {
        guard let interval = configuration.idlePollInterval else { return next }
        let poll = clock.now.addingTimeInterval(interval.seconds)
        guard let next else { return poll }
        return min(next, poll)
    }

    /// Delivered items waiting for their acknowledgement.
    struct Delivered {
        var ids: [String] = []
        var outcomes: [(DeliveryItem, DeliveryReceipt)] = []
    }

    /// Makes one attempt for `batch`. Returns `false` when the remaining prefetched items should be handed back.
    private func attempt(_ batch: consuming [DeliveryItem], delivered: inout Delivered) async -> Bool {
        let now = clock.now
        enum Permission { case wait(Date), go(Duration) }
        // One lock for the breaker and the rate limit.
        let permission = state.withLock { state -> Permission in
            if case .wait(let until) = state.breaker.permission(at: now) { return .wait(until) }
            guard var bucket = state.bucket else { return .go(.zero) }
            defer { state.bucket = bucket }
            return .go(bucket.reserve(at: now))
        }
        let wait: Duration
        switch permission {
        case .wait(let until):
            await handBack(batch, availableAt: until)
            return false
        case .go(let duration):
            wait = duration
        }
        if wait > .zero {
            do { try await clock.sleep(for: wait) } catch {
                await handBack(batch)
                return false
            }
        }

        let started = wait > .zero ? clock.now : now
        var attempted = consume batch
        // The org's daily allowance is kept: once an answer showed the reserve reached, no request starts (and no
        // attempt is counted); the items fail with what the org has used.
        if let reserve = configuration.apiReserve, let reached = reserve.reached {
            if acknowledgesEachRequest {
                // A durable outbox keeps what the reserve stops, untouched, for a later run.
                await handBack(attempted)
                return false
            }
            let failed = DeliveryAttemptResult.failed(reserve.failure(for: reached))
            await complete(attempted, Array(repeating: failed, count: attempted.count), only: nil, delivered: &delivered)
            return true
        }
        var retries = 0
        for index in attempted.indices {
            attempted[index].attempts += 1
            if attempted[index].attempts > 1 { retries += 1 }
            if attempted[index].firstAttemptAt == nil { attempted[index].firstAttemptAt = started }
        }
        state.withLock { $0.report.recordAttempts(attempted.count, retries: retries) }
        events.emit(DeliveryEvent(
            kind: .attempt, date: started, itemIDs: attempted.map(\.id), attempt: attempted[0].attempts,
            destination: destinationName))

        var results = await destination.deliver(attempted, using: transport)
        if results.count != attempted.count {
            let failure = DeliveryFailure(
                status: nil, errorCode: .destinationContract,
                message: "the destination returned \(results.count) results for \(attempted.count) items; a Destination must return one result per item, in order",
                retryability: .final)
            results = Array(repeating: .failed(failure), count: attempted.count)
        }
        if events.hasSubscribers { emitAttemptCompleted(attempted, results, started: started) }
        if Task.isCancelled {
            // Shutting down mid-request: what was delivered is acknowledged; the rest goes back untouched.
            var acknowledged: [String] = []
            var handedBack: [DeliveryItem] = []
            for (item, result) in zip(attempted, results) {
                if case .delivered = result { acknowledged.append(item.id) } else { handedBack.append(item) }
            }
            await complete(attempted, results, only: Set(acknowledged), delivered: &delivered)
            await handBack(handedBack)
            return false
        }

        let everyResultTransient = results.allSatisfy { result in
            if case .failed(let failure) = result { return failure.retryability.canRetry }
            return false
        }
        let answered = clock.now
        let transition = state.withLock { state in
            everyResultTransient ? state.breaker.recordTransientFailure(at: answered) : state.breaker.recordSuccess()
        }
        switch transition {
        case .opened(let until):
            events.emit(DeliveryEvent(kind: .circuitOpened, date: answered, destination: destinationName, until: until))
        case .closed:
            events.emit(DeliveryEvent(kind: .circuitClosed, date: answered, destination: destinationName))
        case nil: break
        }
        await complete(attempted, results, only: nil, delivered: &delivered)
        return true
    }

    /// Reschedules or dead-letters each failed item by its result, and adds delivered ones to `delivered` for
    /// ``acknowledge(_:)``.
    private func complete(
        _ items: [DeliveryItem], _ results: [DeliveryAttemptResult], only: Set<String>?, delivered: inout Delivered
    ) async {
        for (item, result) in zip(items, results) {
            if let only, !only.contains(item.id) { continue }
            switch result {
            case .delivered(let receipt):
                delivered.ids.append(item.id)
                delivered.outcomes.append((item, receipt))
            case .failed(let failure):
                // Outcomes keep the order of the outbox's changes: settle the deliveries before this item moves.
                await acknowledge(&delivered)
                let now = clock.now
                let elapsed = Duration.seconds(now.timeIntervalSince(item.firstAttemptAt ?? now))
                if failure.retryability.canRetry,
                    let delay = configuration.retryPolicy.delay(
                        afterAttempt: item.attempts, retryability: failure.retryability,
                        retryAfter: failure.retryAfter, elapsed: elapsed)
                {
                    do {
                        try await outbox.reschedule(item, availableAt: now.addingTimeInterval(delay.seconds))
                        events.emit(DeliveryEvent(
                            kind: .retryScheduled, date: now, itemIDs: [item.id], attempt: item.attempts,
                            destination: destinationName, status: failure.status, errorCode: failure.errorCode,
                            delay: delay, failure: failure))
                        wake.signal()
                    } catch {
                        emitOutboxError(error, items: [item.id])
                    }
                } else {
                    do {
                        try await outbox.deadLetter(item, failure: failure)
                        finish(.failed(item, failure, gaveUp: failure.retryability.canRetry), latency: nil)
                    } catch {
                        emitOutboxError(error, items: [item.id])
                    }
                }
            }
        }
    }

    /// Removes delivered items from the outbox, then records their outcomes (under one lock).
    private func acknowledge(_ delivered: inout Delivered) async {
        guard !delivered.ids.isEmpty else { return }
        defer { delivered = Delivered() }
        do {
            try await outbox.acknowledge(leased: delivered.outcomes.map(\.0))
        } catch {
            // The items stay leased and come back when the lease expires; the idempotency key keeps the repeat
            // from storing a second record.
            emitOutboxError(error, items: delivered.ids)
            return
        }
        let now = clock.now
        if let handler = configuration.outcomeHandler {
            for (item, receipt) in delivered.outcomes { handler(.delivered(item, receipt)) }
        }
        let (released, stopping) = state.withLock { state -> (Int, Bool) in
            var released = 0
            for (item, receipt) in delivered.outcomes {
                let latency = item.acceptedAt.map { Duration.seconds(now.timeIntervalSince($0)) }
                state.report.record(.delivered(item, receipt), latency: latency)
                if state.permitHolders.remove(item.id) != nil { released += 1 }
            }
            return (released, state.stopping)
        }
        permits.release(released)
        if events.hasSubscribers {
            for (item, receipt) in delivered.outcomes {
                let latency = item.acceptedAt.map { Duration.seconds(now.timeIntervalSince($0)) }
                events.emit(DeliveryEvent(
                    outcome: .delivered(item, receipt), date: now, destination: destinationName, latency: latency))
            }
        }
        if stopping { wake.signal() }
    }

    /// Returns leased items to pending without counting an attempt.
    private func handBack(_ items: [DeliveryItem], availableAt date: Date? = nil) async {
        await putBack(items, availableAt: date)
        if !items.isEmpty { wake.signal() }
    }

    /// Returns items to the outbox untouched, available at `date` (default now), without waking anyone.
    private func putBack(_ items: [DeliveryItem], availableAt date: Date? = nil) async {
        let when = date ?? clock.now
        for item in items {
            do { try await outbox.reschedule(item, availableAt: when) } catch {
                emitOutboxError(error, items: [item.id])
            }
        }
    }

    private func finish(_ outcome: DeliveryOutcome, latency: Duration?) {
        configuration.outcomeHandler?(outcome)
        let (heldPermit, stopping) = state.withLock { state -> (Bool, Bool) in
            state.report.record(outcome, latency: latency)
            return (state.permitHolders.remove(outcome.itemID) != nil, state.stopping)
        }
        if heldPermit { permits.release() }
        events.emit(DeliveryEvent(outcome: outcome, date: clock.now, destination: destinationName, latency: latency))
        if stopping { wake.signal() }
    }

    /// Reports what the outbox threw, as the error itself (callers inspect it with `as?`).
    func emitOutboxError(_ error: any Error, items: [String]) {
        events.emit(DeliveryEvent(
            kind: .outboxError, date: clock.now, itemIDs: items, destination: destinationName, error: error))
    }

    /// Reports how a request went: how long it took and the first item's status and error code.
    private func emitAttemptCompleted(_ items: [DeliveryItem], _ results: [DeliveryAttemptResult], started: Date) {
        let answered = clock.now
        var status: Int?
        var failure: DeliveryFailure?
        switch results.first {
        case .delivered(let receipt): status = receipt.status
        case .failed(let failed):
            status = failed.status
            failure = failed
        case nil: break
        }
        events.emit(DeliveryEvent(
            kind: .attemptCompleted, date: answered, itemIDs: items.map(\.id), attempt: items.first?.attempts,
            destination: destinationName, status: status, errorCode: failure?.errorCode,
            latency: .seconds(answered.timeIntervalSince(started)), failure: failure))
    }

    func report() -> DeliveryReport {
        var report = state.withLock { $0.report.snapshot(eventsDropped: events.droppedCount) }
        report.apiCalls = counters.apiCalls
        report.tokenRequests = counters.tokenRequests
        report.apiUsage = counters.usage
        return report
    }
}
