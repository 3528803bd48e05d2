import Testing

@testable import PKSolver

/// A saturable two-state system with a per-subject rate k: y₀' = −k·y₀/(1 + y₀),
/// y₁' = k·y₀/(1 + y₀) − 0.3·y₁.
final class SaturableODE: ODEFunction {
  let k: Double
  init(k: Double) { self.k = k }
  var dimension: Int { 2 }
  func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>) {
    let r = k * y[0] / (1 + y[0])
    dy[0] = -r
    dy[1] = r - 0.3 * y[1]
  }
}

/// The same systems as a batch, column for column with the same operations; `chained` adds
/// two more compartments, y₂' = 0.3·y₁ − 0.1·y₂ and y₃' = 0.1·y₂ (four states, for subsets of
/// reported states that are not neighbours).
final class SaturableBatch: BatchODEFunction {
  var k: [Double]
  let chained: Bool
  init(k: [Double], chained: Bool = false) {
    self.k = k
    self.chained = chained
  }
  var dimension: Int { chained ? 4 : 2 }
  var batchSize: Int { k.count }
  func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>) {
    let s = k.count
    for j in 0..<s {
      let r = k[j] * y[j] / (1 + y[j])
      dy[j] = -r
      dy[s + j] = r - 0.3 * y[s + j]
      if chained {
        dy[2 * s + j] = 0.3 * y[s + j] - 0.1 * y[2 * s + j]
        dy[3 * s + j] = 0.1 * y[2 * s + j]
      }
    }
  }
  func swapLanes(_ a: Int, _ b: Int) { k.swapAt(a, b) }
}

/// The batch integrator: every subject's results equal its single run bit for bit, in any batch
/// size and position.
@Suite struct BatchDormandPrince54Tests {
  static let rates: [Double] = [0.5, 2, 7.5, 0.05, 1.3, 3.3, 0.9, 12]
  static let tolerance = Tolerance(relative: 1e-9, absolute: 1e-12)
  static let outputs = (1...96).map { Double($0) * 0.25 }

  static func single(_ k: Double, y0: Double, outputs: [Double] = outputs) throws -> [Double] {
    let split = outputs.firstIndex { $0 > 3 }!
    var stepper = AdaptiveStepper(
      function: SaturableODE(k: k), method: .dormandPrince54, tolerance: tolerance)
    var y = [y0, 0]
    var states = [Double](repeating: 0, count: 2 * outputs.count)
    try stepper.advance(&y, through: outputs, range: 0..<split, offset: 0, states: &states, statesStart: 0)
    // A dose at 3 h: the state jumps, the stepper restarts, and the run goes on.
    y[0] += 5
    stepper.restart()
    try stepper.advance(
      &y, through: outputs, range: split..<outputs.count, offset: 0, states: &states, statesStart: 2 * split)
    return states
  }

  static func batch(
    _ ks: [Double], y0: [Double], outputs: [Double] = outputs, failing: Set<Int> = []
  ) -> [[Double]] {
    let split = outputs.firstIndex { $0 > 3 }!
    let s = ks.count
    var stepper = BatchDormandPrince54(
      function: SaturableBatch(k: ks), tolerances: [Tolerance](repeating: tolerance, count: s))
    var y = [Double](repeating: 0, count: 2 * s)
    for j in 0..<s { y[j] = y0[j] }
    let stride = 2 * outputs.count
    var states = [Double](repeating: 0, count: stride * s)
    stepper.advance(
      &y, through: outputs, range: 0..<split, offset: 0, to: 3, states: &states, subjectStride: stride,
      statesStart: 0)
    for j in 0..<s { y[j] += 5 }
    stepper.restart(at: 3)
    stepper.advance(
      &y, through: outputs, range: split..<outputs.count, offset: 0, to: 24, states: &states,
      subjectStride: stride,
      statesStart: 2 * split)
    #expect(Set(stepper.failures.keys) == failing && stepper.stiffSubjects.isEmpty)
    return (0..<s).map { Array(states[($0 * stride)..<(($0 + 1) * stride)]) }
  }

  @Test(arguments: [1, 3, 8])
  func batchEqualsSingleRunsBitForBit(size: Int) throws {
    let ks = Array(Self.rates.prefix(size))
    let y0 = ks.indices.map { 10.0 + Double($0) }
    let batched = Self.batch(ks, y0: y0)
    for (j, k) in ks.enumerated() {
      let alone = try Self.single(k, y0: y0[j])
      #expect(batched[j] == alone, "subject \(j) (k = \(k)) differs from its single run")
    }
  }

  /// Reporting some states only (`reported`) writes, for each output, exactly the doubles those
  /// states have when every state is written: single states, neighbours and states apart, an
  /// odd and an even number of them, with one or many outputs per step.
  @Test(arguments: [[1], [0, 2], [1, 3], [0, 1, 3], [0, 1, 2, 3]])
  func reportedStatesAreTheSameDoubles(reported: [Int]) {
    let ks = Array(Self.rates.prefix(5))
    for outputs in [Self.outputs, (1...2400).map { Double($0) * 0.01 }] {
      func run(_ shown: [Int]?) -> [[Double]] {
        let s = ks.count
        var stepper = BatchDormandPrince54(
          function: SaturableBatch(k: ks, chained: true),
          tolerances: [Tolerance](repeating: Self.tolerance, count: s))
        if let shown { stepper.reported = shown }
        let width = shown?.count ?? 4
        var y = [Double](repeating: 0, count: 4 * s)
        for j in 0..<s { y[j] = 10 + Double(j) }
        let stride = width * outputs.count
        var states = [Double](repeating: .nan, count: stride * s)
        stepper.advance(
          &y, through: outputs, range: 0..<outputs.count, offset: 0, to: 24, states: &states,
          subjectStride: stride, statesStart: 0)
        return (0..<s).map { Array(states[($0 * stride)..<(($0 + 1) * stride)]) }
      }
      let all = run(nil)
      let some = run(reported)
      for j in ks.indices {
        let expected = (0..<outputs.count).flatMap { t in reported.map { all[j][t * 4 + $0] } }
        #expect(
          some[j].map(\.bitPattern) == expected.map(\.bitPattern), "subject \(j), \(outputs.count) outputs")
      }
    }
  }

  /// A fine output grid (many outputs per step: the batch writes them eight at a time, two per
  /// SIMD operation, odd counts included) gives the single runs' bits too.
  @Test func manyOutputsPerStepBitForBit() throws {
    let fine = (1...2400).map { Double($0) * 0.01 }
    let ks = Array(Self.rates.prefix(5))
    let y0 = ks.indices.map { 10.0 + Double($0) }
    let batched = Self.batch(ks, y0: y0, outputs: fine)
    for (j, k) in ks.enumerated() {
      #expect(batched[j] == (try Self.single(k, y0: y0[j], outputs: fine)), "subject \(j)")
    }
  }

  /// A subject that fails (its rate is NaN) stops where it fails and is reported under its own
  /// index; the others, which run on while it waits behind them, keep their single runs' bits.
  @Test func aFailingSubjectLeavesTheOthersAlone() throws {
    let ks = [0.5, .nan, 7.5, 2, 0.05, 12]
    let y0 = ks.indices.map { 10.0 + Double($0) }
    let batched = Self.batch(ks, y0: y0, failing: [1])
    for (j, k) in ks.enumerated() where j != 1 {
      #expect(batched[j] == (try Self.single(k, y0: y0[j])), "subject \(j)")
    }
  }

  /// The same subject in different batches and positions gives the same bits.
  @Test func positionInTheBatchDoesNotMatter() {
    let a = Self.batch([2, 0.5, 7.5], y0: [11, 10, 12])
    let b = Self.batch([7.5, 0.05, 3.3, 0.5, 2], y0: [12, 1, 1, 10, 11])
    #expect(a[0] == b[4] && a[1] == b[3] && a[2] == b[0])
  }
}
