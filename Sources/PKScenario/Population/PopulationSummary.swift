import PKCore
import PKStatistics

/// The running summary of a population's concentrations, per output and time point: an exact
/// sum for the mean, counts above each threshold, and (in sketch mode) a DDSketch for the
/// percentiles. Every part adds up the same whatever the order of the subjects, so summaries
/// of threads, batches or shards merge into exactly the summary of one run.
///
/// ```
/// mean(t, o)      = (Σ_subjects C_s,o(t)) / N           (the sum exact, then rounded once)
/// above(t, o, c)  = #{s : C_s,o(t) > c} / N
/// p-th percentile = sketch quantile (sketch mode) or type-7 percentile of the sorted values
/// ```
/// Exact sums: Neal RM, arXiv:1505.05571 (2015); sketch: Masson, Rim & Lee, PVLDB 2019;12:2195.
public struct PopulationSummary: Sendable, Codable, Equatable {
  /// What is reported.
  public let settings: SummarySettings
  /// The number of time points T and outputs O.
  public let timeCount: Int
  public let outputCount: Int
  /// The subjects added.
  public private(set) var count = 0
  /// The exact sums, index t·O + o.
  var sums: [ExactSum]
  /// The counts above each threshold, index (t·O + o)·H + h.
  var above: [Int]
  /// The sketches, index t·O + o (nil in exact mode, where the values are kept elsewhere).
  var sketches: [DDSketch]?

  /// An empty summary; `sketch` chooses sketch mode.
  public init(settings: SummarySettings, timeCount: Int, outputCount: Int, sketch: Bool) {
    self.settings = settings
    self.timeCount = timeCount
    self.outputCount = outputCount
    sums = [ExactSum](repeating: ExactSum(), count: timeCount * outputCount)
    above = [Int](repeating: 0, count: timeCount * outputCount * settings.thresholds.count)
    sketches =
      sketch
      ? [DDSketch](
        repeating: DDSketch(relativeAccuracy: settings.relativeAccuracy), count: timeCount * outputCount)
      : nil
  }

  /// Whether percentiles come from sketches.
  public var isSketch: Bool { sketches != nil }

  /// Adds one subject's concentrations (T × O, time-major, as `SimulationResult.concentrations`).
  public mutating func add(concentrations c: [Double]) {
    add(batch: [c])
  }

  /// Adds several subjects' concentrations (each T × O, time-major). The loops run over blocks
  /// of 8 time points (one cache line of each subject's values) outside and subjects inside, so
  /// that each subject's values are read once per block and the block's 8 sketches and sums stay
  /// in cache while the batch is counted into them. Every part is order-independent, so the
  /// result is the same as adding the subjects one by one.
  public mutating func add(batch: [[Double]]) {
    guard !batch.isEmpty else { return }
    let size = timeCount * outputCount
    precondition(batch.allSatisfy { $0.count == size }, "One concentration per time and output.")
    let h = settings.thresholds.count
    let thresholds = settings.thresholds
    if sketches == nil {
      // Sums and counts only (about 0.8 MB per output for 1441 times): time points outside.
      for k in 0..<size {
        var sum = sums[k]
        for c in batch { sum.add(c[k]) }
        sums[k] = sum
        for j in 0..<h {
          var n = 0
          for c in batch where c[k] > thresholds[j] { n += 1 }
          above[k * h + j] += n
        }
      }
      count += batch.count
      return
    }
    let block = 8
    for first in stride(from: 0, to: size, by: block) {
      let last = Swift.min(first + block, size)
      for c in batch {
        c.withUnsafeBufferPointer { v in
          for k in first..<last {
            let x = v[k]
            sums[k].add(x)
            for j in 0..<h where x > thresholds[j] { above[k * h + j] += 1 }
          }
          for k in first..<last { sketches![k].add(v[k]) }
        }
      }
    }
    count += batch.count
  }

  /// Adds another summary of the same settings and shape (another thread's, batch's or shard's).
  public mutating func merge(_ other: PopulationSummary) {
    precondition(
      settings == other.settings && timeCount == other.timeCount && outputCount == other.outputCount
        && isSketch == other.isSketch, "Only summaries of the same run merge.")
    for k in sums.indices { sums[k].merge(other.sums[k]) }
    for k in above.indices { above[k] += other.above[k] }
    if let theirs = other.sketches {
      for k in theirs.indices { sketches![k].merge(theirs[k]) }
    }
    count += other.count
  }

  /// The summary row of time point t: per output, the mean, the percentiles and the fractions
  /// above each threshold. In exact mode, `values(t, o)` gives every subject's value at t.
  public func row(_ t: Int, exactValues values: ((Int, Int) -> [Double])? = nil) -> [Double] {
    var row: [Double] = []
    let n = Double(count)
    let h = settings.thresholds.count
    for o in 0..<outputCount {
      let k = t * outputCount + o
      row.append(count > 0 ? sums[k].value / n : .nan)
      if let sketches {
        for p in settings.percentiles { row.append(sketches[k].percentile(p)) }
      } else {
        // Selection, not a full sort: the order statistics are the same whatever finds them.
        var v = values!(t, o)
        row += ExactQuantiles.percentiles(settings.percentiles, selectingIn: &v)
      }
      for j in 0..<h { row.append(Double(above[k * h + j]) / n) }
    }
    return row
  }
}
