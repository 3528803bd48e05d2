extension ExactBatchSimulator {
  /// A batch's subjects walked a window of output rows at a time: one `Walk` per group of equal
  /// timelines and the results of the subjects that ran alone, every subject's outputs written
  /// to its place in the caller's rows.
  ///
  /// ```
  /// output o of subject j at row q → outputs[((q − firstRow)·O + o)·stride + j]
  /// ```
  /// A group that is the whole batch without padding lanes writes there directly; another
  /// walks into a scratch block of its lanes and is copied to its subjects' places; a subject
  /// alone is copied from its result. The same values, bit for bit, as `run(subjects:…)`.
  public struct Windows: Sendable {
    var groups: [(walk: Walk, subjects: [Int])]
    /// The subjects simulated alone and their results.
    public let alone: [(subject: Int, result: Result<SimulationResult, any Error>)]
    /// Per subject the total amount given (mg); 0 for a subject whose run alone failed.
    public let totalDoses: [Double]
    let outputCount: Int
    let timeCount: Int
    /// The next output row.
    public private(set) var row = 0

    init(
      groups: [(walk: Walk, subjects: [Int])],
      alone: [(subject: Int, result: Result<SimulationResult, any Error>)],
      totalDoses: [Double], outputCount: Int, timeCount: Int
    ) {
      self.groups = groups
      self.alone = alone
      self.totalDoses = totalDoses
      self.outputCount = outputCount
      self.timeCount = timeCount
    }

    /// Whether a subject failed: alone, or in its lane so far (the caller then simulates the
    /// batch otherwise; the rows written mean nothing for that subject).
    public var failed: Bool {
      !failedLanes.isEmpty
        || alone.contains {
          if case .failure = $0.result { return true } else { return false }
        }
    }

    /// The subjects whose lanes failed so far (to be simulated alone for their error).
    public var failedLanes: [Int] {
      groups.flatMap { group in zip(group.walk.failed, group.subjects).filter(\.0).map(\.1) }
    }

    /// Walks every subject on to output row `limit` (at most the last), writing rows
    /// `row..<limit`; at the last row, the records after it are taken too.
    public mutating func run(
      untilRow limit: Int, into outputs: UnsafeMutablePointer<Double>, stride: Int, firstRow: Int
    ) {
      let limit = Swift.min(limit, timeCount)
      let o = outputCount
      let count = limit - row
      for g in groups.indices {
        let subjects = groups[g].subjects
        let lanes = groups[g].walk.lanes
        if lanes == subjects.count && subjects.last! - subjects[0] == lanes - 1 {
          groups[g].walk.run(untilRow: limit, into: outputs + subjects[0], stride: stride, firstRow: firstRow)
          continue
        }
        var block = [Double](repeating: 0, count: Swift.max(count, 0) * o * lanes)
        block.withUnsafeMutableBufferPointer {
          groups[g].walk.run(untilRow: limit, into: $0.baseAddress!, stride: lanes, firstRow: row)
        }
        for q in 0..<(count * o) {
          let to = outputs + ((row - firstRow) * o + q) * stride
          for (l, j) in subjects.enumerated() { to[j] = block[q * lanes + l] }
        }
      }
      for (j, result) in alone {
        guard case .success(let r) = result else { continue }
        for q in 0..<(count * o) {
          outputs[((row - firstRow) * o + q) * stride + j] = r.concentrations[row * o + q]
        }
      }
      row = limit
    }
  }
}
