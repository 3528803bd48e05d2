import Foundation
import PKLinearAlgebra
import Testing
import _PKTestSupport

@testable import PKSolver

/// `BatchExactLinearStepper`: every lane gives the doubles of an `ExactLinearStepper` of its own
/// system asked for the same targets, bit for bit: single steps (`advance(_:to:inputs:)`), runs
/// of a regular grid (`advance(_:through:…)`, `_BatchRegularSteps`), with and without inputs,
/// in the increment form, the direct form and lanes of both, with and without a last state that
/// feeds back, for one to six states, and with a lane whose propagator cannot be computed.
@Suite struct BatchExactLinearStepperTests {
  /// A mammillary three-compartment model with its eliminated amount as a fourth state (whose
  /// column of A is zero), rates in 1/h.
  static func mammillary(k10: Double, k12: Double, k21: Double, k13: Double, k31: Double) -> LinearSystem {
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

  /// Lane l of eight with moderate rates: ‖A‖₁·h ≤ 1 for h = 1 min (increment form).
  static func slow(_ l: Int) -> LinearSystem {
    let x = Double(l)
    return mammillary(
      k10: 0.8 + 0.37 * x, k12: 2.1 + 0.53 * sin(x), k21: 0.9 + 0.11 * x, k13: 1.3 + 0.21 * cos(x),
      k31: 0.05 + 0.013 * x)
  }

  /// Lane l with fast rates: ‖A‖₁·h > 1 for h = 1 min (Φ applied directly).
  static func fast(_ l: Int) -> LinearSystem {
    let x = Double(l)
    return mammillary(
      k10: 9 + 1.7 * x, k12: 21 + 2.3 * sin(x), k21: 7.5 + 0.4 * x, k13: 14 + 3.1 * cos(x),
      k31: 0.6 + 0.07 * x)
  }

  static let minute = 1.0 / 60

  /// One part of a script run on the batch and on every lane's own stepper.
  enum Phase {
    /// `advance(_:to:)` to the time, then the outputs written as a row (`write`).
    case to(Double, inputs: [[Double]]?)
    /// `advance(_:through:range:offset:…)` over `targets[range]`.
    case through(Range<Int>, offset: Double, inputs: [[Double]]?)
    /// Amounts added to one state (a bolus), per lane.
    case add(state: Int, amounts: [Double])
    /// The clock set (`setTime`).
    case setTime(Double)
  }

  /// The number of output rows a script writes.
  static func rows(_ phases: [Phase]) -> Int {
    phases.reduce(0) { count, phase in
      switch phase {
      case .to: return count + 1
      case .through(let range, _, _): return count + range.count
      case .add, .setTime: return count
      }
    }
  }

  /// A value no output takes, in every place the outputs must leave alone.
  static let untouched = Double(bitPattern: 0x7FF8_DEAD_BEEF_0001)

  /// Runs `phases` on a batch of `systems` and on one `ExactLinearStepper` per lane, and expects
  /// every output (state × factor), every final state and the clock to be the same bits; the
  /// places of the output rows beyond the lanes (stride > L) are left as they were. A lane whose
  /// own stepper throws must be marked failed in the batch, and is not compared.
  ///
  /// - Returns: the batch stepper after the script (for `failed`).
  @discardableResult
  static func expectLanesMatchSingleSteppers(
    _ systems: [LinearSystem], start: [[Double]], outputStates: [Int], factors: [[Double]],
    targets: [Double], phases: [Phase], stride: Int, runs: RegularRunCache?,
    singleRuns: RegularRunCache?, _ label: String
  ) -> BatchExactLinearStepper {
    let lanes = systems.count
    let n = systems[0].dimension
    let outputCount = outputStates.count
    // Factors per output and lane, o·L + l.
    var flat = [Double](repeating: 0, count: outputCount * lanes)
    for o in 0..<outputCount { for l in 0..<lanes { flat[o * lanes + l] = factors[l][o] } }
    func batchInputs(_ u: [[Double]]?) -> [Double]? {
      guard let u else { return nil }
      var b = [Double](repeating: 0, count: n * lanes)
      for l in 0..<lanes { for i in 0..<n { b[i * lanes + l] = u[l][i] } }
      return b
    }

    // The batch.
    var batch = BatchExactLinearStepper(systems: systems, outputStates: outputStates, outputFactors: flat)
    var x = [Double](repeating: 0, count: n * lanes)
    for l in 0..<lanes { for i in 0..<n { x[i * lanes + l] = start[l][i] } }
    let rowCount = rows(phases)
    var outputs = [Double](repeating: untouched, count: rowCount * outputCount * stride)
    outputs.withUnsafeMutableBufferPointer { out in
      var row = 0
      for phase in phases {
        switch phase {
        case .to(let t, let u):
          batch.advance(&x, to: t, inputs: batchInputs(u))
          batch.write(x, row: row, into: out.baseAddress!, stride: stride)
          row += 1
        case .through(let range, let offset, let u):
          batch.advance(
            &x, through: targets, range: range, offset: offset, inputs: batchInputs(u),
            outputs: out.baseAddress!, stride: stride, firstRow: row, runs: runs)
          row += range.count
        case .add(let state, let amounts):
          for l in 0..<lanes { x[state * lanes + l] += amounts[l] }
        case .setTime(let t):
          batch.setTime(t)
        }
      }
    }

    // Each lane alone.
    for l in 0..<lanes {
      var single = ExactLinearStepper(system: systems[l])
      var y = start[l]
      var expected = [Double](repeating: untouched, count: rowCount * outputCount)
      var row = 0
      var threw = false
      func record(_ state: [Double], _ r: Int) {
        for (o, c) in outputStates.enumerated() { expected[r * outputCount + o] = state[c] * factors[l][o] }
      }
      do {
        for phase in phases {
          switch phase {
          case .to(let t, let u):
            try single.advance(&y, to: t, input: u?[l])
            record(y, row)
            row += 1
          case .through(let range, let offset, let u):
            var states = [Double](repeating: .nan, count: range.count * n)
            try single.advance(
              &y, through: targets, range: range, offset: offset, input: u?[l], states: &states,
              statesStart: 0,
              runs: singleRuns)
            for q in 0..<range.count {
              for (o, c) in outputStates.enumerated() {
                expected[(row + q) * outputCount + o] = states[q * n + c] * factors[l][o]
              }
            }
            row += range.count
          case .add(let state, let amounts):
            y[state] += amounts[l]
          case .setTime(let t):
            single.setTime(t)
          }
        }
      } catch {
        threw = true
      }
      #expect(
        batch.failed[l] == threw, "\(label): lane \(l) failed \(batch.failed[l]), alone it threw: \(threw)")
      if threw { continue }
      var mismatches = 0
      for r in 0..<rowCount {
        for o in 0..<outputCount {
          let got = outputs[(r * outputCount + o) * stride + l]
          let want = expected[r * outputCount + o]
          if got.bitPattern != want.bitPattern {
            if mismatches < 5 {
              Issue.record("\(label): lane \(l), row \(r), output \(o): \(got) against \(want)")
            }
            mismatches += 1
          }
        }
      }
      #expect(mismatches == 0, "\(label): lane \(l), \(mismatches) outputs differ")
      for i in 0..<n {
        #expect(x[i * lanes + l].bitPattern == y[i].bitPattern, "\(label): lane \(l), final state \(i)")
      }
      #expect(batch.time.bitPattern == single.time.bitPattern, "\(label): lane \(l), clock")
    }
    // The places beyond the lanes in each output row stay as they were.
    var touched = 0
    for r in 0..<(rowCount * outputCount) {
      for l in lanes..<stride where outputs[r * stride + l].bitPattern != untouched.bitPattern {
        touched += 1
      }
    }
    #expect(touched == 0, "\(label): \(touched) places beyond the lanes were written")
    return batch
  }

  /// The 1-min grid 0 … 600 min (h), then an irregular tail.
  static let grid: [Double] = {
    let regular: [Double] = (0...600).map { (k: Int) -> Double in Double(k) / 60 }
    let tail: [Double] = [10.25, 10.5, 10.5 + 1.0 / 60, 10.5 + 2.0 / 60, 11.9, 12, 12.75]
    return regular + tail
  }()

  /// Per-lane constant inputs into state 0 (an infusion), a different rate per lane.
  static func infusion(lanes: Int, dimension n: Int, base: Double) -> [[Double]] {
    (0..<lanes).map { (l: Int) -> [Double] in
      let rate: Double = base * (1 + 0.29 * Double(l))
      return (0..<n).map { (i: Int) -> Double in i == 0 ? rate : 0 }
    }
  }

  /// A script of the kind the record engine runs: outputs before a dose, a bolus, a grid run
  /// without and with an infusion (entered off the grid, so its first step is irregular), a tail
  /// of irregular targets, single steps with other rates.
  static func script(lanes: Int, dimension n: Int) -> [Phase] {
    let u1 = infusion(lanes: lanes, dimension: n, base: 40)
    let u2 = infusion(lanes: lanes, dimension: n, base: 7)
    let bolus = (0..<lanes).map { (l: Int) -> Double in 100 + 13 * Double(l) }
    return [
      .through(0..<10, offset: 0, inputs: nil),
      .add(state: 0, amounts: bolus),
      .through(10..<100, offset: 0, inputs: nil),
      .to(100.0 / 60 + 0.0123, inputs: u1),
      .through(101..<400, offset: 0, inputs: u1),
      .through(400..<grid.count, offset: 0, inputs: nil),
      .to(13.1, inputs: u2),
      .to(13.1 + 1e-17, inputs: u2),  // within rounding of the clock: no step
      .to(13.35, inputs: u2),
      .to(13.6, inputs: u1),
      .to(15, inputs: nil),
    ]
  }

  /// A state per lane: a little in each compartment.
  static func start(lanes: Int, dimension n: Int) -> [[Double]] {
    (0..<lanes).map { (l: Int) -> [Double] in
      (0..<n).map { (i: Int) -> Double in i == n - 1 ? 0 : 3 + Double(l) + Double(i) * 0.5 }
    }
  }

  /// Per lane and output a factor such as 1/V.
  static func factors(lanes: Int, outputs: Int) -> [[Double]] {
    (0..<lanes).map { (l: Int) -> [Double] in
      (0..<outputs).map { (o: Int) -> Double in
        let v: Double = 17.3 + 2.9 * Double(l) + 5.1 * Double(o)
        return 1 / v
      }
    }
  }

  static func usesIncrement(_ system: LinearSystem, step: Double) throws -> Bool {
    try Propagator(system: system, step: step).usesIncrement
  }

  /// Eight mammillary lanes, some in the increment form and some direct for the 1-min step, all
  /// direct, all in the increment form; without a run cache, with one shared by the batch and
  /// the lanes (walked by the first script, found by the second), and with stride L + 3.
  @Test(arguments: ["mixed", "direct", "increment"])
  func mammillaryLanesMatchSingleSteppers(form: String) throws {
    let systems: [LinearSystem] = (0..<8).map { l in
      switch form {
      case "mixed": return l % 3 == 1 ? Self.fast(l) : Self.slow(l)
      case "direct": return Self.fast(l)
      default: return Self.slow(l)
      }
    }
    let forms = try systems.map { try Self.usesIncrement($0, step: Self.minute) }
    switch form {
    case "mixed": #expect(forms.contains(true) && forms.contains(false), "the set-up mixes the forms")
    case "direct": #expect(!forms.contains(true), "the set-up is direct")
    default: #expect(!forms.contains(false), "the set-up is in the increment form")
    }
    let phases = Self.script(lanes: 8, dimension: 4)
    let start = Self.start(lanes: 8, dimension: 4)
    // One output without a run cache; three with a cache shared by the batch and the lanes
    // (room for every run of the script: a replay of more runs than an LRU cache holds finds
    // none of them), then again with the runs remembered.
    Self.expectLanesMatchSingleSteppers(
      systems, start: start, outputStates: [0], factors: Self.factors(lanes: 8, outputs: 1),
      targets: Self.grid,
      phases: phases, stride: 8, runs: nil, singleRuns: nil, "\(form), central, no run cache")
    let factors = Self.factors(lanes: 8, outputs: 3)
    let shared = RegularRunCache(capacity: 64)
    Self.expectLanesMatchSingleSteppers(
      systems, start: start, outputStates: [0, 1, 3], factors: factors, targets: Self.grid, phases: phases,
      stride: 11, runs: shared, singleRuns: shared, "\(form), three outputs, shared run cache")
    let hits = shared.hits
    #expect(hits > 0)
    Self.expectLanesMatchSingleSteppers(
      systems, start: start, outputStates: [0, 1, 3], factors: factors, targets: Self.grid, phases: phases,
      stride: 13, runs: shared, singleRuns: nil, "\(form), three outputs, remembered runs")
    #expect(shared.hits > hits)
  }

  /// The forms by the numbers: in the increment form the last column of Φ − I is zero, in the
  /// direct form the last column of Φ is e₃, so the kernel's path that leaves the last state's
  /// terms out is the one the mixed batch above takes (a check of the set-up, not of the code).
  @Test func mammillaryPropagatorsHaveAnAbsorbingLastColumn() throws {
    for system in [Self.slow(2), Self.fast(1)] {
      let p = try Propagator(system: system, step: Self.minute)
      let a = p.usesIncrement ? p.transitionMinusIdentity : p.transition
      for i in 0..<4 { #expect(a[i, 3] == (p.usesIncrement || i < 3 ? 0 : 1), "row \(i)") }
    }
  }

  /// A grid offset from its targets (`offset` ≠ 0), starting from a clock set by `setTime`.
  @Test func offsetGridAndSetTime() {
    let systems = (0..<4).map { l in l == 2 ? Self.fast(l) : Self.slow(l) }
    let targets = (0...120).map { Double($0) / 60 }
    let u = Self.infusion(lanes: 4, dimension: 4, base: 12)
    let phases: [Phase] = [
      .setTime(2),
      .add(state: 0, amounts: [50, 60, 70, 80]),
      .through(0..<60, offset: 2, inputs: u),
      .to(3.5, inputs: nil),
      .through(60..<121, offset: 2.5, inputs: nil),
    ]
    for runs in [nil, RegularRunCache()] {
      Self.expectLanesMatchSingleSteppers(
        systems, start: Self.start(lanes: 4, dimension: 4), outputStates: [0, 2],
        factors: Self.factors(lanes: 4, outputs: 2), targets: targets, phases: phases, stride: 6, runs: runs,
        singleRuns: runs, "offset, runs \(runs != nil)")
    }
  }

  /// A three-state system whose last state flows back into the first (its column of A is not
  /// zero): the kernel sums every column, mixed and uniform forms.
  @Test(arguments: [false, true])
  func lastStateFeedingBackMatchesSingleSteppers(mixed: Bool) throws {
    let systems: [LinearSystem] = (0..<8).map { l in
      let x = Double(l)
      let scale = mixed && l % 2 == 0 ? 25.0 : 1.0
      let k01 = (0.7 + 0.1 * x) * scale
      let k12 = (1.1 + 0.05 * x) * scale
      let k20 = (0.4 + 0.03 * x) * scale  // the last state back into the first
      let k2 = 0.2 + 0.01 * x  // out of the last state, lost
      return LinearSystem(
        matrix: Matrix([
          [-k01, 0, k20],
          [k01, -k12, 0],
          [0, k12, -(k20 + k2)],
        ]))
    }
    let forms = try systems.map { try Self.usesIncrement($0, step: Self.minute) }
    #expect(forms.contains(false) == mixed && forms.contains(true))
    Self.expectLanesMatchSingleSteppers(
      systems, start: Self.start(lanes: 8, dimension: 3), outputStates: [2, 0],
      factors: Self.factors(lanes: 8, outputs: 2), targets: Self.grid,
      phases: Self.script(lanes: 8, dimension: 3),
      stride: 9, runs: RegularRunCache(), singleRuns: nil, "feedback, mixed \(mixed)")
  }

  /// A random compartmental system of n states: transfers between states at random rates, an
  /// elimination out of each, rates up to `scale` per hour; with `absorbing`, the last state
  /// collects the eliminations and never feeds back.
  static func randomSystem(_ n: Int, scale: Double, absorbing: Bool, _ g: inout SeededGenerator)
    -> LinearSystem
  {
    func uniform() -> Double { Double(g.next() >> 11) * 0x1p-53 }
    var a = Matrix(rows: n, columns: n)
    let compartments = absorbing && n > 1 ? n - 1 : n
    for j in 0..<compartments {
      for i in 0..<compartments where i != j && uniform() < 0.7 {
        let k = scale * uniform()
        a[i, j] += k
        a[j, j] -= k
      }
      let elimination = scale * (0.05 + uniform())
      a[j, j] -= elimination
      if compartments < n { a[n - 1, j] += elimination }
    }
    return LinearSystem(matrix: a)
  }

  /// Dimensions 1 … 6, random systems per lane (slow, fast or both), with and without an
  /// absorbing last state, 4 and 8 lanes.
  @Test(arguments: 1...6)
  func randomSystemsOfEveryDimension(n: Int) {
    var g = SeededGenerator(seed: 2026 + UInt64(n))
    let slow: (Int) -> Double = { _ in 2 }
    let fast: (Int) -> Double = { _ in 90 }
    let mixed: (Int) -> Double = { l in l % 2 == 0 ? 2 : 90 }
    let cases: [(lanes: Int, absorbing: Bool, scaleOf: (Int) -> Double, label: String)] = [
      (4, true, slow, "slow"), (4, false, fast, "fast"), (8, true, mixed, "mixed"),
      (8, false, mixed, "mixed"),
    ]
    for c in cases where !(c.absorbing && n == 1) {
      let systems = (0..<c.lanes).map { l in
        Self.randomSystem(n, scale: c.scaleOf(l), absorbing: c.absorbing, &g)
      }
      let outputStates = n == 1 ? [0] : [0, n - 1]
      Self.expectLanesMatchSingleSteppers(
        systems, start: Self.start(lanes: c.lanes, dimension: n), outputStates: outputStates,
        factors: Self.factors(lanes: c.lanes, outputs: outputStates.count), targets: Self.grid,
        phases: Self.script(lanes: c.lanes, dimension: n), stride: c.lanes + 1, runs: RegularRunCache(),
        singleRuns: nil, "n \(n), \(c.lanes) lanes, absorbing \(c.absorbing), \(c.label)")
    }
  }

  /// More step lengths than the cache holds (64): the oldest are replaced and computed again, in
  /// the order of `PropagatorCache`, so every lane still takes its own stepper's propagators.
  @Test func propagatorCacheReplacement() {
    var targets: [Double] = []
    var t = 0.0
    for k in 0..<200 {
      t += 0.01 * (1 + Double((k * 7) % 71) * 0.037)
      targets.append(t)
    }
    let systems = (0..<8).map { l in l % 4 == 3 ? Self.fast(l) : Self.slow(l) }
    let u = Self.infusion(lanes: 8, dimension: 4, base: 5)
    let phases: [Phase] = [
      .add(state: 0, amounts: (0..<8).map { 10 + Double($0) }),
      .through(0..<120, offset: 0, inputs: u),
      .through(120..<200, offset: 0, inputs: nil),
    ]
    Self.expectLanesMatchSingleSteppers(
      systems, start: Self.start(lanes: 8, dimension: 4), outputStates: [0],
      factors: Self.factors(lanes: 8, outputs: 1), targets: targets, phases: phases, stride: 8, runs: nil,
      singleRuns: nil, "cache replacement")
  }

  /// A lane whose system has a NaN or an infinity: its propagator cannot be computed
  /// (`LinearAlgebraError.nonFinite`), it is marked failed, and the other lanes (in its group of
  /// four and beyond) keep their bits, in the mixed and the increment form.
  @Test(arguments: [Double.nan, .infinity])
  func laneWithoutAPropagatorFailsAlone(bad: Double) {
    for mixed in [false, true] {
      var systems = (0..<8).map { l in mixed && l % 3 == 0 ? Self.fast(l) : Self.slow(l) }
      var a = systems[2].matrix
      a[1, 0] = bad
      systems[2] = LinearSystem(matrix: a)
      let batch = Self.expectLanesMatchSingleSteppers(
        systems, start: Self.start(lanes: 8, dimension: 4), outputStates: [0, 3],
        factors: Self.factors(lanes: 8, outputs: 2), targets: Self.grid,
        phases: Self.script(lanes: 8, dimension: 4),
        stride: 10, runs: RegularRunCache(), singleRuns: nil, "\(bad) in lane 2, mixed \(mixed)")
      #expect(batch.failed == [false, false, true, false, false, false, false, false])
    }
  }

  /// A grid run whose first target lies within rounding of the clock (no step is taken) with an
  /// input other than the last step's must still use its own input for the run that follows:
  /// the same states as one `advance(_:to:)` per target. Both steppers failed this before the
  /// eleventh session: the first `advance(to:)` returns before computing Γ·u, `gainValid` was
  /// still true for the previous input (same step length), and the regular run applied that
  /// stale gain.
  @Test func gridRunAfterANoStepTargetUsesItsOwnInput() throws {
    let system = LinearSystem(matrix: Matrix([[-0.5]]))
    let old: [Double] = [1]
    let new: [Double] = [100]
    var targets = [(1.0).nextUp]  // within 16 ulps of the clock at 1 h: no step
    for k in 1...60 { targets.append(1 + Double(k) / 60) }
    // Single stepper: 1-min steps with the old input up to 1 h, then the grid with the new one.
    var single = ExactLinearStepper(system: system)
    var x = [10.0]
    for k in 1...60 { try single.advance(&x, to: Double(k) / 60, input: old) }
    var reference = single
    var y = x
    var expected: [Double] = []
    for t in targets {
      try reference.advance(&y, to: t, input: new)
      expected.append(y[0])
    }
    var states = [Double](repeating: .nan, count: targets.count)
    try single.advance(
      &x, through: targets, range: 0..<targets.count, offset: 0, input: new, states: &states, statesStart: 0)
    #expect(
      relativeError(states.last!, expected.last!) < 1e-12,
      "ExactLinearStepper: \(states.last!) against \(expected.last!) one target at a time")
    // The batch: four copies of the system.
    var batch = BatchExactLinearStepper(
      systems: [LinearSystem](repeating: system, count: 4), outputStates: [0], outputFactors: [1, 1, 1, 1])
    var xs = [Double](repeating: 10, count: 4)
    for k in 1...60 { batch.advance(&xs, to: Double(k) / 60, inputs: [1, 1, 1, 1]) }
    var outputs = [Double](repeating: .nan, count: targets.count * 4)
    outputs.withUnsafeMutableBufferPointer { out in
      batch.advance(
        &xs, through: targets, range: 0..<targets.count, offset: 0, inputs: [100, 100, 100, 100],
        outputs: out.baseAddress!, stride: 4, firstRow: 0)
    }
    #expect(
      relativeError(outputs[(targets.count - 1) * 4], expected.last!) < 1e-12,
      "batch: \(outputs[(targets.count - 1) * 4]) against \(expected.last!) one target at a time")
  }
}
