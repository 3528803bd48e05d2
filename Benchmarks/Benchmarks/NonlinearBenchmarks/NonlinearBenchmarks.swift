// The nonlinear engine: the solver issue's regression job, `parent-metabolite-mm` (synthetic,
// Models/examples/): 200 mg oral, output every minute for 24 h (1441 points), rtol 1e-8,
// atol 1e-12 of the dose; one subject, and 10,000 subjects with log-normal variability on
// Vmax and Vc (ω² 0.09 each) on both cores.
//
//   OPENBLAS_NUM_THREADS=1 swift package benchmark --target NonlinearBenchmarks

import Benchmark
import Dispatch
import Foundation
import PKCore
import PKScenario
import PKSolver

/// The regression job, built the way `ketasim run --model … --dose "200 mg oral"` builds it.
struct MMJob {
  let definition: ModelDefinition
  let compiled: CompiledModel
  let doses: [Dose]
  let times: [Double]

  init(filePath: String = #filePath) {
    let root = URL(fileURLWithPath: filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("../Models/examples/parent-metabolite-mm.yaml").standardizedFileURL
    do {
      definition = try ModelFileReader.read(path: root.path)
      compiled = try CompiledModel(definition)
      doses = [try RegimenParser.parse("200 mg oral")]
      times = try OutputGrid(until: (24, .hour), every: (1, .minute)).hours
    } catch {
      fatalError("Cannot set up the MM job from \(root.path): \(error)")
    }
  }

  func simulator(etaVmax: Double = 0, etaVc: Double = 0, solver: SolverOptions = SolverOptions()) -> Simulator
  {
    let subject = Subject(covariates: ["ETA_VMAX": etaVmax, "ETA_VC": etaVc])
    return Simulator(model: try! compiled.instantiate(for: subject), subject: subject, solver: solver)
  }
}

/// Standard normal draws from SplitMix64 and Box–Muller, reproducible by seed.
struct NormalDraws {
  var state: UInt64
  mutating func uniform() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return (Double((z ^ (z >> 31)) >> 11) + 0.5) / 9_007_199_254_740_992
  }
  mutating func next() -> Double {
    (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
  }
}

let benchmarks: @Sendable () -> Void = {
  // The allocator settings `ketasim` runs with (since 2026-12-06, eighth session): without them
  // every subject's freed result arrays go back to the kernel and fault in again, zeroed.
  HeapTuning.apply(environment: ProcessInfo.processInfo.environment)
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal, .throughput], timeUnits: .microseconds,
    warmupIterations: 10, scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 100_000)

  let job = MMJob()
  let populationConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .milliseconds, warmupIterations: 1,
    maxDuration: .seconds(20), maxIterations: 20)
  // The population: 10,000 subjects with ETA_VMAX, ETA_VC ~ N(0, 0.09), seed 2026.
  let population: [(etaVmax: Double, etaVc: Double)] = {
    var draws = NormalDraws(state: 2026)
    return (0..<10_000).map { _ in (0.3 * draws.next(), 0.3 * draws.next()) }
  }()

  // One solve with a Simulator reused (its model and parameter evaluation already done), with
  // each method: the automatic method (the goal's figure, ≤ 30 µs; the Taylor method with its
  // stiffness test here, since the model's nonlinear flows are all Michaelis–Menten),
  // Dormand–Prince 5(4) (about 220 steps at rtol 1e-8), DOP853 (80 steps) and the Taylor
  // series method alone (order 11 at rtol 1e-8, about 40 steps).
  // With ".concentrations", the simulator reports no amounts (`reportsAmounts` false), as
  // `ketasim run` does without `--amounts`: the Taylor method then interpolates the two output
  // compartments, not all five states (the other methods write every state either way).
  for (suffix, method) in [
    ("", SolverOptions.Method.automatic), (".dp5", .dormandPrince54), (".dop853", .dormandPrince853),
    (".taylor", .taylor),
  ] {
    for amounts in [true, false] {
      Benchmark("parentMetaboliteMM.solve.warm" + suffix + (amounts ? "" : ".concentrations")) { benchmark in
        var simulator = job.simulator(solver: SolverOptions(method: method))
        simulator.reportsAmounts = amounts
        _ = try! simulator.run(doses: job.doses, outputTimes: job.times)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
          blackHole(try! simulator.run(doses: job.doses, outputTimes: job.times))
        }
      }
    }
  }

  // Instantiating the subject's model as well (what each subject of a population costs).
  Benchmark("parentMetaboliteMM.solve.cold") { benchmark in
    for _ in benchmark.scaledIterations {
      var simulator = job.simulator()
      blackHole(try! simulator.run(doses: job.doses, outputTimes: job.times))
    }
  }

  // The step loop in steady state: advance the MM right-hand side from minute to minute with
  // no output, with the automatic method (the Taylor method here) and with Dormand–Prince. It
  // must not allocate (threshold mallocCountTotal 0, absolute).
  for (suffix, method) in [("", AdaptiveMethod.automatic), (".dp5", .dormandPrince54)] {
    Benchmark(
      "AdaptiveStepper.advance.warm" + suffix,
      configuration: .init(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .nanoseconds,
        thresholds: [.mallocCountTotal: .init(absolute: BenchmarkThresholds.Absolute.strict)])
    ) { benchmark in
      let model = try! job.definition.instantiate(for: Subject())
      let (system, volumes) = try! model.compiled.system(model.parameterValues)
      let rhs = try! NonlinearRHS(
        model: model.compiled, values: model.parameterValues, system: system, volumes: volumes)
      var stepper = AdaptiveStepper(
        function: rhs, method: method, tolerance: Tolerance(relative: 1e-8, absolute: 2e-10))
      var y = [Double](repeating: 0, count: rhs.dimension)
      y[0] = 200
      var k = 1
      try! stepper.advance(&y, to: Double(k) / 60)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        k += 1
        try! stepper.advance(&y, to: Double(k) / 60)
      }
      benchmark.stopMeasurement()
      blackHole(y)
    }
  }

  // 10,000 subjects, log-normal Vmax and Vc (ω² 0.09), simulated on both cores in batches of
  // 64 subjects (PopulationSimulator: states 5 × 64, per-subject steps; with the automatic
  // method here `BatchTaylorSeries`, every subject's coefficients in one pass over the batch);
  // no CSV. Each subject's peak concentration is kept.
  func batchedPeaks(_ benchmark: Benchmark, amounts: Bool, method: SolverOptions.Method = .automatic) {
    let count = population.count
    let subjects = population.map { Subject(covariates: ["ETA_VMAX": $0.etaVmax, "ETA_VC": $0.etaVc]) }
    let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    var simulator = PopulationSimulator(
      model: job.compiled, solver: SolverOptions(method: method), batchSize: 64)
    simulator.reportsAmounts = amounts
    var peaks = [Double](repeating: .nan, count: count)
    benchmark.startMeasurement()
    peaks.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let out = buffer
      simulator.run(subjects: subjects, doses: job.doses, outputTimes: job.times, threads: threads) { k, r in
        out[k] = (try? r.get())?.curve(0).max() ?? .nan
      }
    }
    benchmark.stopMeasurement()
    precondition(!peaks.contains { $0.isNaN }, "A subject failed.")
    blackHole(peaks)
  }
  // Every state's amounts in each result.
  Benchmark("parentMetaboliteMM.population10000.batched", configuration: populationConfiguration) {
    batchedPeaks($0, amounts: true)
  }
  // Concentrations only (`reportsAmounts` false: the batch interpolates the two output
  // compartments, not all five states), as `ketasim run --subjects` does unless the curves print
  // amounts. The peaks are the same doubles.
  Benchmark(
    "parentMetaboliteMM.population10000.batched.concentrations", configuration: populationConfiguration
  ) {
    batchedPeaks($0, amounts: false)
  }
  // Dormand–Prince batched (`BatchDormandPrince54`), concentrations only, as `ketasim run
  // --subjects 10000 --method dp5` integrates (and `auto` for a model with rate expressions).
  Benchmark(
    "parentMetaboliteMM.population10000.batched.dp5.concentrations", configuration: populationConfiguration
  ) {
    batchedPeaks($0, amounts: false, method: .dormandPrince54)
  }

  // The same 10,000 subjects one at a time (a Simulator each, the record engine), on both
  // cores, for comparison with the batched run.
  func oneByOne(_ benchmark: Benchmark, solver: SolverOptions, amounts: Bool) {
    let count = population.count
    let etas = population
    let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    var peaks = [Double](repeating: 0, count: count)
    benchmark.startMeasurement()
    peaks.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let out = buffer
      DispatchQueue.concurrentPerform(iterations: threads) { worker in
        for s in stride(from: worker, to: count, by: threads) {
          var simulator = job.simulator(etaVmax: etas[s].0, etaVc: etas[s].1, solver: solver)
          simulator.reportsAmounts = amounts
          let result = try! simulator.run(doses: job.doses, outputTimes: job.times)
          out[s] = result.curve(0).max()!
        }
      }
    }
    benchmark.stopMeasurement()
    blackHole(peaks)
  }
  Benchmark("parentMetaboliteMM.population10000", configuration: populationConfiguration) {
    oneByOne($0, solver: SolverOptions(), amounts: true)
  }
  // The Taylor method one subject at a time, concentrations only (the record engine, as a
  // data set runs each subject), for comparison with the batched Taylor run.
  Benchmark(
    "parentMetaboliteMM.population10000.taylor.concentrations", configuration: populationConfiguration
  ) {
    oneByOne($0, solver: SolverOptions(method: .taylor), amounts: false)
  }
}
