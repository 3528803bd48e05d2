import Dispatch
import PKCore
import PKSolver
import Synchronization

/// Simulates a population on all cores: subjects made by a `SubjectSampler` (generated, or
/// rows of a subjects file), simulated in batches (`ExactBatchSimulator` for linear models,
/// `PopulationSimulator` for nonlinear ones, a `Simulator` each for the rest), per-subject
/// curves and exposure rows streamed in ID order, and a `PopulationSummary` accumulated per
/// thread and merged.
///
/// ```
/// shard's subjects → batches → threads (waves of 4 batches per thread) → bytes in ID order
/// ```
/// Every number a subject produces depends only on the seed and its ID (`SubjectSampler`),
/// every summary part is order-independent (`PopulationSummary`), and rows are written in ID
/// order, so the output is the same bytes for any thread count, batch size or shard split.
/// Memory does not grow with the number of subjects except for exact percentiles, which keep
/// every value (T × (O + E) × N doubles: outputs and effects) up to `SummarySettings.exactLimit`
/// subjects, or, for a linear model without effects and nothing written per subject, a window
/// of them (`_summaryInWindows`: `summaryWindow` × O × N). Each subject's effects (`SimulationResult.effects`) come from its own parameter
/// values, η included, and are written and summarised after the outputs.
public struct PopulationRunner: Sendable {
  /// Where subjects come from.
  public enum Subjects: Sendable {
    /// IDs 1…count, every covariate from the sampler.
    case generated(count: Int)
    /// Rows of a subjects file, in ID order; the sampler adds random effects.
    case table([PopulationSubject])

    /// The number of subjects.
    public var count: Int {
      switch self {
      case .generated(let n): return n
      case .table(let rows): return rows.count
      }
    }
  }

  /// What to write.
  public struct Outputs: Sendable {
    /// Per-subject curves (to the curve sink), or nil.
    public var curves: PopulationCSVWriter?
    /// The exposure table (to the exposure sink), or nil.
    public var exposure: PopulationCSVWriter?
    /// The summary to accumulate, or nil.
    public var summary: SummarySettings?
    /// Whether the summary must use sketches whatever the number of subjects (for shards,
    /// whose summaries are merged).
    public var sketchAlways: Bool
    /// Whether per-subject curves carry simulated observations (`<output>_obs_ng_per_ml`) for
    /// the outputs with a residual error.
    public var observations: Bool

    public init(
      curves: PopulationCSVWriter? = nil, exposure: PopulationCSVWriter? = nil,
      summary: SummarySettings? = nil,
      sketchAlways: Bool = false, observations: Bool = false
    ) {
      self.observations = observations
      self.curves = curves
      self.exposure = exposure
      self.summary = summary
      self.sketchAlways = sketchAlways
    }
  }

  /// What a run produced besides the streamed rows.
  public struct Report: Sendable {
    /// One message per failed subject, `ID <id>: <what failed>`, in ID order.
    public var failures: [String]
    /// The subjects of the shard.
    public var subjectCount: Int
    /// The merged summary, if one was asked for.
    public var summary: PopulationSummary?
    /// The summary rows (per time point), if one was asked for.
    public var summaryRows: [[Double]]?
  }

  public let compiled: CompiledModel
  public let sampler: SubjectSampler
  public let subjects: Subjects
  public let doses: [Dose]
  public let grid: OutputGrid
  public let solver: SolverOptions
  public let shard: Shard
  /// Subjects per batch.
  public var batchSize = 64

  public init(
    compiled: CompiledModel, sampler: SubjectSampler, subjects: Subjects, doses: [Dose], grid: OutputGrid,
    solver: SolverOptions = SolverOptions(), shard: Shard = .whole
  ) {
    self.compiled = compiled
    self.sampler = sampler
    self.subjects = subjects
    self.doses = doses
    self.grid = grid
    self.solver = solver
    self.shard = shard
  }

  /// The subject at position p (0-based, in ID order, over the whole population).
  public func subject(at p: Int) throws(InputError) -> PopulationSubject {
    switch subjects {
    case .generated: return try sampler.subject(id: p + 1)
    case .table(let rows): return try sampler.subject(id: rows[p].id, given: rows[p].subject)
    }
  }

  /// Runs the shard's subjects on up to `threads` threads, writing curves and exposure rows to
  /// their sinks in ID order.
  ///
  /// - Throws: the first `InputError` in ID order (a covariate that cannot be drawn); a
  ///   subject whose simulation fails is reported in `Report.failures` and left out.
  public func run(
    outputs: Outputs, curveSink: OutputSink?, exposureSink: OutputSink?, threads: Int
  ) throws -> Report {
    let range = shard.range(of: subjects.count)
    let n = range.count
    let threads = max(1, threads)
    let times = grid.hours
    let outputCount = compiled.definition.outputs.count
    let effectCount = self.effectCount
    let columnCount = outputCount + effectCount
    let sketch =
      outputs.sketchAlways || n > (outputs.summary?.exactLimit ?? Int.max)
      || n * times.count * columnCount > Self.exactValueLimit
    // An exact summary with nothing written per subject: a window of time points at a time,
    // when every subject can walk with its batch.
    if let settings = outputs.summary, !sketch, outputs.curves == nil, outputs.exposure == nil,
      !outputs.observations, effectCount == 0,
      let report = _summaryInWindows(settings: settings, range: range, threads: threads)
    {
      return report
    }
    let store: _ExactValueStore?
    if outputs.summary != nil && !sketch {
      let count = times.count * columnCount * n
      guard let mapped = _ExactValueStore(count: count) else {
        throw InputError(
          source: "--exact-limit", field: "exact-limit",
          message:
            "cannot reserve \(count * 8 / 1_000_000) MB for the exact percentiles of \(n) subjects; "
            + "a lower --exact-limit uses sketches in bounded memory")
      }
      store = mapped
    } else {
      store = nil
    }
    // Each worker's summary and the subjects it holds back until `chunk` of them can be
    // counted together (see `PopulationSummary.add(batch:)`).
    let chunk = Self._summaryChunk(timeCount: times.count, columns: columnCount, threads: threads)
    var pending = [(values: [[Double]], positions: [Int])](repeating: ([], []), count: threads)
    var partials = outputs.summary.map { s in
      [PopulationSummary](
        repeating: PopulationSummary(
          settings: s, timeCount: times.count, outputCount: outputCount, effectCount: effectCount,
          sketch: sketch),
        count: threads)
    }
    // A nonlinear model without effects, integrated by Dormand–Prince (the automatic method or
    // dp5), goes through the batch integrator: a batch's subjects advance together, vectorised
    // over subjects, each with its own steps, so a subject's numbers do not depend on its batch
    // (they agree with a single `ketasim run` to the integration tolerance).
    // (Models with effects stay on `Simulator`: their effect curves equal a single run's bit for
    // bit, which a test asserts.)
    var population = PopulationSimulator(model: compiled, solver: solver, batchSize: batchSize)
    // Amounts only for curves that print them: otherwise the batch integrator interpolates the
    // output compartments alone (summaries, exposure and observations use concentrations).
    let reportsAmounts = outputs.curves?.includeAmounts ?? false
    population.reportsAmounts = reportsAmounts
    let batchIntegrator =
      compiled.definition.effectColumnNames.isEmpty && population.integratesInBatches ? population : nil
    // A linear model integrated exactly, without effects or amounts to print, goes through the
    // exact batch engine: a batch's subjects share their stops and advance together, each
    // subject's numbers those of `Simulator`, bit for bit (`ExactBatchSimulator`).
    let exactBatches =
      compiled.definition.effectColumnNames.isEmpty && !reportsAmounts
      && ExactBatchSimulator(model: compiled, solver: solver, regularRuns: RegularRunCache()).takesBatches
    // Subjects of an exact batch need a `SimulationResult` of their own only for what is
    // written per subject or held back for sketches; an exact summary takes the batch's values
    // into the store as they are.
    let perSubject = outputs.curves != nil || outputs.exposure != nil || outputs.observations || sketch
    let batches = stride(from: range.lowerBound, to: range.upperBound, by: batchSize).map {
      $0..<min($0 + batchSize, range.upperBound)
    }
    var failures: [String] = []
    // Waves of 4 batches per thread bound the bytes held for the writer and the sketches'
    // held-back subjects. An exact summary without curves or exposure rows holds neither
    // (each worker counts its subjects as it goes), so all batches form one wave: no worker
    // waits at a wave's end for another's last batch (about 1 ms each time, 20 times for
    // 10,000 subjects).
    let unwritten = outputs.curves == nil && outputs.exposure == nil && !sketch
    let wave = unwritten ? Swift.max(1, batches.count) : 4 * threads
    var start = 0
    // The time column is formatted once for all subjects.
    let curveWriter = outputs.curves?.prepared(for: grid)
    // Each wave's bytes are written on a serial queue while the next wave is simulated; one
    // write is in flight at a time, and nothing else touches the sinks meanwhile.
    // One cache of regular output runs per worker: its subjects share the grid, so the clock of
    // each run between two dose events is walked once (`RegularRunCache`).
    let regularRuns = (0..<threads).map { _ in RegularRunCache() }
    let writer = DispatchQueue(label: "ketasim.population.writer")
    let writing = DispatchGroup()
    nonisolated(unsafe) var writeError: (any Error)? = nil
    nonisolated(unsafe) let sinks = (curves: curveSink, exposure: exposureSink)
    defer { writing.wait() }
    while start < batches.count {
      let count = min(wave, batches.count - start)
      let first = start
      var results = [Result<(curves: [UInt8], exposure: [UInt8], failed: [String]), any Error>](
        repeating: .success(([], [], [])), count: count)
      results.withUnsafeMutableBufferPointer { resultBuffer in
        _withOptionalBuffer(&partials) { partialBuffer in
          pending.withUnsafeMutableBufferPointer { pendingBuffer in
            nonisolated(unsafe) let resultsPointer = resultBuffer
            nonisolated(unsafe) let partialsPointer = partialBuffer
            nonisolated(unsafe) let pendingPointer = pendingBuffer
            // Batches are handed out one at a time (the next free one), so that a worker slowed
            // down by the writer or the system does not hold the wave up.
            let next = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: min(threads, count)) { worker in
              // The amount rows each subject's simulator writes into, handed from one to the next.
              var rows: [Double] = []
              while true {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if k >= count { break }
                var curves: [UInt8] = []
                var exposure: [UInt8] = []
                var failed: [String] = []
                do {
                  let positions = batches[first + k]
                  let members = try positions.map { p throws(InputError) in try subject(at: p) }
                  let batched = batchIntegrator?.run(
                    subjects: members.map(\.subject), doses: doses, outputTimes: times, threads: 1)
                  // An exact summary's batch writes straight into the store (its subjects'
                  // places, when the batch needs no padding lanes).
                  let place = store.map { ($0.values + (positions.lowerBound - range.lowerBound), n) }
                  let block =
                    exactBatches
                    ? ExactBatchSimulator(model: compiled, solver: solver, regularRuns: regularRuns[worker])
                      .run(
                        subjects: members.map(\.subject), doses: doses, outputTimes: times,
                        into: perSubject ? nil : place) : nil
                  if let block, let partialsPointer, !sketch {
                    let inBlock = block.alone.map { $0 == nil }
                    if !block.inDestination {
                      store?.write(
                        block: block.values, laneStride: block.laneStride, lanes: inBlock,
                        firstPosition: positions.lowerBound - range.lowerBound, stride: n)
                    }
                    partialsPointer[worker].add(exactSubjects: inBlock.filter { $0 }.count)
                  }
                  for (index, p) in positions.enumerated() {
                    let ps = members[index]
                    // Whether the subject's values went into the exact store with its batch's.
                    let stored = block != nil && block!.alone[index] == nil && !sketch
                    let result: SimulationResult
                    do {
                      if let block, block.alone[index] == nil {
                        // Counted into the summary above unless needed on its own.
                        guard perSubject else { continue }
                        result = block.result(index, model: compiled, times: times)
                      } else if let alone = block?.alone[index] {
                        result = try alone.get()
                      } else if let batched {
                        result = try batched[index].get()
                      } else {
                        var simulator = Simulator(
                          model: try compiled.instantiate(for: ps.subject), subject: ps.subject,
                          solver: solver, regularRuns: regularRuns[worker])
                        simulator.reportsAmounts = reportsAmounts
                        simulator.scratchRows = rows
                        rows = []
                        result = try simulator.run(doses: doses, outputTimes: times)
                        rows = simulator.scratchRows
                      }
                      if let bad = Self._firstNonFinite(result.concentrations) {
                        throw SimulationError.nonFinite(time: times[bad / max(outputCount, 1)])
                      }
                      // (Effects that are not finite were refused by effectCurves, a ModelError.)
                    } catch {
                      // The subject's numbers failed: it is left out (its exact values are NaN).
                      guard error is ModelError || error is SimulationError else { throw error }
                      failed.append("ID \(ps.id): \(error)")
                      store?.markFailed(
                        position: p - range.lowerBound, blocks: times.count * columnCount, stride: n)
                      continue
                    }
                    let observed =
                      outputs.observations ? (observedOutputs, observations(id: ps.id, result: result)) : nil
                    curveWriter?.appendCurve(
                      id: ps.id, result: result, grid: grid, observations: observed, to: &curves)
                    // Room for the whole batch once the first subject shows the size of one.
                    if p == batches[first + k].lowerBound {
                      curves.reserveCapacity(curves.count * (batches[first + k].count + 1))
                    }
                    outputs.exposure?.appendExposure(id: ps.id, result: result, grid: grid, to: &exposure)
                    if let partialsPointer, !stored {
                      pendingPointer[worker].values.append(
                        effectCount == 0 ? result.concentrations : Self._summaryValues(result))
                      pendingPointer[worker].positions.append(p - range.lowerBound)
                      // (Sketch mode counts its held-back subjects after the wave, below.)
                      if !sketch && pendingPointer[worker].values.count >= batchSize {
                        Self._flush(
                          &pendingPointer[worker], into: &partialsPointer[worker], store: store, stride: n)
                      }
                    }
                  }
                  resultsPointer[k] = .success((curves, exposure, failed))
                } catch {
                  resultsPointer[k] = .failure(error)
                }
              }
            }
          }
        }
      }
      // Sketch mode: every worker counts its held-back subjects at once, after a wave in which
      // one of them holds `chunk`; one worker counting alone inside the wave (about 0.25 s for
      // 4,000 subjects on a 1-min grid) left the others idle at the wave's end.
      if sketch && partials != nil && pending.contains(where: { $0.values.count >= chunk }) {
        Self._flushAll(&pending, into: &partials!, store: store, stride: n)
      }
      var chunks: [(curves: [UInt8], exposure: [UInt8])] = []
      for r in results {
        let (curves, exposure, failed) = try r.get()
        chunks.append((curves, exposure))
        failures += failed
      }
      writing.wait()
      if let writeError { throw writeError }
      let ready = chunks
      writer.async(group: writing) {
        do {
          for c in ready {
            try sinks.curves?.write(bytes: c.curves)
            try sinks.exposure?.write(bytes: c.exposure)
          }
        } catch { writeError = error }
      }
      start += count
    }
    writing.wait()
    if let writeError { throw writeError }
    if partials != nil { Self._flushAll(&pending, into: &partials!, store: store, stride: n) }
    var summary: PopulationSummary? = nil
    var rows: [[Double]]? = nil
    if var merged = partials?.first {
      for other in partials!.dropFirst() { merged.merge(other) }
      summary = merged
      rows = _rows(
        merged, store: store, timeCount: times.count, columnCount: columnCount, stride: n, threads: threads)
    }
    return Report(failures: failures, subjectCount: n, summary: summary, summaryRows: rows)
  }

  /// The number of effect curves each subject has: concentration–effect models, then indirect
  /// responses (`SimulationResult.effects`).
  public var effectCount: Int { compiled.definition.effectColumnNames.count }

  /// The most values (N × T × (O + E)) kept for exact percentiles: 2²⁸ doubles, 2 GiB. Above it the
  /// summary uses sketches whatever `SummarySettings.exactLimit` says (a long grid with many
  /// subjects would otherwise not fit in memory); the metadata says which was used.
  public static let exactValueLimit = 1 << 28

  /// The outputs (indices) that have a residual error, in output order.
  public var observedOutputs: [Int] {
    let outputs = compiled.definition.outputs
    return outputs.indices.filter { o in
      compiled.definition.residualErrors.contains { $0.output == outputs[o].name }
    }
  }

  /// Subject `id`'s simulated observations: for each time point, each output with a residual
  /// error (`observedOutputs`), Y = C·(1 + σ_p·z_p) + σ_a·z_a, both z drawn from the subject's
  /// observation stream in that order (time, output, then z_p before z_a).
  func observations(id: Int, result: SimulationResult) -> [Double] {
    let errors = observedOutputs.map { o in
      (o, compiled.definition.residualErrors.first { $0.output == compiled.definition.outputs[o].name }!)
    }
    var stream = sampler.observationStream(id: id)
    var y: [Double] = []
    y.reserveCapacity(result.times.count * errors.count)
    for k in 0..<result.times.count {
      for (o, e) in errors {
        let zp = stream.normal()
        let za = stream.normal()
        y.append(e.observation(result.concentration(o, at: k), zp, za))
      }
    }
    return y
  }

  /// Subjects a worker holds back before counting them into its sketches together, so that each
  /// sketch's counters, brought into cache once per chunk (a few hundred cache lines each),
  /// serve many subjects: as many as fit in `summaryChunkBudget` bytes over all workers,
  /// between 512 and 8192.
  ///
  /// ```
  /// chunk = clamp(budget / (threads · T · (O + E) · 8 bytes), 512, 8192)
  /// ```
  /// With 2 workers, 1441 times and one output that is 4163 subjects (48 MB each): the
  /// 1,000,000-subject summary took 77.8 s instead of 113 s with the former fixed 512, at a peak
  /// RSS of 246 MB instead of 182 MB (2026-12-06; twice the budget gave 75.9 s at 313 MB). The
  /// chunk changes only when values are counted, never the result (every part of a summary is
  /// order-independent). Exact summaries, whose sums fit in cache, count
  /// each batch as it is done.
  static func _summaryChunk(timeCount: Int, columns: Int, threads: Int) -> Int {
    let perSubject = Swift.max(1, timeCount * columns * MemoryLayout<Double>.size)
    return Swift.min(8192, Swift.max(512, summaryChunkBudget / (Swift.max(1, threads) * perSubject)))
  }

  /// The bytes all workers together may hold back for their sketches (`_summaryChunk`).
  static let summaryChunkBudget = 96_000_000

  /// A subject's values as the summary counts them: per time point its O concentrations, then
  /// its E effects (T × (O + E), time-major).
  static func _summaryValues(_ result: SimulationResult) -> [Double] {
    let o = result.outputs.count
    var values: [Double] = []
    values.reserveCapacity(result.times.count * (o + result.effects.count))
    for k in 0..<result.times.count {
      values += result.concentrations[(k * o)..<((k + 1) * o)]
      for e in result.effects { values.append(e.values[k]) }
    }
    return values
  }

  /// Counts every worker's held-back subjects into its summary and the exact store, the
  /// workers in parallel.
  static func _flushAll(
    _ pending: inout [(values: [[Double]], positions: [Int])], into partials: inout [PopulationSummary],
    store: _ExactValueStore?, stride n: Int
  ) {
    pending.withUnsafeMutableBufferPointer { pendingBuffer in
      partials.withUnsafeMutableBufferPointer { partialBuffer in
        nonisolated(unsafe) let pendingPointer = pendingBuffer
        nonisolated(unsafe) let partialPointer = partialBuffer
        DispatchQueue.concurrentPerform(iterations: pendingBuffer.count) { w in
          _flush(&pendingPointer[w], into: &partialPointer[w], store: store, stride: n)
        }
      }
    }
  }

  /// Counts a worker's held-back subjects into its summary and the exact store.
  static func _flush(
    _ pending: inout (values: [[Double]], positions: [Int]), into summary: inout PopulationSummary,
    store: _ExactValueStore?, stride n: Int
  ) {
    guard !pending.values.isEmpty else { return }
    summary.add(batch: pending.values)
    store?.write(batch: pending.values, positions: pending.positions, stride: n)
    pending.values.removeAll(keepingCapacity: true)
    pending.positions.removeAll(keepingCapacity: true)
  }

  /// The index of the first value that is NaN or infinite, or nil: `FinitenessProbe` first (one
  /// pass without a branch per value), then the search only when it fails.
  static func _firstNonFinite(_ values: [Double]) -> Int? {
    let finite = values.withUnsafeBufferPointer { v in
      v.isEmpty || FinitenessProbe.allFinite(v.baseAddress!, count: v.count)
    }
    return finite ? nil : values.firstIndex { !$0.isFinite }
  }

  /// The summary rows, time points computed in parallel: each worker takes the next
  /// `rowChunk` time points not yet taken, so that a worker slowed down by the system does not
  /// leave the others waiting at the end (a fixed split had left one thread alone for the last
  /// 20 ms of a 0.3-s run).
  func _rows(
    _ summary: PopulationSummary, store: _ExactValueStore?, timeCount: Int, columnCount: Int, stride n: Int,
    threads: Int
  ) -> [[Double]] {
    var rows = [[Double]](repeating: [], count: timeCount)
    let next = Atomic<Int>(0)
    rows.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let out = buffer
      DispatchQueue.concurrentPerform(iterations: threads) { _ in
        while true {
          let first = next.wrappingAdd(Self.rowChunk, ordering: .relaxed).oldValue
          if first >= timeCount { break }
          for t in first..<Swift.min(first + Self.rowChunk, timeCount) {
            if let store {
              out[t] = summary.row(t, exactBlocks: { t, w in store.block(t * columnCount + w, stride: n) })
            } else {
              out[t] = summary.row(t)
            }
          }
        }
      }
    }
    return rows
  }

  /// The time points a worker takes at a time for the summary rows (`_rows`).
  static let rowChunk = 8
}

/// Calls `body` with a buffer over `array`'s elements, or nil when `array` is nil.
private func _withOptionalBuffer<T, R>(_ array: inout [T]?, _ body: (UnsafeMutableBufferPointer<T>?) -> R)
  -> R
{
  guard array != nil else { return body(nil) }
  return array!.withUnsafeMutableBufferPointer { body($0) }
}
