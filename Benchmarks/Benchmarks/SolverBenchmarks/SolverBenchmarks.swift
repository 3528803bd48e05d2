// Solver micro-benchmarks: the matrix exponential, matrix–vector kernels (hand-written loop
// against BLAS dgemv) and the integrator's step.
//
// Run from the Benchmarks/ package (see Benchmarks/README.md):
//
//   OPENBLAS_NUM_THREADS=1 swift package benchmark --target SolverBenchmarks
//
// Benchmark names use no spaces or slashes, because `benchmark thresholds update` writes
// `<target>.<name>.p90.json` with those characters replaced while `thresholds check` reads the
// name unchanged.

import Benchmark
import PKLinearAlgebra
import PKSolver

// MARK: - Fixtures

/// The system matrix (1/h) of the Domino 1984 three-compartment ketamine model, states
/// (central, peripheral1, peripheral2, eliminated): the same matrix `ModelDefinition.instantiate`
/// builds from Models/domino-1984.yaml. The micro-constants (1/min) are k10 0.4381, k12 0.5921,
/// k21 0.2470, k13 0.5900, k31 0.0146; the rate constants do not depend on weight.
func dominoSystem() -> LinearSystem {
  let perHour = 60.0
  let k10 = 0.4381 * perHour
  let k12 = 0.5921 * perHour
  let k21 = 0.2470 * perHour
  let k13 = 0.5900 * perHour
  let k31 = 0.0146 * perHour
  var a = Matrix(rows: 4, columns: 4)
  a[0, 0] = -(k10 + k12 + k13)
  a[1, 0] = k12
  a[2, 0] = k13
  a[3, 0] = k10
  a[0, 1] = k21
  a[1, 1] = -k21
  a[0, 2] = k31
  a[2, 2] = -k31
  return LinearSystem(matrix: a)
}

/// One minute in hours: the step of the depression-infusion output grid.
let oneMinute = 1.0 / 60.0

/// The 2n × 2n Van Loan matrix [[A h, I h], [0, 0]] whose exponential `Propagator` takes
/// (8 × 8 for the 4-state Domino system at h = 1 min).
func vanLoanMatrix(_ system: LinearSystem, step h: Double) -> Matrix {
  let n = system.dimension
  var m = Matrix(rows: 2 * n, columns: 2 * n)
  for j in 0..<n {
    for i in 0..<n { m[i, j] = system.matrix[i, j] * h }
    m[j, n + j] = h
  }
  return m
}

/// A dense n × n matrix and an n-vector with no zero entries, deterministic.
func denseFixture(_ n: Int) -> (Matrix, [Double]) {
  var a = Matrix(rows: n, columns: n)
  for j in 0..<n {
    for i in 0..<n { a[i, j] = 1.0 / Double(1 + i + 2 * j) - (i == j ? 1 : 0) }
  }
  let x = (0..<n).map { 1.0 + Double($0) / Double(n) }
  return (a, x)
}

/// y = A·x with the loop of `Matrix._smallMultiply`, copied here because the library sends
/// matrices above `Matrix.smallKernelLimit` rows (16) to BLAS and keeps the loop internal.
/// Used only to time the hand-written loop at n = 32.
@inline(never)
func handWrittenMultiply(_ a: Matrix, _ x: [Double], into y: inout [Double]) {
  let m = a.rows
  let n = a.columns
  a.elements.withUnsafeBufferPointer { a in
    x.withUnsafeBufferPointer { xs in
      y.withUnsafeMutableBufferPointer { ys in
        for i in 0..<m { ys[i] = 0 }
        for j in 0..<n {
          let xj = xs[j]
          let col = j * m
          for i in 0..<m { ys[i] += a[col + i] * xj }
        }
      }
    }
  }
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal, .throughput],
    timeUnits: .nanoseconds,
    warmupIterations: 10,
    scalingFactor: .kilo,
    maxDuration: .seconds(2),
    maxIterations: 10_000
  )

  let system = dominoSystem()

  // The harness's own cost per iteration, for reading the others: an empty body.
  Benchmark("Noop", configuration: .init(scalingFactor: .one, maxIterations: 100_000)) { _ in
    blackHole(0)
  }

  // MARK: Matrix exponential

  // e^M for the 8 × 8 Van Loan matrix of the Domino system at h = 1 min (‖M‖₁ ≈ 3.2, so the
  // degree-13 Padé approximant without scaling). This is the cost of one cache miss.
  Benchmark(
    "Matrix.exponential.8x8",
    configuration: .init(scalingFactor: .one, maxIterations: 100_000)
  ) { benchmark in
    let m = vanLoanMatrix(system, step: oneMinute)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(try! m.exponential())
    }
  }

  // Propagator(system:step:): the exponential plus splitting Φ and Γ out of it.
  Benchmark(
    "Propagator.init.n4",
    configuration: .init(scalingFactor: .one, maxIterations: 100_000)
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try! Propagator(system: system, step: oneMinute))
    }
  }

  // MARK: Matrix–vector product: hand-written loop against BLAS dgemv

  // `Matrix.multiply` takes the hand-written loop up to `smallKernelLimit` (16) rows; above it
  // calls dgemv, so at n = 32 the loop is timed through a copy of it (`handWrittenMultiply`).
  for n in [4, 8, 16, 32] {
    let (a, x) = denseFixture(n)
    if n <= Matrix.smallKernelLimit {
      Benchmark("matvec.n\(n).handwritten") { benchmark in
        var y = [Double](repeating: 0, count: n)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
          a.multiply(x, offset: 0, into: &y, offset: 0)
          blackHole(y)
        }
      }
    } else {
      Benchmark("matvec.n\(n).handwritten") { benchmark in
        var y = [Double](repeating: 0, count: n)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
          handWrittenMultiply(a, x, into: &y)
          blackHole(y)
        }
      }
      Benchmark("matvec.n\(n).library") { benchmark in
        var y = [Double](repeating: 0, count: n)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
          a.multiply(x, offset: 0, into: &y, offset: 0)
          blackHole(y)
        }
      }
    }
    Benchmark("matvec.n\(n).BLAS") { benchmark in
      var y = [Double](repeating: 0, count: n)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        a.multiplyWithBLAS(x, into: &y)
        blackHole(y)
      }
    }
  }

  // Propagator.apply on the Domino system during the infusion, one-minute step: y = Φ·x + g with
  // g = Γ·u computed once, as the stepper does (one pass through `Matrix.multiply(_:adding:…)`).
  Benchmark("Propagator.apply.n4.withInput") { benchmark in
    let p = try! Propagator(system: system, step: oneMinute)
    precondition(!p.usesIncrement, "Expected the direct form Φ·x for the one-minute step.")
    let g = p.inputGain.multiplied(by: [25.2, 0, 0, 0])
    // Built at run time: a constant array literal is a statically allocated object, and the
    // first write into it would copy (one malloc that is not the library's).
    var x = (0..<4).map { 10.0 / Double($0 + 1) }
    var y = [Double](repeating: 0, count: 4)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      p.apply(x, gain: g, into: &y)
      swap(&x, &y)
    }
    blackHole(x)
  }

  // The short-step form (‖A‖₁·h ≤ 1, here h = 0.1 min): y = x + ((Φ − I)·x + g), g = Γ·u. The one-minute step of the Domino system (‖A‖₁·h ≈ 3.2) does not
  // take this path; finer output grids do.
  Benchmark("Propagator.apply.n4.withInput.shortStep") { benchmark in
    let p = try! Propagator(system: system, step: oneMinute / 10)
    precondition(p.usesIncrement, "Expected the short-step (increment) form.")
    let g = p.inputGain.multiplied(by: [25.2, 0, 0, 0])
    var x = (0..<4).map { 10.0 / Double($0 + 1) }
    var y = [Double](repeating: 0, count: 4)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      p.apply(x, gain: g, into: &y)
      swap(&x, &y)
    }
    blackHole(x)
  }

  // MARK: Integrator: one step, and whole solves

  // One step of the integrator in steady state: `ExactLinearStepper.advance` (the step that
  // `ExactLinearIntegrator.solve` loops over) to the next one-minute output, with the infusion
  // input on and the propagator already cached. It must not allocate: the threshold below
  // (absolute p90 tolerance 0) and
  // Thresholds/swift-6.3/SolverBenchmarks.ExactLinearStepper.advance.warm.p90.json
  // (mallocCountTotal 0) enforce it.
  Benchmark(
    "ExactLinearStepper.advance.warm",
    configuration: .init(
      thresholds: [.mallocCountTotal: .init(absolute: BenchmarkThresholds.Absolute.strict)])
  ) { benchmark in
    var stepper = ExactLinearStepper(system: system)
    let u = [25.2, 0, 0, 0]
    // On the heap and uniquely referenced, as in a solve after its first steps (a constant
    // array literal is a static object that the first write would copy).
    var x = [Double](repeating: 0, count: 4)
    var k = 1
    try! stepper.advance(&x, to: Double(k) / 60, input: u)  // computes and caches Φ(1 min)
    try! stepper.advance(&x, to: Double(k + 1) / 60, input: u)  // x and scratch both owned
    k += 1
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      k += 1
      try! stepper.advance(&x, to: Double(k) / 60, input: u)
    }
    benchmark.stopMeasurement()
    precondition(stepper.cache.count == 1, "The step benchmark computed a second propagator.")
    blackHole(x)
  }

  // The smallest complete call: solve over one output step, warm cache. Shows the fixed cost
  // of a solve, including the work arrays it allocates on every call.
  Benchmark("ExactLinearIntegrator.solve.1step.warm") { benchmark in
    var integrator = ExactLinearIntegrator(system: system)
    let x0 = [10.0, 0, 0, 0]
    var states = [Double](repeating: 0, count: 4)
    _ = try! integrator.solve(
      initialState: x0, initialTime: 0, events: [], outputTimes: [oneMinute], states: &states)
    let times = [oneMinute]
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(
        try! integrator.solve(
          initialState: x0, initialTime: 0, events: [], outputTimes: times, states: &states))
    }
  }

  // The depression infusion at the integrator level: 0.5 mg/kg × 70 kg over 40 min into the
  // central compartment, 1441 outputs (0…24 h every minute), warm cache, preallocated output.
  // mallocCountTotal here against the one-step solve shows whether the step loop allocates.
  Benchmark(
    "ExactLinearIntegrator.solve.1441outputs.warm",
    configuration: .init(scalingFactor: .one, maxIterations: 100_000)
  ) { benchmark in
    var integrator = ExactLinearIntegrator(system: system)
    let infusionHours = 40.0 / 60.0
    let rate = 0.5 * 70 / infusionHours
    let events = [
      InputEvent(time: 0, input: [rate, 0, 0, 0]),
      InputEvent(time: infusionHours, input: [0, 0, 0, 0]),
    ]
    let times = (0...1440).map { Double($0) / 60.0 }
    let x0 = [Double](repeating: 0, count: 4)
    var states = [Double](repeating: 0, count: 4 * times.count)
    _ = try! integrator.solve(
      initialState: x0, initialTime: 0, events: events, outputTimes: times, states: &states)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(
        try! integrator.solve(
          initialState: x0, initialTime: 0, events: events, outputTimes: times, states: &states))
    }
  }

  // MARK: Populations: 64 subjects through one day's 1-min grid

  // 64 subjects of the Domino model, each with its own elimination (k10 from 0.7 to 1.3 times
  // the published value), from a bolus through 1440 one-minute outputs, propagators cached and
  // the grid's runs remembered (`RegularRunCache`): first one `ExactLinearStepper` per subject,
  // as the record engine ran a population until the eleventh session, then one
  // `BatchExactLinearStepper` with the 64 subjects in its lanes, as `ExactBatchSimulator` runs
  // them now (the same doubles). Per iteration: 64 × 1440 subject-steps.
  let lanes = 64
  let populationSystems = (0..<lanes).map { l -> LinearSystem in
    var a = dominoSystem().matrix
    let k10 = a[3, 0] * (0.7 + 0.6 * Double(l) / Double(lanes - 1))
    a[0, 0] += a[3, 0] - k10
    a[3, 0] = k10
    return LinearSystem(matrix: a)
  }
  let day = (0...1440).map { Double($0) / 60.0 }
  Benchmark("ExactLinearStepper.day.64subjects.warm") { benchmark in
    var steppers = populationSystems.map { ExactLinearStepper(system: $0) }
    let runs = RegularRunCache()
    var states = [Double](repeating: 0, count: 4 * day.count)
    func solve() {
      for l in 0..<lanes {
        steppers[l].setTime(0)
        var x = [10.0, 0, 0, 0]
        try! steppers[l].advance(
          &x, through: day, range: 0..<day.count, offset: 0, input: nil, states: &states, statesStart: 0,
          runs: runs)
      }
    }
    solve()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      solve()
      blackHole(states)
    }
  }
  Benchmark("BatchExactLinearStepper.day.64subjects.warm") { benchmark in
    var stepper = BatchExactLinearStepper(
      systems: populationSystems, outputStates: [0], outputFactors: [Double](repeating: 1, count: lanes))
    let runs = RegularRunCache()
    var outputs = [Double](repeating: 0, count: lanes * day.count)
    func solve() {
      stepper.setTime(0)
      var x = [Double](repeating: 0, count: 4 * lanes)
      for l in 0..<lanes { x[l] = 10 }
      outputs.withUnsafeMutableBufferPointer {
        stepper.advance(
          &x, through: day, range: 0..<day.count, offset: 0, inputs: nil, outputs: $0.baseAddress!,
          stride: lanes,
          firstRow: 0, runs: runs)
      }
    }
    solve()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      solve()
      blackHole(outputs)
    }
  }
}
