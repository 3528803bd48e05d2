import Foundation
import PKCore
import PKStatistics
import Testing
import _PKTestSupport

@testable import PKScenario

/// The population engine: reproducible subjects, the same bytes for any thread count, batch
/// size or shard split, exact percentiles against a direct sort, and η drawn with the model's Ω.
@Suite struct PopulationRunnerTests {
  static let library = RepositoryPaths.library
  static let kamp: ModelDefinition = {
    var d = try! library.load("kamp-2020")
    d.variability.set(RandomEffect(parameter: "CL", source: "test"), variance: 0.09)
    d.variability.set(RandomEffect(parameter: "V1", source: "test"), variance: 0.09)
    return d
  }()
  static let grid = try! OutputGrid(until: (6, .hour), every: (10, .minute))
  static let doses = [try! RegimenParser.parse("0.5 mg/kg iv over 40 min")]
  static let distributions: [(name: String, distribution: CovariateDistribution)] = [
    (Covariate.weight, .normal(mean: 70, sd: 12, lower: 40, upper: 120))
  ]

  /// Runs `count` subjects and returns (curves, exposure, summary CSV) bytes.
  static func run(
    count: Int = 40, threads: Int, batchSize: Int, shard: Shard = .whole, summary: SummarySettings? = nil,
    sketchAlways: Bool = false
  ) throws -> (curves: String, exposure: String, report: PopulationRunner.Report) {
    let sampler = try SubjectSampler(
      seed: 2026, base: Subject(), distributions: distributions, variability: kamp.variability,
      model: kamp.name)
    var runner = PopulationRunner(
      compiled: try CompiledModel(kamp), sampler: sampler, subjects: .generated(count: count), doses: doses,
      grid: grid, shard: shard)
    runner.batchSize = batchSize
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ketasim-pop-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let curvesPath = dir.appendingPathComponent("c.csv").path
    let exposurePath = dir.appendingPathComponent("x.csv").path
    let curves = try OutputSink(path: curvesPath)
    let exposure = try OutputSink(path: exposurePath)
    let writer = PopulationCSVWriter()
    let report = try runner.run(
      outputs: .init(curves: writer, exposure: writer, summary: summary, sketchAlways: sketchAlways),
      curveSink: curves, exposureSink: exposure, threads: threads)
    try curves.finish()
    try exposure.finish()
    return (
      try String(contentsOfFile: curvesPath, encoding: .utf8),
      try String(contentsOfFile: exposurePath, encoding: .utf8),
      report
    )
  }

  /// The check that leaves a subject out when a value is not finite: the first NaN or
  /// infinity of either sign, and nothing for the extremes of the finite values.
  @Test func firstNonFiniteValue() {
    #expect(PopulationRunner._firstNonFinite([1, 2, .nan, .infinity]) == 2)
    #expect(PopulationRunner._firstNonFinite([1, -.infinity, 3]) == 1)
    #expect(PopulationRunner._firstNonFinite([.infinity]) == 0)
    #expect(PopulationRunner._firstNonFinite([-.nan, 1]) == 0)
    let finite: [Double] = [
      0, -0.0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
    ]
    #expect(PopulationRunner._firstNonFinite(finite) == nil)
    #expect(PopulationRunner._firstNonFinite([]) == nil)
    // Every position of the four running probes and of the tail, for each kind of value.
    for count in 1...9 {
      for position in 0..<count {
        for bad in [Double.nan, .infinity, -.infinity, .signalingNaN] {
          var values = (0..<count).map { Double($0) * 1e300 - 3e300 }
          values[position] = bad
          #expect(PopulationRunner._firstNonFinite(values) == position, "\(bad) at \(position) of \(count)")
        }
      }
    }
  }

  @Test func threadsAndBatchSizesDoNotChangeABit() throws {
    let settings = SummarySettings(thresholds: [300])
    let one = try Self.run(threads: 1, batchSize: 1, summary: settings)
    #expect(one.report.failures.isEmpty)
    #expect(one.curves.split(separator: "\n").count == 40 * Self.grid.times.count)
    for (threads, batch) in [(2, 1), (1, 7), (2, 7), (2, 1024)] {
      let other = try Self.run(threads: threads, batchSize: batch, summary: settings)
      #expect(other.curves == one.curves, "threads \(threads), batch \(batch)")
      #expect(other.exposure == one.exposure)
      #expect(other.report.summaryRows == one.report.summaryRows)
    }
  }

  /// A linear model goes through the exact batch engine (`ExactBatchSimulator`) unless the
  /// curves print amounts, which takes every subject through its own `Simulator`: the exact
  /// batches give that run's summary rows (bit for bit), failures, exposure bytes and curve
  /// bytes (its columns without the amounts), whether the batches write straight into the exact
  /// summary's store (a summary alone, batches of 4 or 8 with one timeline and no failure) or
  /// give each subject's result (curves and exposure rows), for batch sizes 1 to 64 and 1 or 2
  /// threads; with per-kg infusions in one timeline or several, and a subject without a
  /// weight (failed, left out).
  @Test func exactBatchesGiveTheRecordEnginesNumbers() throws {
    let compiled = try CompiledModel(Self.kamp)
    // (kamp-2020 takes batches: ExactBatchSimulatorTests.takesBatchesOnlyForExactLinearModels.)
    let sampler = try SubjectSampler(
      seed: 2027, base: Subject(), distributions: [], variability: Self.kamp.variability,
      model: Self.kamp.name)
    var table = (1...19).map { id in
      PopulationSubject(id: id, subject: Subject(weight: 45 + 3.7 * Double(id)))
    }
    table[4].subject.weight = nil
    let grid = try OutputGrid(until: (6, .hour), every: (1, .minute))
    let settings = SummarySettings(percentiles: [5, 50, 95], thresholds: [300])
    func run(
      _ doses: [Dose], threads: Int, batchSize: Int, curves: PopulationCSVWriter?, exposure: Bool
    ) throws -> (curves: String, exposure: String, report: PopulationRunner.Report) {
      var runner = PopulationRunner(
        compiled: compiled, sampler: sampler, subjects: .table(table), doses: doses, grid: grid)
      runner.batchSize = batchSize
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "ketasim-pop-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: dir) }
      let curvesPath = dir.appendingPathComponent("c.csv").path
      let exposurePath = dir.appendingPathComponent("x.csv").path
      let curveSink = curves == nil ? nil : try OutputSink(path: curvesPath)
      let exposureSink = exposure ? try OutputSink(path: exposurePath) : nil
      let writer = PopulationCSVWriter()
      let report = try runner.run(
        outputs: .init(curves: curves, exposure: exposure ? writer : nil, summary: settings),
        curveSink: curveSink, exposureSink: exposureSink, threads: threads)
      try curveSink?.finish()
      try exposureSink?.finish()
      return (
        curves == nil ? "" : try String(contentsOfFile: curvesPath, encoding: .utf8),
        exposure ? try String(contentsOfFile: exposurePath, encoding: .utf8) : "", report
      )
    }
    func bits(_ rows: [[Double]]?) -> [[UInt64]]? { rows?.map { $0.map(\.bitPattern) } }
    for texts in [["0.5 mg/kg iv over 40 min", "20 mg iv at 3 h"], ["0.5 mg/kg iv over 50 min"]] {
      let doses = try texts.map { try RegimenParser.parse($0) }
      // Each subject through `Simulator` (amounts printed), its curve rows cut to id, time and
      // concentration.
      let reference = try run(
        doses, threads: 1, batchSize: 1, curves: PopulationCSVWriter(includeAmounts: true), exposure: true)
      #expect(reference.report.failures.count == 1 && reference.report.failures[0].hasPrefix("ID 5:"))
      let referenceCurves = reference.curves.split(separator: "\n", omittingEmptySubsequences: false).map {
        $0.split(separator: ",", omittingEmptySubsequences: false).prefix(3).joined(separator: ",")
      }.joined(separator: "\n")
      #expect(reference.curves.split(separator: "\n").count == 18 * grid.times.count)
      for (threads, batch) in [(1, 1), (2, 4), (1, 7), (1, 8), (2, 8), (2, 64)] {
        let label = "\(texts), threads \(threads), batch \(batch)"
        let summaryOnly = try run(doses, threads: threads, batchSize: batch, curves: nil, exposure: false)
        #expect(
          bits(summaryOnly.report.summaryRows) == bits(reference.report.summaryRows), "\(label), summary only"
        )
        #expect(summaryOnly.report.failures == reference.report.failures, "\(label)")
        #expect(summaryOnly.report.summary?.count == 18, "\(label)")
      }
      for (threads, batch) in [(1, 1), (2, 7), (1, 8), (2, 64)] {
        let label = "\(texts), threads \(threads), batch \(batch)"
        let written = try run(
          doses, threads: threads, batchSize: batch, curves: PopulationCSVWriter(), exposure: true)
        #expect(written.curves == referenceCurves, "\(label), curves")
        #expect(written.exposure == reference.exposure, "\(label), exposure")
        #expect(bits(written.report.summaryRows) == bits(reference.report.summaryRows), "\(label), summary")
        #expect(written.report.failures == reference.report.failures, "\(label)")
      }
    }
  }

  /// Shards 1–3 of 3, concatenated and merged, give what one shard of one gives.
  @Test func threeShardsEqualOne() throws {
    let settings = SummarySettings(thresholds: [300])
    let whole = try Self.run(threads: 2, batchSize: 7, shard: .whole, summary: settings, sketchAlways: true)
    var curves = ""
    var merged: PopulationSummary? = nil
    for k in 1...3 {
      let part = try Self.run(
        threads: 2, batchSize: 7, shard: Shard(index: k, count: 3), summary: settings, sketchAlways: true)
      curves += part.curves
      if merged == nil { merged = part.report.summary } else { merged!.merge(part.report.summary!) }
    }
    #expect(curves == whole.curves)
    #expect(merged == whole.report.summary)
    for t in 0..<Self.grid.times.count { #expect(merged!.row(t) == whole.report.summaryRows![t]) }
  }

  /// Exact mode: every row against the mean and type-7 percentiles of a direct sort of the
  /// subjects' curves.
  @Test func exactPercentilesMatchADirectSort() throws {
    let settings = SummarySettings(percentiles: [5, 25, 50, 75, 95], thresholds: [100, 300])
    let run = try Self.run(count: 37, threads: 2, batchSize: 5, summary: settings)
    #expect(run.report.summary?.isSketch == false)
    var perTime = [[Double]](repeating: [], count: Self.grid.times.count)
    for line in run.curves.split(separator: "\n") {
      let f = line.split(separator: ",")
      let t = Self.grid.times.firstIndex(of: Double(f[1])!)!
      perTime[t].append(Double(f[2])!)
    }
    for (t, values) in perTime.enumerated() {
      let sorted = values.sorted()
      let row = run.report.summaryRows![t]
      expectClose(row[0], values.reduce(0, +) / 37, relativeTolerance: 1e-14, absoluteTolerance: 1e-300)
      for (k, p) in settings.percentiles.enumerated() {
        let h = Double(36) * p / 100
        let lo = Int(h.rounded(.down))
        let expected = sorted[lo] + (h - Double(lo)) * (sorted[min(lo + 1, 36)] - sorted[lo])
        expectClose(row[1 + k], expected, relativeTolerance: 1e-14, absoluteTolerance: 1e-300)
      }
      #expect(row[6] == Double(values.filter { $0 > 100 }.count) / 37)
      #expect(row[7] == Double(values.filter { $0 > 300 }.count) / 37)
    }
  }

  /// The random effects of 100,000 subjects drawn through the sampler for fanta-otto-2021
  /// (Ω with covariances 0.023 and 0.044): sample variances and covariances within five
  /// standard errors (√((Ω_ii·Ω_jj + Ω_ij²)/N)) of Ω, means within five of 0. A wrong Cholesky
  /// factor or scale misses the covariances by tens of standard errors.
  @Test func randomEffectsFollowTheModelsOmega() throws {
    let model = try Self.library.load("fanta-otto-2021")
    let sampler = try SubjectSampler(
      seed: 7, base: Subject(weight: 70), distributions: [], variability: model.variability, model: model.name
    )
    let names = model.variability.effects.map(\.inputName)
    let m = names.count
    let n = 100_000
    var sums = [Double](repeating: 0, count: m)
    var products = [Double](repeating: 0, count: m * m)
    for id in 1...n {
      let s = try sampler.subject(id: id).subject
      let eta = names.map { s.covariates[$0]! }
      for i in 0..<m {
        sums[i] += eta[i]
        for j in 0..<m { products[i * m + j] += eta[i] * eta[j] }
      }
    }
    for i in 0..<m {
      let mean = sums[i] / Double(n)
      let omegaII = model.variability.covariance(i, i)
      #expect(abs(mean) < 5 * (omegaII / Double(n)).squareRoot(), "mean of \(names[i])")
      for j in 0..<m {
        let sample = products[i * m + j] / Double(n) - mean * sums[j] / Double(n)
        let omega = model.variability.covariance(i, j)
        let se = ((omegaII * model.variability.covariance(j, j) + omega * omega) / Double(n)).squareRoot()
        #expect(abs(sample - omega) < 5 * se, "Ω[\(names[i]), \(names[j])]: \(sample) against \(omega)")
      }
    }
  }

  /// A subject's draws depend on the seed and its ID only.
  @Test func subjectsDependOnSeedAndIDOnly() throws {
    let a = try SubjectSampler(
      seed: 11, base: Subject(), distributions: Self.distributions, variability: Self.kamp.variability,
      model: "k")
    let b = try SubjectSampler(
      seed: 12, base: Subject(), distributions: Self.distributions, variability: Self.kamp.variability,
      model: "k")
    #expect(try a.subject(id: 5) == a.subject(id: 5))
    #expect(try a.subject(id: 5) != a.subject(id: 6))
    #expect(try a.subject(id: 5) != b.subject(id: 5))
    for id in 1...200 {
      let w = try a.subject(id: id).subject.weight!
      #expect(w >= 40 && w <= 120)
    }
  }

  @Test func badInput() throws {
    // Ω not positive definite: correlations 0.9, 0.9 and −0.9 among three effects.
    var omega = Variability()
    for p in ["CL", "V1", "Q2"] { omega.set(RandomEffect(parameter: p, source: "t"), variance: 0.09) }
    var c = omega.covariance
    for (i, j, r) in [(0, 1, 0.9), (0, 2, 0.9), (1, 2, -0.9)] {
      c[i * 3 + j] = r * 0.09
      c[j * 3 + i] = r * 0.09
    }
    #expect(throws: InputError.self) {
      _ = try SubjectSampler(
        seed: 1, base: Subject(), distributions: [],
        variability: Variability(effects: omega.effects, covariance: c), model: "m")
    }
    // Random without a seed.
    #expect(throws: InputError.self) {
      _ = try SubjectSampler(
        seed: nil, base: Subject(), distributions: [], variability: Self.kamp.variability, model: "m")
    }
    // Shards.
    for text in ["3/2", "0/3", "2", "a/b", "1/0"] {
      #expect(throws: QuantityError.self) { _ = try Shard(parsing: text) }
    }
    // Subjects files: missing or duplicate IDs, a bad number, no rows.
    #expect(throws: InputError.self) { _ = try SubjectTableReader.parse("WT,AGE\n70,30\n", file: "s.csv") }
    #expect(throws: InputError.self) {
      _ = try SubjectTableReader.parse("ID,WT\n1,70\n1,80\n", file: "s.csv")
    }
    #expect(throws: InputError.self) { _ = try SubjectTableReader.parse("ID,WT\n1,seventy\n", file: "s.csv") }
    #expect(throws: InputError.self) { _ = try SubjectTableReader.parse("ID,WT\n", file: "s.csv") }
    #expect(throws: InputError.self) { _ = try SubjectTableReader.parse("ID,WT\n.,70\n", file: "s.csv") }
    let rows = try SubjectTableReader.parse("ID,WT,SEX\n3,70,F\n1,80,0\n", file: "s.csv")
    #expect(rows.map(\.id) == [1, 3])
    #expect(rows[1].subject.sex == .female)
  }

  /// An exact summary with nothing written per subject is made a window of time points at a
  /// time (`_summaryInWindows`): the same rows and summary, bit for bit, as keeping every value
  /// (which a run with an exposure table does), for any batch size and thread count, with
  /// batches of several timelines (sampled weights, per-kg infusions) and of sizes that are not
  /// a multiple of 4.
  @Test func summaryInWindowsEqualsKeepingEveryValue() throws {
    let settings = SummarySettings(percentiles: [5, 25, 50, 75, 95], thresholds: [300])
    let sampler = try SubjectSampler(
      seed: 7, base: Subject(), distributions: Self.distributions, variability: Self.kamp.variability,
      model: Self.kamp.name)
    let grid = try OutputGrid(until: (24, .hour), every: (7, .minute))
    func runner(_ batchSize: Int) throws -> PopulationRunner {
      var r = PopulationRunner(
        compiled: try CompiledModel(Self.kamp), sampler: sampler, subjects: .generated(count: 150),
        doses: Self.doses, grid: grid)
      r.batchSize = batchSize
      return r
    }
    let kept = try runner(64).run(
      outputs: .init(exposure: PopulationCSVWriter(), summary: settings), curveSink: nil, exposureSink: nil,
      threads: 2)
    let rows = try #require(kept.summaryRows)
    for (batchSize, threads) in [(4, 1), (7, 2), (8, 2), (64, 2), (64, 1)] {
      let windowed = try #require(
        try runner(batchSize)._summaryInWindows(settings: settings, range: 0..<150, threads: threads))
      #expect(windowed.summary == kept.summary)
      #expect(windowed.failures.isEmpty && windowed.subjectCount == 150)
      let theirs = try #require(windowed.summaryRows)
      #expect(theirs.map { $0.map(\.bitPattern) } == rows.map { $0.map(\.bitPattern) }, "batch \(batchSize)")
      // And `run` takes that path.
      let run = try runner(batchSize).run(
        outputs: .init(summary: settings), curveSink: nil, exposureSink: nil, threads: threads)
      #expect(run.summaryRows.map { $0.map { $0.map(\.bitPattern) } } == rows.map { $0.map(\.bitPattern) })
    }
  }
}
