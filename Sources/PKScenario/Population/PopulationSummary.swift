import PKCore
import PKStatistics

/// The running summary of a population's concentrations and effects, per column and time
/// point. In sketch mode: an exact sum for the mean, counts above each threshold
/// (concentrations only) and a DDSketch for the percentiles. In exact mode the caller keeps
/// every value (`row(_:exactValues:)` reads them), so the summary counts subjects and the rows
/// take the same exact sums and counts from the values. Every part adds up the same whatever
/// the order of the subjects, so summaries of threads, batches or shards merge into exactly the
/// summary of one run.
///
/// ```
/// columns w = 0…O−1: the outputs' concentrations (ng/mL); w = O…O+E−1: the effects (their units)
/// mean(t, w)      = (Σ_subjects x_s,w(t)) / N           (the sum exact, then rounded once)
/// above(t, o, c)  = #{s : C_s,o(t) > c} / N             (o < O)
/// p-th percentile = sketch quantile (sketch mode) or type-7 percentile of the sorted values
/// ```
/// Effects may be negative or zero: the sketch keeps negative values in a mirrored store and
/// zeros in a zero count, and the exact percentiles sort any finite values.
/// Exact sums: Neal RM, arXiv:1505.05571 (2015); sketch: Masson, Rim & Lee, PVLDB 2019;12:2195.
public struct PopulationSummary: Sendable, Equatable {
  /// What is reported.
  public let settings: SummarySettings
  /// The number of time points T, outputs O and effects E (concentration–effect models, then
  /// indirect responses, as `SimulationResult.effects`).
  public let timeCount: Int
  public let outputCount: Int
  public let effectCount: Int
  /// The subjects added.
  public internal(set) var count = 0
  /// The exact sums, index t·W + w (W = O + E columns); sketch mode only (empty in exact mode,
  /// where the rows take them from the values).
  var sums: [ExactSum]
  /// The counts above each threshold, index (t·O + o)·H + h (concentrations only); sketch mode
  /// only, as `sums`.
  var above: [Int]
  /// The sketches, index t·W + w (nil in exact mode, where the values are kept elsewhere).
  var sketches: [DDSketch]?

  /// An empty summary of `outputCount` concentrations and `effectCount` effects per time point;
  /// `sketch` chooses sketch mode.
  public init(settings: SummarySettings, timeCount: Int, outputCount: Int, effectCount: Int = 0, sketch: Bool)
  {
    self.settings = settings
    self.timeCount = timeCount
    self.outputCount = outputCount
    self.effectCount = effectCount
    let width = outputCount + effectCount
    // Sums and counts are kept in sketch mode only: exact rows take them from the values.
    sums = sketch ? [ExactSum](repeating: ExactSum(), count: timeCount * width) : []
    above = sketch ? [Int](repeating: 0, count: timeCount * outputCount * settings.thresholds.count) : []
    sketches =
      sketch
      ? [DDSketch](
        repeating: DDSketch(relativeAccuracy: settings.relativeAccuracy), count: timeCount * width)
      : nil
  }

  /// Whether percentiles come from sketches.
  public var isSketch: Bool { sketches != nil }

  /// The values summarised per time point: W = O + E.
  public var columnCount: Int { outputCount + effectCount }

  /// Adds one subject's values (T × W, time-major: at each time the O concentrations, as
  /// `SimulationResult.concentrations`, then the E effects).
  public mutating func add(concentrations c: [Double]) {
    add(batch: [c])
  }

  /// Counts `m` subjects whose values the caller has kept (exact mode only: the rows take
  /// everything else from the values).
  public mutating func add(exactSubjects m: Int) {
    precondition(sketches == nil, "Sketches count values, not subjects.")
    count += m
  }

  /// The index into `above` of value k = t·W + w for threshold 0, or nil for an effect (w ≥ O).
  @inline(__always)
  func _aboveBase(_ k: Int, thresholds h: Int) -> Int? {
    if effectCount == 0 { return k * h }
    let w = k % columnCount
    return w < outputCount ? ((k / columnCount) * outputCount + w) * h : nil
  }

  /// Adds several subjects' values (each T × W, time-major). In sketch mode the loops run over
  /// blocks of 8 time points (one cache line of each subject's values): each subject's values
  /// are read once per block into 8 contiguous columns, and each column is then counted into its
  /// time point's sum and sketch in one pass, which stay in cache meanwhile. Every part is order-independent, so the
  /// result is the same as adding the subjects one by one.
  public mutating func add(batch: [[Double]]) {
    guard !batch.isEmpty else { return }
    let size = timeCount * columnCount
    precondition(batch.allSatisfy { $0.count == size }, "One value per time and column.")
    let h = settings.thresholds.count
    let thresholds = settings.thresholds
    if sketches == nil {
      // Exact mode: the caller keeps every value, and `row(_:exactValues:)` takes the sums and
      // the counts above the thresholds from them, contiguous, when the row is made.
      count += batch.count
      return
    }
    let block = 8
    let m = batch.count
    // One block's values, time point by time point: column (k − first) holds the m subjects'
    // values at time k, contiguous, for the sums' and sketches' bulk adds.
    var columns = [Double](repeating: 0, count: block * m)
    for first in stride(from: 0, to: size, by: block) {
      let last = Swift.min(first + block, size)
      columns.withUnsafeMutableBufferPointer { columns in
        for (j, c) in batch.enumerated() {
          c.withUnsafeBufferPointer { v in
            for k in first..<last { columns[(k - first) * m + j] = v[k] }
          }
        }
        for k in first..<last {
          let column = UnsafeBufferPointer(rebasing: columns[((k - first) * m)..<((k - first + 1) * m)])
          sums[k].add(contentsOf: column)
          if h > 0, let a = _aboveBase(k, thresholds: h) {
            for j in 0..<h {
              var n = 0
              for x in column where x > thresholds[j] { n += 1 }
              above[a + j] += n
            }
          }
          sketches![k].add(contentsOf: column)
        }
      }
    }
    count += batch.count
  }

  /// Whether `other` has the settings and shape to merge into this summary (same settings,
  /// times, outputs, effects and kind of percentiles).
  public func isMergeable(with other: PopulationSummary) -> Bool {
    settings == other.settings && timeCount == other.timeCount && outputCount == other.outputCount
      && effectCount == other.effectCount && isSketch == other.isSketch
  }

  /// Adds another summary of the same settings and shape (another thread's, batch's or shard's).
  public mutating func merge(_ other: PopulationSummary) {
    precondition(isMergeable(with: other), "Only summaries of the same run merge.")
    for k in sums.indices { sums[k].merge(other.sums[k]) }
    for k in above.indices { above[k] += other.above[k] }
    if let theirs = other.sketches {
      for k in theirs.indices { sketches![k].merge(theirs[k]) }
    }
    count += other.count
  }

  /// The summary row of time point t: per output, the mean, the percentiles and the fractions
  /// above each threshold; then per effect, the mean and the percentiles. In exact mode,
  /// `values(t, w)` gives every subject's value of column w at t.
  public func row(_ t: Int, exactValues values: ((Int, Int) -> [Double])? = nil) -> [Double] {
    var row: [Double] = []
    for w in 0..<columnCount {
      if sketches != nil {
        _appendSketchColumn(t, w, to: &row)
      } else {
        var v = values!(t, w)
        v.withUnsafeMutableBufferPointer { _appendExactColumn(w, values: $0, to: &row) }
      }
    }
    return row
  }

  /// The summary row of time point t in exact mode from blocks of memory the caller owns:
  /// `block(t, w)` holds every subject's value of column w at t, and is reordered in place
  /// (selection), so no block is copied.
  public func row(_ t: Int, exactBlocks block: (Int, Int) -> UnsafeMutableBufferPointer<Double>) -> [Double] {
    precondition(sketches == nil, "Blocks of values are for exact summaries.")
    var row: [Double] = []
    for w in 0..<columnCount { _appendExactColumn(w, values: block(t, w), to: &row) }
    return row
  }

  /// Column w's part of row t from the sketches: the mean, the percentiles, the fractions.
  func _appendSketchColumn(_ t: Int, _ w: Int, to row: inout [Double]) {
    let n = Double(count)
    let k = t * columnCount + w
    row.append(count > 0 ? sums[k].value / n : .nan)
    for p in settings.percentiles { row.append(sketches![k].percentile(p)) }
    let h = settings.thresholds.count
    let a = (t * outputCount + w) * h
    for j in 0..<(w < outputCount ? h : 0) { row.append(Double(above[a + j]) / n) }
  }

  /// Column w's part of a row from every subject's value (reordered in place): the sum and the
  /// counts from the values (the same exact sum as adding them one by one), then selection,
  /// not a full sort: the order statistics are the same whatever finds them.
  func _appendExactColumn(_ w: Int, values v: UnsafeMutableBufferPointer<Double>, to row: inout [Double]) {
    let n = Double(count)
    var sum = ExactSum()
    sum.add(contentsOf: UnsafeBufferPointer(v))
    row.append(count > 0 ? sum.value / n : .nan)
    let thresholds = w < outputCount ? settings.thresholds : []
    var exceeding = [Int](repeating: 0, count: thresholds.count)
    for j in thresholds.indices {
      for x in v where x > thresholds[j] { exceeding[j] += 1 }
    }
    row += ExactQuantiles.percentiles(settings.percentiles, selectingIn: v)
    for e in exceeding { row.append(Double(e) / n) }
  }
}
