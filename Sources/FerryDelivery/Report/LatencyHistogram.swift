/// Latencies in fixed memory: log-linear buckets from 1 µs to about 38 hours, each within 1/32 (about 3%) of
/// the values it holds, so percentiles over millions of deliveries cost a few kilobytes.
public struct LatencyHistogram: Sendable, Hashable {
    /// Sub-buckets per power of two: the resolution.
    static let subBuckets = 32
    /// Powers of two covered above 32 µs (up to 2³⁷ µs, about 38 hours).
    static let octaves = 32

    private var counts: [UInt64]
    /// How many latencies were recorded.
    public private(set) var count: UInt64 = 0
    /// The largest latency recorded, in microseconds.
    public private(set) var maximumMicroseconds: UInt64 = 0

    /// Creates an empty histogram.
    public init() {
        counts = Array(repeating: 0, count: LatencyHistogram.subBuckets * (LatencyHistogram.octaves + 1))
    }

    /// Records one latency (negative values count as zero, values beyond the range as the largest bucket).
    /// - Parameter latency: The measured duration.
    public mutating func record(_ latency: Duration) {
        let (seconds, attoseconds) = latency.components
        let micros = seconds < 0 ? 0 : UInt64(seconds) &* 1_000_000 &+ UInt64(max(attoseconds, 0) / 1_000_000_000_000)
        counts[LatencyHistogram.bucket(for: micros)] += 1
        count += 1
        maximumMicroseconds = max(maximumMicroseconds, micros)
    }

    /// Adds every latency of another histogram to this one.
    /// - Parameter other: The histogram to merge in.
    public mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        count += other.count
        maximumMicroseconds = max(maximumMicroseconds, other.maximumMicroseconds)
    }

    /// The latency below which `fraction` of the recorded latencies fall (the upper edge of its bucket, capped
    /// at the maximum seen), or `nil` when nothing was recorded.
    /// - Parameter fraction: From 0 to 1, e.g. 0.95 for p95.
    /// - Returns: The percentile as a duration.
    public func percentile(_ fraction: Double) -> Duration? {
        guard count > 0 else { return nil }
        let rank = max(1, UInt64((min(max(fraction, 0), 1) * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= rank {
                // The last bucket also holds everything beyond the range: its edge is the maximum seen.
                let edge = index == counts.count - 1 ? maximumMicroseconds : LatencyHistogram.upperEdge(of: index)
                return .microseconds(Int64(min(edge, maximumMicroseconds)))
            }
        }
        return .microseconds(Int64(maximumMicroseconds))
    }

    /// Values under 32 µs have a bucket each; above, each power of two is split into 32 equal buckets.
    static func bucket(for micros: UInt64) -> Int {
        let sub = UInt64(subBuckets)
        guard micros >= sub else { return Int(micros) }
        let shift = (63 - micros.leadingZeroBitCount) - 5  // micros >> shift is in 32..<64
        guard shift < octaves else { return subBuckets * (octaves + 1) - 1 }
        return (shift + 1) * subBuckets + Int((micros >> UInt64(shift)) - sub)
    }

    static func upperEdge(of index: Int) -> UInt64 {
        guard index >= subBuckets else { return UInt64(index) }
        let shift = UInt64(index / subBuckets - 1)
        let offset = UInt64(index % subBuckets)
        return ((UInt64(subBuckets) + offset + 1) << shift) - 1
    }
}
