extension FileOutbox {
    /// What opening the outbox found in its journal: what was replayed, what was skipped as torn or corrupt, and
    /// what was in flight when the previous process stopped.
    ///
    /// A crash while writing leaves at most a torn record at the end of the last segment; it is skipped, cut off
    /// and reported here. Anything skipped elsewhere means the disk damaged data: items whose records were lost
    /// are gone from the outbox, and deliveries whose acknowledgement was lost are repeated (the `Idempotency-Key`
    /// makes Salesforce store them once).
    public struct RecoveryReport: Sendable, Hashable, Codable {
        /// One run of bytes recovery could not read as records.
        public struct SkippedRange: Sendable, Hashable, Codable, CustomStringConvertible {
            /// The segment file's name.
            public var segment: String
            /// Where the unreadable bytes start.
            public var offset: Int
            /// How many bytes were skipped.
            public var byteCount: Int
            /// Why (a torn tail, a checksum mismatch, a bad header).
            public var reason: String
            /// Whether the bytes were cut off the end of the file (a torn tail) so they are not reported again.
            public var truncated: Bool

            /// Creates a skipped range.
            /// - Parameters:
            ///   - segment: The file name.
            ///   - offset: The first skipped byte.
            ///   - byteCount: The number of bytes.
            ///   - reason: Why.
            ///   - truncated: Whether they were cut off.
            public init(segment: String, offset: Int, byteCount: Int, reason: String, truncated: Bool) {
                self.segment = segment
                self.offset = offset
                self.byteCount = byteCount
                self.reason = reason
                self.truncated = truncated
            }

            /// `segment-...journal at offset N: M bytes skipped (reason)`.
            public var description: String {
                "\(segment) at offset \(offset): \(byteCount) bytes skipped (\(reason))\(truncated ? ", cut off" : "")"
            }
        }

        /// Segment files read.
        public var segmentsRead: Int
        /// Records replayed.
        public var recordsReplayed: Int
        /// Bytes that could not be read as records; empty after a clean shutdown or an ordinary crash.
        public var skipped: [SkippedRange]
        /// Items that were leased (in flight) when the journal was last written: pending again now, because
        /// leases do not survive a restart.
        public var releasedLeases: Int
        /// What the outbox holds after recovery.
        public var counts: OutboxCounts
        /// How long recovery took, in seconds.
        public var seconds: Double

        /// Creates a report.
        /// - Parameters:
        ///   - segmentsRead: Segment files read.
        ///   - recordsReplayed: Records replayed.
        ///   - skipped: Unreadable byte ranges.
        ///   - releasedLeases: Items in flight at the stop.
        ///   - counts: What the outbox holds.
        ///   - seconds: The time recovery took.
        public init(
            segmentsRead: Int, recordsReplayed: Int, skipped: [SkippedRange], releasedLeases: Int,
            counts: OutboxCounts, seconds: Double
        ) {
            self.segmentsRead = segmentsRead
            self.recordsReplayed = recordsReplayed
            self.skipped = skipped
            self.releasedLeases = releasedLeases
            self.counts = counts
            self.seconds = seconds
        }

        /// `true` when every byte of the journal was read as records.
        public var isClean: Bool { skipped.isEmpty }
    }
}
