import FerryCore
import Foundation

/// Rebuilds a ``JournalIndex`` from the segment files of a directory.
///
/// Segments are replayed in order, record by record. A frame whose length or checksum does not hold is skipped,
/// and reading resumes at the next offset where a valid frame starts (so damage in the middle of a segment costs
/// only the damaged records); the skipped bytes are reported. A torn tail of the last segment (a crash during a
/// write) is cut off so new records follow valid ones.
struct JournalRecovery {
    struct Result {
        var index: JournalIndex
        /// Where new records go, and how big that file already is.
        var activeSegment: UInt64
        var activeSize: Int
        var report: FileOutbox.RecoveryReport
    }

    static func run(directory: String, segmentSize: Int, memory: Int) throws(FileOutboxError) -> Result {
        let started = ContinuousClock.now
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw FileOutboxError.unusableDirectory(directory, reason: "its contents cannot be listed (\(error.localizedDescription))")
        }
        let segments = names.compactMap { name in JournalFileSystem.segmentNumber(name).map { ($0, name) } }
            .sorted { $0.0 < $1.0 }

        var index = JournalIndex()
        // About 200 bytes per record in a typical journal: size the tables once instead of growing them.
        let totalBytes = segments.reduce(0) { total, segment in
            total + ((try? FileManager.default.attributesOfItem(atPath: directory + "/" + segment.1)[.size] as? NSNumber)?.intValue ?? 0)
        }
        index.reserveCapacity(totalBytes / 200)
        var skipped: [FileOutbox.RecoveryReport.SkippedRange] = []
        var records = 0
        var activeSegment: UInt64 = 1
        var activeSize = 0
        for (position, (number, name)) in segments.enumerated() {
            let path = directory + "/" + name
            let bytes = try JournalFileSystem.readAll(path)
            let isLast = position == segments.count - 1
            index.recordBytes(bytes.count, in: number)
            activeSegment = number + 1
            activeSize = 0
            if bytes.isEmpty {
                // Created, then the process stopped before the header was written: nothing to read. The
                // segment is reused when it is the last one.
                if isLast {
                    activeSegment = number
                }
                continue
            }
            guard bytes.count >= JournalFrame.magic.count, bytes.starts(with: JournalFrame.magic) else {
                let torn = bytes.count < JournalFrame.magic.count && JournalFrame.magic.starts(with: bytes)
                if isLast && torn {
                    try JournalFileSystem.truncate(path, to: 0)
                    activeSegment = number
                }
                skipped.append(.init(
                    segment: name, offset: 0, byteCount: bytes.count,
                    reason: torn ? "torn segment header" : "not a Ferry outbox segment (bad header)",
                    truncated: isLast && torn))
                continue
            }
            var tornTail: FileOutbox.RecoveryReport.SkippedRange?
            bytes.withUnsafeBytes { buffer in
                var offset = JournalFrame.magic.count
                while offset < buffer.count {
                    if let body = JournalFrame.validFrame(in: buffer, at: offset), (try? apply(
                        UnsafeRawBufferPointer(rebasing: buffer[body]), segment: number, memory: memory, to: &index)) != nil
                    {
                        records += 1
                        offset = body.upperBound
                        continue
                    }
                    // Damaged or torn: find the next offset where a valid frame starts.
                    var probe = offset + 1
                    while probe < buffer.count {
                        if let body = JournalFrame.validFrame(in: buffer, at: probe), (try? parseCheck(
                            UnsafeRawBufferPointer(rebasing: buffer[body]))) != nil
                        {
                            break
                        }
                        probe += 1
                    }
                    let range = FileOutbox.RecoveryReport.SkippedRange(
                        segment: name, offset: offset, byteCount: probe - offset,
                        reason: probe >= buffer.count
                            ? "torn or corrupt record at the end of the segment"
                            : "corrupt record (length or checksum mismatch)",
                        truncated: false)
                    if probe >= buffer.count { tornTail = range } else { skipped.append(range) }
                    offset = probe
                }
            }
            if var tail = tornTail {
                if isLast {
                    try JournalFileSystem.truncate(path, to: tail.offset)
                    tail.truncated = true
                }
                skipped.append(tail)
            }
            if isLast {
                let size = tornTail.map { $0.offset } ?? bytes.count
                let cleanAbove = !skipped.contains { $0.segment == name && !$0.truncated }
                if cleanAbove && size < segmentSize {
                    activeSegment = number
                    activeSize = size
                }
            }
        }
        let released = index.finishRecovery()
        let report = FileOutbox.RecoveryReport(
            segmentsRead: segments.count, recordsReplayed: records, skipped: skipped, releasedLeases: released,
            counts: index.counts, seconds: (ContinuousClock.now - started).seconds)
        return Result(index: index, activeSegment: activeSegment, activeSize: activeSize, report: report)
    }

    /// Checks that a body parses, without applying it (while looking for where valid records resume).
    private static func parseCheck(_ body: UnsafeRawBufferPointer) throws(JournalRecord.Malformed) {
        _ = try JournalRecord.decode(body)
    }

    /// Replays one record body into the index.
    private static func apply(
        _ body: UnsafeRawBufferPointer, segment: UInt64, memory: Int, to index: inout JournalIndex
    ) throws(JournalRecord.Malformed) {
        let record = try JournalRecord.decode(body) { kind, id in
            switch kind {
            case .lease:
                index.markLeasedAtCrash(id)
            case .acknowledge:
                index.remove(id)
                index.remember(id, in: segment, limit: memory)
            case .remember:
                index.remember(id, in: segment, limit: memory)
            case .enqueue, .reschedule, .deadLetter, .replay, .rewrite:
                break  // no id list
            }
        }
        switch record {
        case .enqueue(let ordinal, let item):
            index.insertIfAbsent(id: item.id, bytes: item.bytes, ordinal: ordinal, home: segment)
        case .reschedule(let ordinal, let date, let item):
            index.put(id: item.id, bytes: item.bytes, ordinal: ordinal, state: .pending(date), home: segment)
        case .deadLetter(let ordinal, let failure, let item):
            index.put(id: item.id, bytes: item.bytes, ordinal: ordinal, state: .dead(failure), home: segment)
        case .replay(let ordinal, let item):
            index.put(id: item.id, bytes: item.bytes, ordinal: ordinal, state: .pending(nil), home: segment)
        case .rewrite(let ordinal, .pending(let date), let item):
            index.put(id: item.id, bytes: item.bytes, ordinal: ordinal, state: .pending(date), home: segment)
        case .rewrite(let ordinal, .dead(let failure), let item):
            index.put(id: item.id, bytes: item.bytes, ordinal: ordinal, state: .dead(failure), home: segment)
        case .lease, .acknowledge, .remember:
            break  // their ids were replayed one by one above
        }
    }
}
