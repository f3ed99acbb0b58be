import FerryCore
import FerryDelivery
import Foundation

/// Remembers a fingerprint of the last token used, to notice when a new one arrives without keeping the token.
final class LastTokenTracker: Sendable {
    private let last = FerryMutex<Int?>(nil)

    /// Records `token`; returns `true` when it differs from the previous one.
    func replace(with token: String) -> Bool {
        var hasher = Hasher()
        hasher.combine(token)
        let fingerprint = hasher.finalize()
        return last.withLock { last in
            defer { last = fingerprint }
            return last != fingerprint
        }
    }
}
