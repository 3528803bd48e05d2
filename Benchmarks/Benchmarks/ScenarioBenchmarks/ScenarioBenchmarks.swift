// End-to-end scenario benchmarks in process: the depression infusion (Domino 1984, 70 kg,
// 0.5 mg/kg iv over 40 min, outputs 0…24 h every minute = 1441 points), and the esketamine
// nasal induction (Perez-Ruixo 2021, 56 mg nasal twice weekly for 4 weeks, outputs 0…28 d every
// minute = 40,321 points; Models/scenarios/esketamine-nasal-induction.yaml).
//
// Run from the Benchmarks/ package (see Benchmarks/README.md):
//
//   OPENBLAS_NUM_THREADS=1 swift package benchmark --target ScenarioBenchmarks

import Benchmark
import Foundation
import PKCore
import PKScenario

// MARK: - Fixture

/// The depression-infusion job, built the way `ketasim run` builds it.
struct DepressionInfusion {
  let model: CompartmentModel
  let subject: Subject
  let doses: [Dose]
  let outputTimes: [Double]

  /// Loads `../Models/domino-1984.yaml`, relative to the Benchmarks package, whose root is
  /// found from this file's path (`Benchmarks/ScenarioBenchmarks/ScenarioBenchmarks.swift`).
  init(filePath: String = #filePath) {
    let benchmarksPackage = URL(fileURLWithPath: filePath)
      .deletingLastPathComponent()  // Benchmarks/ScenarioBenchmarks/
      .deletingLastPathComponent()  // Benchmarks/
      .deletingLastPathComponent()  // the Benchmarks package
    let path = benchmarksPackage.appendingPathComponent("../Models/domino-1984.yaml")
      .standardizedFileURL.path
    do {
      let definition = try ModelFileReader.read(path: path)
      subject = Subject(weight: 70)
      model = try definition.instantiate(for: subject)
      doses = [try RegimenParser.parse("0.5 mg/kg iv over 40 min")]
      outputTimes = try OutputGrid(until: (24, .hour), every: (1, .minute)).hours
    } catch {
      fatalError("Cannot set up the depression infusion from \(path): \(error)")
    }
    precondition(outputTimes.count == 1441, "Expected 1441 output times, found \(outputTimes.count).")
  }
}

/// A ready-made scenario file, read the way `ketasim run FILE` reads it.
struct ScenarioJob {
  let scenario: Scenario
  let model: CompartmentModel

  /// Loads `../Models/scenarios/NAME.yaml` relative to the Benchmarks package.
  init(_ name: String, filePath: String = #filePath) {
    let root = URL(fileURLWithPath: filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("../Models").standardizedFileURL
    let path = root.appendingPathComponent("scenarios/\(name).yaml").path
    do {
      scenario = try ScenarioFileReader.read(path: path, library: ModelLibrary(directory: root.path))
      model = try scenario.model.instantiate(for: scenario.subject)
    } catch {
      fatalError("Cannot set up \(path): \(error)")
    }
  }
}

/// Simulations per second, reported once per iteration of a batch benchmark.
let simulationsPerSecond = BenchmarkMetric.custom(
  "simulations/s", polarity: .prefersLarger, useScalingFactor: false)

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal, .throughput],
    timeUnits: .microseconds,
    warmupIterations: 10,
    scalingFactor: .one,
    maxDuration: .seconds(3),
    maxIterations: 100_000
  )

  let job = DepressionInfusion()
  let esketamine = ScenarioJob("esketamine-nasal-induction")
  precondition(esketamine.scenario.grid.hours.count == 40_321, "Expected 40,321 output times.")

  // The esketamine nasal induction (issue 4's figure), simulation only: a new Simulator each
  // time (cold) and one reused (warm).
  Benchmark("esketamineNasal4Weeks.cold", configuration: .init(timeUnits: .milliseconds)) { benchmark in
    for _ in benchmark.scaledIterations {
      var simulator = Simulator(model: esketamine.model, subject: esketamine.scenario.subject)
      blackHole(
        try! simulator.run(doses: esketamine.scenario.doses, outputTimes: esketamine.scenario.grid.hours))
    }
  }

  Benchmark("esketamineNasal4Weeks.warm", configuration: .init(timeUnits: .milliseconds)) { benchmark in
    var simulator = Simulator(model: esketamine.model, subject: esketamine.scenario.subject)
    _ = try! simulator.run(doses: esketamine.scenario.doses, outputTimes: esketamine.scenario.grid.hours)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(
        try! simulator.run(doses: esketamine.scenario.doses, outputTimes: esketamine.scenario.grid.hours))
    }
  }

  // Everything `ketasim run FILE` does in process: read the scenario and model files, simulate,
  // render the CSV text (40,322 lines).
  Benchmark("esketamineNasal4Weeks.fileToCSV", configuration: .init(timeUnits: .milliseconds)) { benchmark in
    for _ in benchmark.scaledIterations {
      let job = ScenarioJob("esketamine-nasal-induction")
      var simulator = Simulator(model: job.model, subject: job.scenario.subject)
      let result = try! simulator.run(doses: job.scenario.doses, outputTimes: job.scenario.grid.hours)
      blackHole(try! CSVWriter().render(result, grid: job.scenario.grid))
    }
  }

  // A new Simulator for every run: the one-minute propagator (and any other step length the
  // grid and the infusion stop produce) is computed each time.
  Benchmark("depressionInfusion.cold") { benchmark in
    for _ in benchmark.scaledIterations {
      var simulator = Simulator(model: job.model, subject: job.subject)
      blackHole(try! simulator.run(doses: job.doses, outputTimes: job.outputTimes))
    }
  }

  // One Simulator reused: every propagator is already cached. This is the goal's figure
  // (≤ 20 µs per simulation).
  Benchmark("depressionInfusion.warm") { benchmark in
    var simulator = Simulator(model: job.model, subject: job.subject)
    _ = try! simulator.run(doses: job.doses, outputTimes: job.outputTimes)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(try! simulator.run(doses: job.doses, outputTimes: job.outputTimes))
    }
  }

  // The warm run split in two: expanding the doses into events, and the simulation of an
  // already expanded schedule (integration plus the concentration columns).
  Benchmark("DosingSchedule.init", configuration: .init(timeUnits: .nanoseconds)) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try! DosingSchedule(doses: job.doses, model: job.model, subject: job.subject))
    }
  }

  Benchmark("depressionInfusion.warm.expandedSchedule") { benchmark in
    let schedule = try! DosingSchedule(doses: job.doses, model: job.model, subject: job.subject)
    var simulator = Simulator(model: job.model, subject: job.subject)
    _ = try! simulator.run(schedule: schedule, outputTimes: job.outputTimes)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(try! simulator.run(schedule: schedule, outputTimes: job.outputTimes))
    }
  }

  // 10,000 simulations of the job in one process, one thread, one Simulator reused.
  // Reports simulations per second.
  Benchmark(
    "depressionInfusion.batch10000.warm",
    configuration: .init(
      metrics: [.wallClock, .mallocCountTotal, simulationsPerSecond],
      timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 25)
  ) { benchmark in
    let count = 10_000
    var simulator = Simulator(model: job.model, subject: job.subject)
    _ = try! simulator.run(doses: job.doses, outputTimes: job.outputTimes)
    let clock = ContinuousClock()
    benchmark.startMeasurement()
    let start = clock.now
    for _ in 0..<count {
      blackHole(try! simulator.run(doses: job.doses, outputTimes: job.outputTimes))
    }
    let elapsed = clock.now - start
    benchmark.stopMeasurement()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    benchmark.measurement(simulationsPerSecond, Int((Double(count) / seconds).rounded()))
  }

  // 10,000 simulations with a new Simulator each, as for 10,000 subjects of different weights
  // (each subject's model differs, so nothing can be cached across them).
  Benchmark(
    "depressionInfusion.batch10000.cold",
    configuration: .init(
      metrics: [.wallClock, .mallocCountTotal, simulationsPerSecond],
      timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 25)
  ) { benchmark in
    let count = 10_000
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<count {
      var simulator = Simulator(model: job.model, subject: job.subject)
      blackHole(try! simulator.run(doses: job.doses, outputTimes: job.outputTimes))
    }
    let elapsed = clock.now - start
    benchmark.stopMeasurement()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    benchmark.measurement(simulationsPerSecond, Int((Double(count) / seconds).rounded()))
  }
}
