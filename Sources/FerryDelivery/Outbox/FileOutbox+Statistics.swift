extension FileOutbox {
    /// Counters of the journal writer since the outbox was opened.
    public struct Statistics: Sendable, Hashable, Codable {
        /// Writes to segment files (each carries everything queued for one file at that moment).
        public var writes: Int
        /// `fsync` calls on segment files.
        public var flushes: Int
        /// Bytes appended to segment files.
        public var bytesWritten: Int
        /// Segment files deleted because nothing live was left in them.
        public var segmentsDeleted: Int

        /// Creates counters.
        /// - Parameters:
        ///   - writes: `write` calls.
        ///   - flushes: `fsync` calls.
        ///   - bytesWritten: Bytes written.
        ///   - segmentsDeleted: Segments deleted.
        public init(writes: Int, flushes: Int, bytesWritten: Int, segmentsDeleted: Int) {
            self.writes = writes
            self.flushes = flushes
            self.bytesWritten = bytesWritten
            self.segmentsDeleted = segmentsDeleted
        }
    }
}
