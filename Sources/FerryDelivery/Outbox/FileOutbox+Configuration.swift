extension FileOutbox {
    /// When the journal is flushed to disk, which decides when ``FileOutbox/enqueue(_:)`` (and acknowledge,
    /// reschedule, dead-letter, replay) return.
    ///
    /// Every mode is a group commit: whatever was written while the previous flush ran shares the next one, so many
    /// concurrent senders cost one `fsync`.
    public struct Durability: Sendable, Hashable, CustomStringConvertible {
        enum Mode: Sendable, Hashable {
            case everyRecord
            case interval(Duration)
            case noSync
        }

        let mode: Mode

        /// Flush as soon as records are written: the lowest latency to durable, the most flushes.
        public static let everyRecord = Durability(mode: .everyRecord)

        /// Flush at most once per `interval` (10 ms is a good default): callers wait up to the interval plus one
        /// flush, and throughput rises with the number of concurrent callers.
        /// - Parameter interval: The least time between two flushes.
        /// - Returns: The mode.
        public static func interval(_ interval: Duration) -> Durability {
            Durability(mode: .interval(max(interval, .zero)))
        }

        /// Never flush explicitly: calls return once records are handed to the operating system, which survives
        /// the process being killed but not a power loss or kernel crash.
        public static let noSync = Durability(mode: .noSync)

        /// `everyRecord`, `interval(10 ms)` or `noSync`.
        public var description: String {
            switch mode {
            case .everyRecord: "everyRecord"
            case .interval(let interval): "interval(\(interval))"
            case .noSync: "noSync"
            }
        }
    }

    /// How a ``FileOutbox`` writes its journal. The defaults suit a production host.
    ///
    /// Counts are ``PositiveCount``s, so zero or a negative size cannot be configured: write a literal where the
    /// value is known (`segmentSize: 8_388_608`) and check a value read at run time with
    /// `try PositiveCount(value, for: "segmentSize")`, which throws a ``ConfigurationError`` naming the setting.
    public struct Configuration: Sendable {
        /// When records are flushed (default: at most every 10 ms).
        public var durability: Durability
        /// A segment file is closed and a new one started once it holds this many bytes (default 64 MiB). A
        /// closed segment is deleted once everything recorded in it is acknowledged or copied forward. At least
        /// ``minimumSegmentSize`` (4 KiB): see ``validate()``.
        public var segmentSize: PositiveCount
        /// The largest stored item (id, metadata and payload JSON) accepted (default 16 MiB). From
        /// ``minimumItemSize`` (1 KiB) to ``largestItemSize`` (the journal's record limit, 256 MiB less 4 KiB): see
        /// ``validate()``.
        public var maximumItemSize: PositiveCount
        /// Closed segments are compacted (their live items copied into the current segment, then the files
        /// deleted) once live items fill no more than this fraction of them (default 0.25). 0 only deletes
        /// segments with nothing live.
        public var compactionThreshold: Double
        /// How many ids of acknowledged items the outbox remembers, across restarts, so that enqueueing them again
        /// is ignored (default `nil`: forgotten at once). Set it to at least the size of a sender's input when the
        /// sender restarts from the beginning after a crash (a JSONL file sent again): delivered lines are then
        /// not sent twice. The oldest ids are forgotten first; each costs about its length in memory and on disk.
        public var acknowledgedIDMemory: PositiveCount?

        /// Creates a configuration.
        /// - Parameters:
        ///   - durability: When records are flushed (default every 10 ms).
        ///   - segmentSize: The size at which segment files roll (default 64 MiB; at least 4 KiB, checked by
        ///     ``validate()``).
        ///   - maximumItemSize: The largest stored item (default 16 MiB; 1 KiB to 256 MiB less 4 KiB, checked by
        ///     ``validate()``).
        ///   - compactionThreshold: The live fraction at or below which closed segments are compacted (default
        ///     0.25, clamped to 0...0.5).
        ///   - acknowledgedIDMemory: How many acknowledged ids to remember (default `nil`: none).
        public init(
            durability: Durability = .interval(.milliseconds(10)),
            segmentSize: PositiveCount = 67_108_864,
            maximumItemSize: PositiveCount = 16_777_216,
            compactionThreshold: Double = 0.25,
            acknowledgedIDMemory: PositiveCount? = nil
        ) {
            self.durability = durability
            self.segmentSize = segmentSize
            self.maximumItemSize = maximumItemSize
            self.compactionThreshold = min(max(0, compactionThreshold), 0.5)
            self.acknowledgedIDMemory = acknowledgedIDMemory
        }

        /// The smallest ``segmentSize``: 4 KiB. Smaller segments would roll after every few records.
        public static let minimumSegmentSize = 4096
        /// The smallest ``maximumItemSize``: 1 KiB, room for an item's id and metadata with a small payload.
        public static let minimumItemSize = 1024
        /// The largest ``maximumItemSize``: 256 MiB less 4 KiB, the journal's record limit less room for the
        /// record's own fields.
        public static let largestItemSize = JournalFrame.maximumBodySize - 4096

        /// Checks the sizes: ``segmentSize`` at least ``minimumSegmentSize``, ``maximumItemSize`` from
        /// ``minimumItemSize`` to ``largestItemSize``. ``FileOutbox/init(directory:configuration:)`` calls it and
        /// refuses a configuration that fails, rather than changing the sizes silently.
        /// - Throws: ``ConfigurationError`` naming the setting, the allowed range, and what to do.
        public func validate() throws(ConfigurationError) {
            try ConfigurationError.check(
                segmentSize.value, in: Self.minimumSegmentSize...Int.max, "segmentSize",
                meaning: "the size in bytes at which a journal segment file rolls",
                reason: "smaller segments would roll after every few records")
            try ConfigurationError.check(
                maximumItemSize.value, in: Self.minimumItemSize...Self.largestItemSize, "maximumItemSize",
                meaning: "the largest stored item in bytes",
                reason: "an item needs room for its id and metadata, and the journal's records are limited to 256 MiB")
        }

        /// ``segmentSize`` in bytes (``validate()`` checked it).
        var segmentBytes: Int { segmentSize.value }
        /// ``maximumItemSize`` in bytes (``validate()`` checked it).
        var maximumItemBytes: Int { maximumItemSize.value }
        /// ``acknowledgedIDMemory`` as a count (0 for none).
        var acknowledgedIDCount: Int { acknowledgedIDMemory?.value ?? 0 }
    }
}
