/// Every subject's value at every time point and column (outputs, then effects), for exact
/// percentiles: block b = t·W + w (W = O + E columns) holds the N subjects' values at positions
/// b·N + p (NaN for a subject that failed). Threads write disjoint positions.
final class _ExactValueStore: @unchecked Sendable {
  let values: UnsafeMutablePointer<Double>
  let size: Int

  init(count: Int) {
    size = count
    values = .allocate(capacity: Swift.max(count, 1))
    values.initialize(repeating: .nan, count: Swift.max(count, 1))
  }

  deinit { values.deallocate() }

  /// Writes the values of subjects at `positions` (each T × W, time-major) into their blocks,
  /// block by block (the batch's positions are neighbours, so each block is written in one
  /// place).
  func write(batch: [[Double]], positions: [Int], stride n: Int) {
    guard let size = batch.first?.count else { return }
    for b in 0..<size {
      for (c, p) in zip(batch, positions) { values[b * n + p] = c[b] }
    }
  }

  /// The values of block b, failed subjects left out.
  func values(block b: Int, stride n: Int) -> [Double] {
    var out: [Double] = []
    out.reserveCapacity(n)
    for p in 0..<n where !values[b * n + p].isNaN { out.append(values[b * n + p]) }
    return out
  }
}
