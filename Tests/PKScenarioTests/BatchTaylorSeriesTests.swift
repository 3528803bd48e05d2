import Foundation
import PKSolver
import Testing

@testable import PKCore
@testable import PKScenario

/// The Taylor method over a batch of subjects, on the solver issue's model (two
/// Michaelis–Menten flows): each subject's coefficients, steps, outputs and errors are those of
/// its own run (`NonlinearRHS` with `AdaptiveStepper`'s `.taylor`), bit for bit, in any batch
/// size, whatever the other subjects do.
@Suite struct BatchTaylorSeriesTests {
  static let compiled = try! CompiledModel(
    ModelFileReader.read(
      path: RepositoryPaths.models.appendingPathComponent("examples/parent-metabolite-mm.yaml").path))
  /// The same model with an absorption rate of 2·10⁵/h: stiff once the depot has emptied (the
  /// Taylor method's step is then held at the edge of its stability, about 5.45/KA).
  static let stiffCompiled: CompiledModel = {
    var d = compiled.definition
    let ka = d.parameters.firstIndex { $0.name == "KA" }!
    d.parameters[ka].definition = .value(2e5)
    return try! CompiledModel(d)
  }()
  static let outputs = (1...288).map { Double($0) / 12 }
  /// Where the dose at 6 h falls among the outputs.
  static let split = outputs.firstIndex { $0 > 6 }!

  /// Subject k's right-hand side (its own Vmax and Vc), of the stiff model for the subjects in
  /// `stiff`.
  static func rhs(_ k: Int, stiff: Set<Int> = []) throws -> NonlinearRHS {
    let subject = Subject(covariates: ["ETA_VMAX": 0.3 * sin(Double(k)), "ETA_VC": 0.25 * cos(Double(3 * k))])
    let model = stiff.contains(k) ? stiffCompiled : compiled
    let m = try model.instantiate(for: subject)
    return try NonlinearRHS(model: model, values: m.parameterValues, system: m.system, volumes: m.volumes)
  }

  /// Subject k's tolerance: the absolute one follows its dose, as in a population.
  static func tolerance(_ k: Int) -> Tolerance {
    Tolerance(relative: 1e-8, absolute: 1e-12 * (200 + 10 * Double(k)))
  }

  /// Subject k alone: 200 + 10k mg into the depot at 0 and 100 mg more at 6 h, every state at
  /// each output.
  static func single(_ k: Int, method: AdaptiveMethod = .taylor) throws -> [Double] {
    let f = try rhs(k)
    let n = f.dimension
    var stepper = AdaptiveStepper(function: f, method: method, tolerance: tolerance(k))
    var y = [Double](repeating: 0, count: n)
    y[0] = 200 + 10 * Double(k)
    var states = [Double](repeating: .nan, count: n * outputs.count)
    try stepper.advance(&y, through: outputs, range: 0..<split, offset: 0, states: &states, statesStart: 0)
    y[0] += 100
    stepper.restart()
    try stepper.advance(
      &y, through: outputs, range: split..<outputs.count, offset: 0, states: &states, statesStart: n * split)
    return states
  }

  /// The same subjects as one batch, the `reported` states at each output; `poisoned` lanes
  /// start from NaN.
  static func batch(
    _ subjects: [Int], reported: [Int]? = nil, poisoned: Set<Int> = [], stepLimit: Int = 500_000,
    stiff: Set<Int> = []
  ) throws -> (states: [[Double]], failures: [Int: IntegrationError], stiff: Set<Int>) {
    let function = NonlinearBatchRHS(subjects: try subjects.map { try rhs($0, stiff: stiff) })
    let s = subjects.count
    let n = function.dimension
    var stepper = BatchTaylorSeries(function: function, tolerances: subjects.map(tolerance))
    stepper.stepLimit = stepLimit
    stepper.detectsStiffness = !stiff.isEmpty
    if let reported { stepper.reported = reported }
    let width = stepper.reported.count
    var y = [Double](repeating: 0, count: n * s)
    for (j, k) in subjects.enumerated() { y[j] = poisoned.contains(j) ? .nan : 200 + 10 * Double(k) }
    let stride = width * outputs.count
    var states = [Double](repeating: .nan, count: stride * s)
    stepper.advance(
      &y, through: outputs, range: 0..<split, offset: 0, to: 6, states: &states, subjectStride: stride,
      statesStart: 0)
    for j in 0..<s { y[j] += 100 }
    stepper.restart(at: 6)
    stepper.advance(
      &y, through: outputs, range: split..<outputs.count, offset: 0, to: 24, states: &states,
      subjectStride: stride, statesStart: width * split)
    return (
      (0..<s).map { Array(states[($0 * stride)..<(($0 + 1) * stride)]) }, stepper.failures,
      stepper.stiffSubjects
    )
  }

  /// Rows 0…p of each subject's coefficients, for all lanes and for the first lanes only, from
  /// states with no zero (a zero entry's term would then be the only difference the union of
  /// the subjects' entries could make, and it makes none: a sum that starts at +0 never
  /// becomes −0).
  @Test(arguments: [1, 4, 7])
  func coefficientsAreEachSubjectsOwn(size: Int) throws {
    let singles = try (0..<size).map { try Self.rhs($0) }
    let function = NonlinearBatchRHS(subjects: singles)
    let n = function.dimension
    let p = TaylorSeries.order(for: Self.tolerance(0))
    var y = [Double](repeating: 0, count: n * size)
    for j in 0..<size {
      for i in 0..<n { y[i * size + j] = 1 + Double(j) + 7 * Double(i) * Double(i) }
      // An infusion into the central compartment enters the first row.
      singles[j].input = (0..<n).map { $0 == 1 ? 25 + Double(j) : 0 }
      function.input[1 * size + j] = 25 + Double(j)
    }
    for lanes in Set([size, max(1, size - 1)]) {
      var batched = [Double](repeating: .nan, count: (p + 1) * n * size)
      #expect(function.taylorCoefficients(y, order: p, into: &batched, lanes: lanes))
      for j in 0..<lanes {
        let column = (0..<n).map { y[$0 * size + j] }
        var alone = [Double](repeating: .nan, count: (p + 1) * n)
        _ = column.withUnsafeBufferPointer { c in
          alone.withUnsafeMutableBufferPointer {
            singles[j].taylorCoefficients(c.baseAddress!, order: p, into: $0.baseAddress!)
          }
        }
        let lane = (0..<((p + 1) * n)).map { batched[$0 * size + j] }
        #expect(lane.map(\.bitPattern) == alone.map(\.bitPattern), "subject \(j) of \(size), \(lanes) lanes")
      }
    }
  }

  @Test(arguments: [1, 3, 8])
  func batchEqualsSingleRunsBitForBit(size: Int) throws {
    let subjects = Array(0..<size)
    let (batched, failures, stiff) = try Self.batch(subjects)
    #expect(failures.isEmpty && stiff.isEmpty)
    for k in subjects {
      #expect(
        batched[k].map(\.bitPattern) == (try Self.single(k)).map(\.bitPattern), "subject \(k) of \(size)")
    }
  }

  /// Reporting some states writes, at each output, the doubles those states have among all.
  @Test(arguments: [[1], [1, 3], [0, 2, 4]])
  func reportedStatesAreTheSameDoubles(reported: [Int]) throws {
    let subjects = Array(0..<5)
    let all = try Self.batch(subjects).states
    let some = try Self.batch(subjects, reported: reported).states
    let n = Self.compiled.compartmentCount + 1
    for k in subjects {
      let expected = Self.outputs.indices.flatMap { t in reported.map { all[k][t * n + $0] } }
      #expect(some[k].map(\.bitPattern) == expected.map(\.bitPattern), "subject \(k)")
    }
  }

  /// A subject whose state is not finite fails alone, with the time and the state; the others
  /// are their own runs. A step limit stops every subject, each with its own time.
  @Test func aFailingSubjectStopsAlone() throws {
    let subjects = Array(0..<6)
    let (batched, failures, _) = try Self.batch(subjects, poisoned: [2])
    #expect(failures == [2: .nonFinite(time: 0, component: 0)])
    for k in subjects where k != 2 {
      #expect(batched[k].map(\.bitPattern) == (try Self.single(k)).map(\.bitPattern), "subject \(k)")
    }
    let limited = try Self.batch([0, 1], stepLimit: 3).failures
    #expect(limited.count == 2)
    for (_, error) in limited {
      guard case .stepLimit(let time, let steps) = error else {
        Issue.record("expected a step limit, got \(error)")
        continue
      }
      #expect(steps == 3 && time > 0 && time < 6)
    }
  }

  /// With the automatic method's stiffness test, the stiff subjects are flagged (the caller
  /// integrates them with a stiff method), and the others are their own automatic runs, which
  /// are Taylor runs.
  @Test func stiffSubjectsAreFlagged() throws {
    let subjects = Array(0..<6)
    let (batched, failures, stiff) = try Self.batch(subjects, stiff: [1, 4])
    #expect(failures.isEmpty && stiff == [1, 4])
    for k in subjects where ![1, 4].contains(k) {
      let alone = try Self.single(k, method: .automatic)
      #expect(alone.map(\.bitPattern) == (try Self.single(k)).map(\.bitPattern))
      #expect(batched[k].map(\.bitPattern) == alone.map(\.bitPattern), "subject \(k)")
    }
  }
}
