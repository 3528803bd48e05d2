// Population runs (the population issue): kamp-2020 with log-normal variability ω 0.3 on CL and
// V1, 0.5 mg/kg over 40 min at 70 kg, 24 h at 1-min output (1441 points), 10,000 subjects on both
// cores, summary mode (mean and 5/25/50/75/95th percentiles per time point), in process.
//
//   swift package benchmark --target PopulationBenchmarks
//
// End-to-end figures (files, CSV, 1,000,000 subjects) are measured with the commands in
// README.md ("The population benchmark").

import Benchmark
import Foundation
import PKCore
import PKScenario

/// The job, built the way `ketasim run --model kamp-2020 … --subjects 10000 --summary` builds it.
struct KampJob {
  let runner: PopulationRunner

  init(subjects: Int, filePath: String = #filePath) {
    let models = URL(fileURLWithPath: filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("../Models").standardizedFileURL.path
    do {
      var definition = try ModelLibrary(directory: models).load("kamp-2020")
      definition.variability.set(RandomEffect(parameter: "CL", source: "benchmark"), variance: 0.09)
      definition.variability.set(RandomEffect(parameter: "V1", source: "benchmark"), variance: 0.09)
      let sampler = try SubjectSampler(
        seed: 2026, base: Subject(weight: 70), distributions: [], variability: definition.variability,
        model: definition.name)
      runner = PopulationRunner(
        compiled: try CompiledModel(definition), sampler: sampler, subjects: .generated(count: subjects),
        doses: [try RegimenParser.parse("0.5 mg/kg iv over 40 min")],
        grid: try OutputGrid(until: (24, .hour), every: (1, .minute)))
    } catch {
      fatalError("Cannot set up the kamp-2020 population job from \(models): \(error)")
    }
  }

  func summary(sketch: Bool) throws -> PopulationRunner.Report {
    try runner.run(
      outputs: .init(summary: SummarySettings(), sketchAlways: sketch), curveSink: nil, exposureSink: nil,
      threads: 2)
  }
}

let benchmarks: @Sendable () -> Void = {
  // The allocator settings `ketasim` runs with (since 2026-12-06, eighth session): without them
  // every subject's freed result arrays go back to the kernel and fault in again, zeroed.
  HeapTuning.apply(environment: ProcessInfo.processInfo.environment)
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], timeUnits: .milliseconds,
    warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 10)
  let job = KampJob(subjects: 10_000)

  // The goal's job (≤ 0.25 s end to end): exact percentiles (10,000 ≤ the exact limit).
  Benchmark("kamp10000.summary.exact") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try! job.summary(sketch: false)) }
  }

  // The same with DDSketch percentiles (what shards and runs above 100,000 subjects use).
  Benchmark("kamp10000.summary.sketch") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try! job.summary(sketch: true)) }
  }
}
