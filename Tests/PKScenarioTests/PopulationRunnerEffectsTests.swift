import Foundation
import PKCore
import PKStatistics
import Testing
import _PKTestSupport

@testable import PKScenario

/// Effects in population runs: every subject's effect columns from its own drawn parameters,
/// the summary's effect means and percentiles (exact and sketch) against a direct computation
/// from the per-subject curves, the same bytes for any thread count, batch size or shard split,
/// and shard summaries with and without effects encoded and read back.
@Suite struct PopulationRunnerEffectsTests {
  /// A one-compartment model with an effect site and three effects: a sigmoid Emax on the
  /// effect site (EC50 121 ng/mL, γ 2, 0 to 100 %), a linear change score that is 0 without drug
  /// and negative with it, and an indirect response (type I, R0 7 NRS) on the plasma.
  static let yaml =
    TestModelYAML.header("popfx") + """

      parameters:
        V: {value: 10, unit: L, description: volume, provenance: derived}
        CL: {value: 5, unit: L/h, description: clearance, provenance: derived}
        KE0: {value: 3, unit: 1/h, description: ke0, provenance: derived}
        E0: {value: 0, unit: "1", description: baseline, provenance: derived}
        EMAX: {value: 100, unit: "1", description: maximum effect, provenance: derived}
        EC50: {value: 0.121, unit: mg/L, description: EC50, provenance: derived}
        GAMMA: {value: 2, unit: "1", description: Hill coefficient, provenance: derived}
        SLOPE: {value: -0.05, unit: "1", description: change per ng/mL, provenance: derived}
        BASE: {value: 7, unit: "1", description: baseline pain, provenance: derived}
        KOUT: {value: 0.03, unit: 1/min, description: kout, provenance: derived}
        IMAX: {value: 0.8, unit: "1", description: Imax, provenance: derived}
        IC50: {value: 100, unit: ng/mL, description: IC50, provenance: derived}

      """
    + TestModelYAML.oneCompartment(
      effectSite: true,
      effects: """
          - {name: response_percent, unit: '%', output: ketamine_effect, form: sigmoid_emax, e0: E0, emax: EMAX, ec50: EC50, gamma: GAMMA, source: test}
          - {name: change, unit: score, output: ketamine, form: linear, e0: E0, slope: SLOPE, source: test}
          - {name: pain, unit: NRS, output: ketamine, form: indirect_response, inhibits: production, r0: BASE, kout: KOUT, imax: IMAX, ic50: IC50, gamma: GAMMA, source: test}

        """)

  /// The model with log-normal variability (ω² 0.09) on CL, V and EC50.
  static let definition: ModelDefinition = {
    var d = try! ModelFileReader.parse(yaml: yaml, file: "popfx.yaml")
    for p in ["CL", "V", "EC50"] {
      d.variability.set(RandomEffect(parameter: p, source: "test"), variance: 0.09)
    }
    return d
  }()
  static let grid = try! OutputGrid(until: (6, .hour), every: (10, .minute))
  static let doses = [try! RegimenParser.parse("5 mg iv over 30 min")]

  static func runner(count: Int, shard: Shard = .whole, batchSize: Int = 64) throws -> PopulationRunner {
    let sampler = try SubjectSampler(
      seed: 2026, base: Subject(weight: 70), distributions: [], variability: definition.variability,
      model: definition.name)
    var runner = PopulationRunner(
      compiled: try CompiledModel(definition), sampler: sampler, subjects: .generated(count: count),
      doses: doses, grid: grid, shard: shard)
    runner.batchSize = batchSize
    return runner
  }

  /// Runs `count` subjects and returns the curves' bytes (as text) and the report.
  static func run(
    count: Int = 23, threads: Int = 2, batchSize: Int = 64, shard: Shard = .whole, format: CSVFormat = .wide,
    summary: SummarySettings? = nil, sketchAlways: Bool = false
  ) throws -> (curves: String, report: PopulationRunner.Report) {
    let runner = try runner(count: count, shard: shard, batchSize: batchSize)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ketasim-popfx-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("c.csv").path
    let sink = try OutputSink(path: path)
    let report = try runner.run(
      outputs: .init(
        curves: PopulationCSVWriter(format: format), summary: summary, sketchAlways: sketchAlways),
      curveSink: sink, exposureSink: nil, threads: threads)
    try sink.finish()
    return (try String(contentsOfFile: path, encoding: .utf8), report)
  }

  /// The wide curves as rows of numbers.
  static func rows(_ text: String) -> [[Double]] {
    text.split(separator: "\n").map { $0.split(separator: ",").map { Double($0)! } }
  }

  /// Every subject's sigmoid Emax is the formula at its own effect-site concentration and its
  /// own EC50 (drawn with η); the change score is SLOPE · C; the indirect response is the
  /// subject's single run.
  @Test func perSubjectEffectsUseTheSubjectsParameters() throws {
    let count = 23
    let run = try Self.run(count: count)
    #expect(run.report.failures.isEmpty)
    let header = PopulationCSVWriter().curveHeader(
      outputs: Self.definition.outputs, effects: ["response_percent", "change", "pain"], stateNames: [],
      stateUnits: [], grid: Self.grid)
    #expect(
      header == "id,time_min,ketamine_ng_per_ml,ketamine_effect_ng_per_ml,response_percent,change,pain\n")
    let rows = Self.rows(run.curves)
    #expect(rows.count == count * Self.grid.times.count)
    #expect(rows.allSatisfy { $0.count == 7 })
    let runner = try Self.runner(count: count)
    var ec50s: Set<Double> = []
    for p in 0..<count {
      let subject = try runner.subject(at: p).subject
      let ec50 = try Self.definition.value(of: "EC50", for: subject) * 1000
      ec50s.insert(ec50)
      var simulator = Simulator(
        model: try runner.compiled.instantiate(for: subject), subject: subject)
      let single = try simulator.run(doses: Self.doses, outputTimes: Self.grid.hours)
      let pain = try #require(single.effects.first { $0.name == "pain" })
      for k in Self.grid.times.indices {
        let row = rows[p * Self.grid.times.count + k]
        #expect(row[0] == Double(p + 1) && row[1] == Self.grid.times[k])
        let ce = row[3]
        let expected = ce > 0 ? 100 / (1 + pow(ec50 / ce, 2)) : 0
        expectClose(row[4], expected, relativeTolerance: 1e-12, absoluteTolerance: 1e-300)
        expectClose(row[5], -0.05 * row[2], relativeTolerance: 1e-12, absoluteTolerance: 1e-300)
        #expect(row[6] == pain.values[k], "ID \(p + 1), time \(Self.grid.times[k])")
      }
      #expect(rows[p * Self.grid.times.count][6] == 7, "R(0) = R0")
    }
    #expect(ec50s.count == count, "every subject has its own EC50")
  }

  /// Long format: the effects follow the outputs as rows with their units.
  @Test func longFormatHasTheEffectRows() throws {
    let run = try Self.run(count: 3, format: .long)
    let lines = run.curves.split(separator: "\n")
    #expect(lines.count == 3 * Self.grid.times.count * 5)
    #expect(lines[0].hasPrefix("1,0,ketamine,0,ng/mL"))
    #expect(lines[2] == "1,0,response_percent,0,%")
    #expect(lines[3] == "1,0,change,0,score")
    #expect(lines[4] == "1,0,pain,7,NRS")
  }

  /// The summary's effect columns: exact mode against the mean and type-7 percentiles of the
  /// per-subject values, sketch mode against a DDSketch of those values; thresholds only for the
  /// concentrations. The change score is negative, and 0 at time 0 (as is the response).
  @Test(arguments: [false, true])
  func summaryEffectsMatchADirectComputation(sketch: Bool) throws {
    let count = 37
    let settings = SummarySettings(percentiles: [5, 25, 50, 75, 95], thresholds: [100])
    let curves = try Self.run(count: count, batchSize: 5)
    let run = try Self.run(count: count, batchSize: 5, summary: settings, sketchAlways: sketch)
    let summary = try #require(run.report.summary)
    #expect(summary.isSketch == sketch && summary.effectCount == 3 && summary.count == count)
    let rows = Self.rows(curves.curves)
    let times = Self.grid.times.count
    // Per output: mean, 5 percentiles, 1 threshold; per effect: mean, 5 percentiles.
    #expect(run.report.summaryRows!.allSatisfy { $0.count == 2 * 7 + 3 * 6 })
    for t in 0..<times {
      let row = run.report.summaryRows![t]
      for (column, at) in [(2, 0), (3, 7), (4, 14), (5, 20), (6, 26)] {
        let values = (0..<count).map { rows[$0 * times + t][column] }
        var sum = ExactSum()
        for v in values { sum.add(v) }
        #expect(row[at] == sum.value / Double(count), "mean, column \(column), t \(t)")
        let sorted = values.sorted()
        var sketched = DDSketch(relativeAccuracy: settings.relativeAccuracy)
        for v in values { sketched.add(v) }
        for (k, p) in settings.percentiles.enumerated() {
          if sketch {
            #expect(row[at + 1 + k] == sketched.percentile(p), "p\(p), column \(column), t \(t)")
          } else {
            let h = Double(count - 1) * p / 100
            let lo = Int(h.rounded(.down))
            let expected = sorted[lo] + (h - Double(lo)) * (sorted[min(lo + 1, count - 1)] - sorted[lo])
            expectClose(row[at + 1 + k], expected, relativeTolerance: 1e-14, absoluteTolerance: 1e-300)
          }
        }
        if column < 4 {
          #expect(row[at + 6] == Double(values.filter { $0 > 100 }.count) / Double(count))
        }
      }
    }
    #expect(run.report.summaryRows![0][20 + 3] == 0, "the median change is 0 without drug")
    #expect(run.report.summaryRows![3][20 + 3] < 0, "and negative with it")
    let csv = String(
      decoding: PopulationCSVWriter().summary(
        columns: Self.definition.outputs.map(\.columnName), effects: ["response_percent", "change", "pain"],
        settings: settings, timeUnit: "min", times: Self.grid.times, rows: run.report.summaryRows!),
      as: UTF8.self)
    let header = csv.prefix { $0 != "\n" }
    #expect(
      header.hasSuffix(
        "ketamine_effect_ng_per_ml_above_100,response_percent_mean,response_percent_p5,response_percent_p25,response_percent_p50,response_percent_p75,response_percent_p95,change_mean,change_p5,change_p25,change_p50,change_p75,change_p95,pain_mean,pain_p5,pain_p25,pain_p50,pain_p75,pain_p95"
      ))
  }

  /// Threads and batch sizes change no byte of the curves or the summary.
  @Test func threadsAndBatchSizesDoNotChangeABit() throws {
    let settings = SummarySettings(thresholds: [100])
    let one = try Self.run(threads: 1, batchSize: 1, summary: settings)
    let curves = try Self.run(threads: 1, batchSize: 1)
    for (threads, batch) in [(2, 1), (2, 7), (1, 1024)] {
      let other = try Self.run(threads: threads, batchSize: batch, summary: settings)
      #expect(other.report.summaryRows == one.report.summaryRows, "threads \(threads), batch \(batch)")
      #expect(try Self.run(threads: threads, batchSize: batch).curves == curves.curves)
    }
  }

  /// Shards 1–3 of 3, their summaries encoded and read back as shard files are, then merged,
  /// give what one shard of one gives.
  @Test func threeShardsEqualOne() throws {
    let settings = SummarySettings(thresholds: [100])
    let whole = try Self.run(threads: 2, batchSize: 4, summary: settings, sketchAlways: true)
    let wholeCurves = try Self.run(threads: 2, batchSize: 4)
    var merged: PopulationSummary? = nil
    var curves = ""
    for k in 1...3 {
      let shard = Shard(index: k, count: 3)
      let part = try Self.run(threads: 2, batchSize: 4, shard: shard, summary: settings, sketchAlways: true)
      curves += try Self.run(threads: 2, batchSize: 4, shard: shard).curves
      let data = try JSONEncoder().encode(part.report.summary!)
      let read = try JSONDecoder().decode(PopulationSummary.self, from: data)
      #expect(read == part.report.summary!)
      if merged == nil { merged = read } else { merged!.merge(read) }
    }
    #expect(curves == wholeCurves.curves)
    #expect(merged == whole.report.summary)
    for t in 0..<Self.grid.times.count { #expect(merged!.row(t) == whole.report.summaryRows![t]) }
  }

  /// An exact summary keeps no sums or counts (its rows come from the values): it encodes them
  /// empty, reads back, and a file that gives it sums is refused; its rows equal a direct
  /// computation from the values.
  @Test func exactSummaryKeepsNoSums() throws {
    var exact = PopulationSummary(
      settings: SummarySettings(percentiles: [50], thresholds: [1]), timeCount: 2, outputCount: 1,
      sketch: false)
    exact.add(batch: [[0.5, 2], [1.5, 4], [3, 0.25]])
    #expect(exact.sums.isEmpty && exact.above.isEmpty && exact.count == 3)
    let values: [[Double]] = [[0.5, 1.5, 3], [2, 4, 0.25]]
    #expect(exact.row(0) { t, _ in values[t] } == [5.0 / 3, 1.5, 2.0 / 3])
    #expect(exact.row(1) { t, _ in values[t] } == [6.25 / 3, 2, 2.0 / 3])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = String(decoding: try encoder.encode(exact), as: UTF8.self)
    #expect(try JSONDecoder().decode(PopulationSummary.self, from: Data(text.utf8)) == exact)
    let withSums = text.replacingOccurrences(of: #""sums":[]"#, with: #""sums":[{"limbs":[]},{"limbs":[]}]"#)
    #expect(withSums != text)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(PopulationSummary.self, from: Data(withSums.utf8))
    }
  }

  /// A summary without effects is encoded without `effectCount`, as shard files were before
  /// effects; such a file reads back; arrays of the wrong length are refused.
  @Test func shardFilesWithoutEffects() throws {
    var plain = PopulationSummary(
      settings: SummarySettings(thresholds: [1]), timeCount: 2, outputCount: 1, sketch: true)
    plain.add(concentrations: [0.5, 2])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = String(decoding: try encoder.encode(plain), as: UTF8.self)
    #expect(!text.contains("effectCount"))
    #expect(try JSONDecoder().decode(PopulationSummary.self, from: Data(text.utf8)) == plain)
    var withEffects = PopulationSummary(
      settings: SummarySettings(thresholds: [1]), timeCount: 2, outputCount: 1, effectCount: 1, sketch: true)
    withEffects.add(concentrations: [0.5, -3, 2, 0])
    #expect(withEffects.row(0).count == 1 + 5 + 1 + 1 + 5)
    #expect(withEffects.row(1)[7] == 0 && withEffects.row(0)[7] == -3)
    let encoded = String(decoding: try encoder.encode(withEffects), as: UTF8.self)
    #expect(encoded.contains("\"effectCount\":1"))
    #expect(try JSONDecoder().decode(PopulationSummary.self, from: Data(encoded.utf8)) == withEffects)
    // The effects' sums and sketches without effectCount: the lengths do not fit.
    let truncated = encoded.replacingOccurrences(of: "\"effectCount\":1,", with: "")
    #expect(throws: DecodingError.self) {
      _ = try JSONDecoder().decode(PopulationSummary.self, from: Data(truncated.utf8))
    }
  }
}
