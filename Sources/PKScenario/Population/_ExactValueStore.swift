import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#else
  import Darwin
#endif

/// Every subject's value at every time point and column (outputs, then effects), for exact
/// percentiles: block b = t·W + w (W = O + E columns) holds the N subjects' values at positions
/// b·N + p (NaN for a subject that failed). Threads write disjoint positions.
///
/// The memory is mapped afresh (zero pages, on Linux asked for as huge pages) and never filled
/// beforehand: every position is written once, with the subject's values or, for a subject
/// that failed, with NaN (`markFailed`). Filling 115 MB with NaN for 10,000 subjects on a 1-min
/// grid had cost about 50 ms on one thread before any subject ran.
final class _ExactValueStore: @unchecked Sendable {
  let values: UnsafeMutablePointer<Double>
  let size: Int
  private let bytes: Int
  /// How many subjects `markFailed` took out. The runner reads the blocks only after every
  /// worker has finished writing (the summary rows), so a relaxed count is enough.
  private let failures = Atomic<Int>(0)

  /// nil when the memory cannot be mapped (the caller reports it).
  init?(count: Int) {
    size = count
    bytes = Swift.max(count, 1) * MemoryLayout<Double>.stride
    guard
      let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
      mapped != MAP_FAILED
    else { return nil }
    #if os(Linux)
      _ = madvise(mapped, bytes, MADV_HUGEPAGE)
    #endif
    values = mapped.bindMemory(to: Double.self, capacity: Swift.max(count, 1))
  }

  deinit { munmap(values, bytes) }

  /// Writes NaN at every block for the subject at `position` (its simulation failed).
  func markFailed(position p: Int, blocks: Int, stride n: Int) {
    failures.add(1, ordering: .relaxed)
    for b in 0..<blocks { values[b * n + p] = .nan }
  }

  /// Writes the values of subjects at `positions` (each T × W, time-major) into their blocks,
  /// block by block (the batch's positions are neighbours, so each block is written in one
  /// place), through the subjects' base addresses (no array access per value).
  func write(batch: [[Double]], positions: [Int], stride n: Int) {
    guard let size = batch.first?.count else { return }
    // The subjects' values stay alive in `batch` for the whole call.
    let sources = batch.map { c in c.withUnsafeBufferPointer { $0.baseAddress! } }
    sources.withUnsafeBufferPointer { sources in
      positions.withUnsafeBufferPointer { positions in
        for b in 0..<size {
          let block = values + b &* n
          for j in 0..<sources.count { block[positions[j]] = sources[j][b] }
        }
      }
    }
  }

  /// Writes the values of a batch's subjects given output-major (row b = t·W + w of `block`
  /// holds the batch's subjects at b·laneStride + j) for the subjects j where `lanes[j]` is
  /// true, subject j at position `firstPosition + j`: each row of the batch is one contiguous
  /// run of each block of the store.
  func write(block: [Double], laneStride: Int, lanes: [Bool], firstPosition p: Int, stride n: Int) {
    let rows = block.count / laneStride
    let all = lanes.allSatisfy { $0 }
    block.withUnsafeBufferPointer { source in
      for b in 0..<rows {
        let from = source.baseAddress! + b &* laneStride
        let to = values + (b &* n &+ p)
        if all {
          to.update(from: UnsafePointer(from), count: lanes.count)
        } else {
          for j in lanes.indices where lanes[j] { to[j] = from[j] }
        }
      }
    }
  }

  /// The values of block b, failed subjects left out, as a buffer into the store that the
  /// caller may reorder (the values are read once, by the summary rows). Without failures
  /// the block itself; with failures, its finite values moved to its front.
  func block(_ b: Int, stride n: Int) -> UnsafeMutableBufferPointer<Double> {
    let block = values + b * n
    if failures.load(ordering: .relaxed) == 0 {
      return UnsafeMutableBufferPointer(start: block, count: n)
    }
    var kept = 0
    for p in 0..<n where !block[p].isNaN {
      block[kept] = block[p]
      kept += 1
    }
    return UnsafeMutableBufferPointer(start: block, count: kept)
  }
}
