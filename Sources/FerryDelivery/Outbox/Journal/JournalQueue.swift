/// Frames appended but not yet written, grouped by the segment file they belong to.
///
/// The segment of every frame is decided here, under the outbox's lock, when the frame is appended: so the index
/// knows which file holds each item's record before the writer has written it. The writer only writes chunks to
/// the files they name.
struct JournalQueue {
    struct Chunk {
        var segment: UInt64
        var bytes: [UInt8]
        /// The sequence number of the last append in the chunk.
        var endSequence: UInt64
    }

    private(set) var chunks: [Chunk] = []
    /// The segment new frames go to.
    private(set) var activeSegment: UInt64
    /// Its size including what is queued.
    private(set) var activeSize: Int
    let segmentSize: Int
    /// Incremented by each append; the writer reports which sequence numbers are written and flushed.
    private(set) var appendedSequence: UInt64 = 0

    init(activeSegment: UInt64, activeSize: Int, segmentSize: Int) {
        self.activeSegment = activeSegment
        self.activeSize = activeSize
        self.segmentSize = segmentSize
    }

    /// Appends encoded frames (kept together in one segment), starting a new segment first when the active one is
    /// full.
    /// - Returns: The segment, the bytes it grew by (the frames, plus a header for a new file) and whether a new
    ///   segment was started.
    mutating func append(_ frames: [UInt8]) -> (segment: UInt64, addedBytes: Int, rolled: Bool) {
        var rolled = false
        if activeSize > JournalFrame.magic.count, activeSize + frames.count > segmentSize {
            activeSegment += 1
            activeSize = 0
            rolled = true
        }
        appendedSequence += 1
        var added = frames.count
        if chunks.last?.segment == activeSegment {
            chunks[chunks.count - 1].bytes.append(contentsOf: frames)
            chunks[chunks.count - 1].endSequence = appendedSequence
        } else {
            var bytes: [UInt8] = []
            if activeSize == 0 {
                bytes.reserveCapacity(JournalFrame.magic.count + frames.count)
                bytes.append(contentsOf: JournalFrame.magic)
                added += JournalFrame.magic.count
            }
            bytes.append(contentsOf: frames)
            chunks.append(Chunk(segment: activeSegment, bytes: bytes, endSequence: appendedSequence))
        }
        activeSize += added
        return (activeSegment, added, rolled)
    }

    /// Hands every queued chunk to the writer.
    mutating func takeChunks() -> [Chunk] {
        defer { chunks = [] }
        return chunks
    }
}
