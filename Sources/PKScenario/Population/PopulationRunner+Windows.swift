import Dispatch
import PKCore
import PKSolver
import Synchronization

extension PopulationRunner {
  /// The time points of one window of an exact summary taken a window at a time
  /// (`_summaryInWindows`).
  static let summaryWindow = 128

  /// An exact summary with nothing written per subject, a window of `summaryWindow` time
  /// points at a time: every batch's subjects walk together (`ExactBatchSimulator.Windows`) up to
  /// the window's end, writing into one buffer of the window's values (W × O × N, 2.5 MB for
  /// 10,000 subjects), whose rows are then made; the next window reuses it.
  ///
  /// ```
  /// prepare every batch's walk → for each window: walks to its end (all threads) → its rows (all threads)
  /// ```
  /// The same rows, bit for bit, as keeping every value (`_ExactValueStore`, T × O × N: 115 MB
  /// for 10,000 subjects on a day's 1-min grid, written once, its pages zeroed by the kernel
  /// first): each subject's values are `Simulator`'s either way, and a row depends only on its
  /// time point's values. nil, for the caller to keep every value instead, when a subject
  /// cannot be drawn or fails (alone at once, in a lane at the window where it fails; the rows
  /// made so far are dropped), so that errors and failures are reported as they always are.
  func _summaryInWindows(settings: SummarySettings, range: Range<Int>, threads: Int) -> Report? {
    guard ExactBatchSimulator(model: compiled, solver: solver, regularRuns: RegularRunCache()).takesBatches
    else {
      return nil
    }
    let n = range.count
    let times = grid.hours
    let outputCount = compiled.definition.outputs.count
    guard n > 0, !times.isEmpty else { return nil }
    let batches = Swift.stride(from: range.lowerBound, to: range.upperBound, by: batchSize).map {
      $0..<Swift.min($0 + batchSize, range.upperBound)
    }
    let threads = Swift.max(1, threads)
    let runs = (0..<threads).map { _ in RegularRunCache() }
    var walks = [ExactBatchSimulator.Windows?](repeating: nil, count: batches.count)
    walks.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let walks = buffer
      let next = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: threads) { worker in
        let simulator = ExactBatchSimulator(model: compiled, solver: solver, regularRuns: runs[worker])
        while true {
          let b = next.wrappingAdd(1, ordering: .relaxed).oldValue
          if b >= batches.count { break }
          // (A subject that cannot be drawn, or fails alone, leaves its batch without a walk.)
          guard let subjects = try? batches[b].map({ try subject(at: $0).subject }) else { continue }
          let prepared = simulator.windows(subjects: subjects, doses: doses, outputTimes: times)
          if !prepared.failed { walks[b] = prepared }
        }
      }
    }
    guard walks.allSatisfy({ $0 != nil }) else { return nil }
    let stride = n
    let window = Self.summaryWindow
    var values = [Double](repeating: 0, count: window * outputCount * stride)
    var rows = [[Double]](repeating: [], count: times.count)
    var summary = PopulationSummary(
      settings: settings, timeCount: times.count, outputCount: outputCount, effectCount: 0, sketch: false)
    summary.add(exactSubjects: n)
    let counted = summary
    for first in Swift.stride(from: 0, to: times.count, by: window) {
      let end = Swift.min(first + window, times.count)
      let failed = Atomic<Bool>(false)
      walks.withUnsafeMutableBufferPointer { walkBuffer in
        values.withUnsafeMutableBufferPointer { valueBuffer in
          rows.withUnsafeMutableBufferPointer { rowBuffer in
            nonisolated(unsafe) let walks = walkBuffer
            nonisolated(unsafe) let base = valueBuffer.baseAddress!
            nonisolated(unsafe) let rows = rowBuffer
            let next = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
              while true {
                let b = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if b >= batches.count { break }
                walks[b]!.run(
                  untilRow: end, into: base + (batches[b].lowerBound - range.lowerBound), stride: stride,
                  firstRow: first)
                if walks[b]!.failed { failed.store(true, ordering: .relaxed) }
              }
            }
            guard !failed.load(ordering: .relaxed) else { return }
            let nextRow = Atomic<Int>(first)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
              while true {
                let t = nextRow.wrappingAdd(1, ordering: .relaxed).oldValue
                if t >= end { break }
                rows[t] = counted.row(
                  t,
                  exactBlocks: { t, w in
                    UnsafeMutableBufferPointer(
                      start: base + ((t - first) * outputCount + w) * stride, count: n)
                  })
              }
            }
          }
        }
      }
      if failed.load(ordering: .relaxed) { return nil }
    }
    return Report(failures: [], subjectCount: n, summary: summary, summaryRows: rows)
  }
}
