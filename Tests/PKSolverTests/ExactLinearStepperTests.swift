import PKLinearAlgebra
import Testing
import _PKTestSupport

@testable import PKSolver

/// `ExactLinearStepper`'s loop over a regular output grid (the fixed-size kernels for one to six
/// compartments and the general loop above) gives the same doubles as one `advance(to:)` per
/// output (to rounding above six, where a single step goes through BLAS), and its cheaper ulp
/// is `ulp`.
@Suite struct ExactLinearStepperTests {
  /// A mammillary-like system of n compartments: central elimination 0.3/h, exchange with the
  /// others at 0.2 … 1.4 /h each way (per unit amount), a random but fixed pattern.
  static func system(_ n: Int) -> LinearSystem {
    var a = Matrix(rows: n, columns: n)
    a[0, 0] = -0.3
    for j in 1..<n {
      let out = 0.2 + 0.3 * Double(j % 5)
      let back = 0.1 + 0.2 * Double((j * 3) % 4)
      a[j, 0] += out
      a[0, 0] -= out
      a[0, j] += back
      a[j, j] -= back
    }
    return LinearSystem(matrix: a)
  }

  /// The states of `sys` from `start` through `targets` by the grid loop and by one
  /// `advance(to:)` per output, expected to be the same doubles (to 1e-13 relative above the
  /// small-kernel limit, where a single step goes through BLAS, which sums in another order).
  static func expectLoopEqualsOneAdvancePerOutput(
    _ sys: LinearSystem, targets: [Double], input: [Double]?, start: [Double], _ label: String
  ) throws {
    let n = sys.dimension
    var loop = ExactLinearStepper(system: sys)
    var x = start
    var states = [Double](repeating: .nan, count: targets.count * n)
    try loop.advance(
      &x, through: targets, range: 0..<targets.count, offset: 0, input: input, states: &states, statesStart: 0
    )
    var single = ExactLinearStepper(system: sys)
    var y = start
    for (k, t) in targets.enumerated() {
      try single.advance(&y, to: t, input: input)
      for i in 0..<n {
        if n <= Matrix.smallKernelLimit {
          #expect(states[k * n + i].bitPattern == y[i].bitPattern, "\(label), output \(k), state \(i)")
        } else {
          #expect(relativeError(states[k * n + i], y[i]) <= 1e-13, "\(label), output \(k), state \(i)")
        }
      }
    }
    if n <= Matrix.smallKernelLimit { #expect(x == y, "\(label)") }
    #expect(loop.time == single.time, "\(label)")
  }

  /// For n = 1 … 8, short steps (increment form) and long steps (Φ applied directly), with and
  /// without an input, and a grid with one irregular step in it: every state is the same double.
  @Test(arguments: 1...8)
  func gridLoopEqualsOneAdvancePerOutput(n: Int) throws {
    let sys = Self.system(n)
    for step in [1.0 / 60, 40.0] {
      var targets = (1...300).map { Double($0) * step }
      targets[150] -= step / 3  // one irregular step, then regular again from a shifted clock
      for input in [nil, (0..<n).map { 2.0 + Double($0) }] {
        try Self.expectLoopEqualsOneAdvancePerOutput(
          sys, targets: targets, input: input, start: (0..<n).map { 100.0 / Double($0 + 1) },
          "n \(n), step \(step), input \(input != nil)")
      }
    }
  }

  /// With an absorbing last state (a model's eliminated amount: its column of D = Φ − I is zero),
  /// the regular loop leaves that column's terms out; every state is still the double one step
  /// per output gives (which sums them all), for n = 2 … 6, with and without an input.
  @Test(arguments: 2...6)
  func absorbingLastStateGivesTheSameDoubles(n: Int) throws {
    let inner = Self.system(n - 1).matrix
    var a = Matrix(rows: n, columns: n)
    for i in 0..<(n - 1) { for j in 0..<(n - 1) { a[i, j] = inner[i, j] } }
    // The central compartment's elimination (0.3/h) goes into the absorbing state.
    a[n - 1, 0] = 0.3
    let targets = (1...300).map { Double($0) / 60 }
    for input in [nil, (0..<n).map { $0 == n - 1 ? 0 : 2.0 + Double($0) }] {
      try Self.expectLoopEqualsOneAdvancePerOutput(
        LinearSystem(matrix: a), targets: targets, input: input,
        start: (0..<n).map { $0 == n - 1 ? 0 : 100.0 / Double($0 + 1) }, "n \(n), input \(input != nil)")
    }
  }

  @Test func ulpFromTheExponentBitsIsUlp() {
    var g = SeededGenerator(seed: 11)
    var values: [Double] = [
      0, .leastNonzeroMagnitude, .leastNormalMagnitude, 0x1p-960, 0x1p-960.nextDown, 1, 1.5,
      .greatestFiniteMagnitude, .infinity, 24, 1.0 / 60,
    ]
    for _ in 0..<10_000 {
      values.append(
        Double(
          sign: .plus, exponent: Int(g.next() % 2098) - 1074,
          significand: 1 + Double(g.next() >> 12) * 0x1p-52))
    }
    for m in values {
      #expect(ExactLinearStepper._ulp(m).bitPattern == m.ulp.bitPattern, "\(m)")
    }
  }
}
