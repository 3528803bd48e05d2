import PKLinearAlgebra
import RealModule
import Testing
import _PKTestSupport

@testable import PKSolver

/// y' = A·y for a fixed matrix: the exact solution is e^{At}·y0.
final class LinearODE: ODEFunction {
  let a: Matrix
  /// Whether the automatic method may take its Taylor coefficients (false: it runs
  /// Dormand–Prince).
  let givesTaylorCoefficients: Bool
  init(_ a: Matrix, givesTaylorCoefficients: Bool = false) {
    self.a = a
    self.givesTaylorCoefficients = givesTaylorCoefficients
  }
  var dimension: Int { a.rows }
  func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>) {
    let n = a.rows
    for i in 0..<n {
      var s = 0.0
      for j in 0..<n { s += a[i, j] * y[j] }
      dy[i] = s
    }
  }
  func jacobian(
    _ y: [Double], f0: [Double], into jacobian: inout [Double], scratch: inout [Double],
    scratch2: inout [Double]
  ) {
    for k in 0..<(a.rows * a.rows) { jacobian[k] = a.elements[k] }
  }
  /// y_[k+1] = A·y_[k]/(k + 1).
  func taylorCoefficients(_ y: UnsafePointer<Double>, order: Int, into c: UnsafeMutablePointer<Double>)
    -> Bool
  {
    let n = a.rows
    for i in 0..<n { c[i] = y[i] }
    for k in 0..<order {
      evaluate(c + k * n, into: c + (k + 1) * n)
      for i in 0..<n { c[(k + 1) * n + i] /= Double(k + 1) }
    }
    return true
  }
}

/// Robertson's chemical kinetics (stiff): Hairer & Wanner, Solving ODEs II, §IV.1 and §IV.10.
final class Robertson: ODEFunction {
  var dimension: Int { 3 }
  func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>) {
    dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2]
    dy[2] = 3e7 * y[1] * y[1]
    dy[1] = -dy[0] - dy[2]
  }
}

/// The adaptive methods: accuracy against exact solutions, observed convergence order,
/// dense output, stiffness, errors as values.
@Suite struct AdaptiveStepperTests {
  static let a = Matrix([[-1.2, 0.9, 0], [0.7, -0.9, 0.05], [0.5, 0, -0.05]])
  static let y0: [Double] = [10, 0, 0]

  static func exact(_ t: Double) throws -> [Double] {
    var m = a
    for k in m.elements.indices { m.elements[k] *= t }
    let e = try m.exponential()
    var out = [Double](repeating: 0, count: 3)
    for i in 0..<3 { for j in 0..<3 { out[i] += e[i, j] * y0[j] } }
    return out
  }

  @Test(arguments: [AdaptiveMethod.dormandPrince54, .dormandPrince853, .rosenbrock43, .automatic, .taylor])
  func linearSystemAgreesWithTheExponential(method: AdaptiveMethod) throws {
    var stepper = AdaptiveStepper(
      function: LinearODE(Self.a), method: method, tolerance: Tolerance(relative: 1e-10, absolute: 1e-14))
    var y = Self.y0
    let times = (1...48).map { Double($0) * 0.5 }
    var states = [Double](repeating: 0, count: 3 * times.count)
    try stepper.advance(
      &y, through: times, range: 0..<times.count, offset: 0, states: &states, statesStart: 0)
    var worst = 0.0
    for (k, t) in times.enumerated() {
      let e = try Self.exact(t)
      for i in 0..<3 {
        worst = max(worst, abs(states[3 * k + i] - e[i]) / max(abs(e[i]), 1e-6))
      }
    }
    print("linear \(method): worst \(worst), steps \(stepper.acceptedSteps)/\(stepper.rejectedSteps)")
    #expect(worst < 1e-8)
  }
}

/// Observed convergence order with fixed steps, stiffness, and errors as values.
@Suite struct AdaptiveMethodOrderTests {
  /// Global error at t = 2 of y' = A·y with N fixed steps of each method.
  static func globalError(_ method: AdaptiveMethod, steps: Int) throws -> Double {
    let f = LinearODE(AdaptiveStepperTests.a)
    let h = 2.0 / Double(steps)
    let loose = Tolerance(relative: 1, absolute: 1)
    var y = AdaptiveStepperTests.y0
    switch method {
    case .dormandPrince853:
      var m = DormandPrince853(dimension: 3)
      for _ in 0..<steps {
        _ = m.attempt(f, from: y, step: h, tolerance: loose)
        m.accept(f, into: &y, dense: false)
      }
    case .dormandPrince54:
      var m = DormandPrince54(dimension: 3)
      for _ in 0..<steps {
        _ = m.attempt(f, from: y, step: h, tolerance: loose)
        _ = m.accept(into: &y)
      }
    default:
      var m = Rosenbrock43(dimension: 3)
      for _ in 0..<steps {
        _ = try m.attempt(f, from: y, step: h, tolerance: loose)
        m.accept(f, into: &y)
      }
    }
    let e = try AdaptiveStepperTests.exact(2)
    return (0..<3).map { abs(y[$0] - e[$0]) }.max()!
  }

  /// log2(error(h) / error(h/2)) within 0.2 of the theoretical order (5 and 4), at 40 and 80
  /// steps (past the pre-asymptotic range, before rounding). The test system supplies its exact
  /// Jacobian: a Rosenbrock method keeps its order only with it.
  @Test(arguments: [
    (AdaptiveMethod.dormandPrince54, 5.0, 40), (.rosenbrock43, 4.0, 40), (.dormandPrince853, 8.0, 5),
  ])
  func observedOrder(method: AdaptiveMethod, order: Double, steps: Int) throws {
    let coarse = try Self.globalError(method, steps: steps)
    let fine = try Self.globalError(method, steps: 2 * steps)
    let observed = Double.log2(coarse / fine)
    #expect(abs(observed - order) < 0.2, "\(method): observed order \(observed)")
  }

  /// The Taylor series method of order p with N fixed steps: global error O(h^p), so
  /// log2(error(h) / error(h/2)) is within 0.2 of p (orders 4 and 6).
  @Test(arguments: [(4, 20), (6, 20)])
  func observedOrderOfTaylor(order: Int, steps: Int) throws {
    func globalError(_ steps: Int) throws -> Double {
      let f = LinearODE(AdaptiveStepperTests.a)
      let m = TaylorSeries(dimension: 3, order: order)
      var y = AdaptiveStepperTests.y0
      let h = 2.0 / Double(steps)
      for k in 0..<steps {
        _ = try y.withUnsafeBufferPointer { (yp) throws(IntegrationError) -> Double in
          try m.prepare(
            f, from: yp.baseAddress!, tolerance: Tolerance(relative: 1, absolute: 1), time: Double(k) * h
          ).step
        }
        m.accept(step: h, into: &y)
      }
      let e = try AdaptiveStepperTests.exact(2)
      return (0..<3).map { abs(y[$0] - e[$0]) }.max()!
    }
    let observed = Double.log2(try globalError(steps) / globalError(2 * steps))
    #expect(abs(observed - Double(order)) < 0.2, "Taylor order \(order): observed \(observed)")
  }

  /// The Taylor method's dense output is its series: the mid-step error of order p falls by
  /// about 2^(p+1) when the step halves.
  @Test func denseOutputOrderOfTaylor() throws {
    func midError(_ h: Double) throws -> Double {
      let f = LinearODE(AdaptiveStepperTests.a)
      let m = TaylorSeries(dimension: 3, order: 4)
      var y = AdaptiveStepperTests.y0
      _ = try y.withUnsafeBufferPointer { (yp) throws(IntegrationError) -> Double in
        try m.prepare(f, from: yp.baseAddress!, tolerance: Tolerance(relative: 1, absolute: 1), time: 0).step
      }
      m.accept(step: h, into: &y)
      var out = [Double](repeating: 0, count: 3)
      out.withUnsafeMutableBufferPointer {
        m.interpolate(at: SIMD8(h / 2, 0, 0, 0, 0, 0, 0, 0), count: 1, into: $0.baseAddress!)
      }
      let e = try AdaptiveStepperTests.exact(h / 2)
      return (0..<3).map { abs(out[$0] - e[$0]) }.max()!
    }
    let observed = Double.log2(try midError(0.2) / midError(0.1))
    #expect(abs(observed - 5) < 0.3, "Taylor dense output local order \(observed)")
  }

  /// With an `outputProjection`, every method writes rows of the listed states times their
  /// factors (in the list's order, repeats allowed): the same doubles as the whole state's
  /// rows times the factors. The Taylor method evaluates only the listed states.
  @Test(arguments: [AdaptiveMethod.taylor, .dormandPrince54, .dormandPrince853, .rosenbrock43])
  func projectedRowsAreTheWholeRowsTimesTheFactors(method: AdaptiveMethod) throws {
    let tolerance = Tolerance(relative: 1e-8, absolute: 1e-12)
    let targets = (1...40).map { Double($0) * 0.125 }
    let projection = OutputProjection(states: [2, 0, 2], factors: [1000 / 70, 0.5, 1])
    func run(_ projection: OutputProjection?, width: Int) throws -> [Double] {
      var stepper = AdaptiveStepper(
        function: LinearODE(AdaptiveStepperTests.a), method: method, tolerance: tolerance)
      stepper.outputProjection = projection
      var y = AdaptiveStepperTests.y0
      var rows = [Double](repeating: -7, count: width * targets.count)
      try stepper.advance(
        &y, through: targets, range: 0..<targets.count, offset: 0, states: &rows, statesStart: 0)
      return rows
    }
    let all = try run(nil, width: 3)
    let some = try run(projection, width: 3)
    for k in targets.indices {
      for j in 0..<3 {
        let expected = all[3 * k + projection.states[j]] * projection.factors[j]
        #expect(some[3 * k + j] == expected, "t = \(targets[k]) h, column \(j)")
      }
    }
  }

  /// The Taylor order follows the tolerance, ⌈−½·ln rtol⌉ + 1 within 4…24.
  @Test func taylorOrderFollowsTheTolerance() {
    #expect(TaylorSeries.order(for: Tolerance(relative: 1e-8, absolute: 1e-12)) == 11)
    #expect(TaylorSeries.order(for: Tolerance(relative: 1e-2, absolute: 1e-12)) == 4)
    #expect(TaylorSeries.order(for: Tolerance(relative: 1e-14, absolute: 1e-20)) == 18)
    #expect(TaylorSeries.order(for: Tolerance(relative: 1e-30, absolute: 1e-40)) == 24)
  }

  /// A series with a non-finite coefficient stops the integration with `nonFinite`, naming the
  /// state.
  @Test func nonFiniteTaylorCoefficientsAreAnError() {
    final class Pole: ODEFunction {
      var dimension: Int { 2 }
      func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>) {
        dy[0] = -y[0]
        dy[1] = 1 / y[1]
      }
      func taylorCoefficients(_ y: UnsafePointer<Double>, order: Int, into c: UnsafeMutablePointer<Double>)
        -> Bool
      {
        for k in 0...order {
          c[2 * k] = y[0] / Double(k + 1)
          c[2 * k + 1] = k == 0 ? y[1] : 1 / 0.0
        }
        return true
      }
    }
    var stepper = AdaptiveStepper(
      function: Pole(), method: .taylor, tolerance: Tolerance(relative: 1e-8, absolute: 1e-12))
    var y = [1.0, 0.0]
    #expect(throws: IntegrationError.nonFinite(time: 0, component: 1)) { try stepper.advance(&y, to: 1) }
  }

  /// Dense output: Dormand–Prince's continuous extension has order 4, so halving the step
  /// divides the interpolation error at mid-step by about 2⁵ (local error O(h⁵)).
  @Test func denseOutputOrder() throws {
    func midError(_ h: Double) throws -> Double {
      let f = LinearODE(AdaptiveStepperTests.a)
      var m = DormandPrince54(dimension: 3)
      var y = AdaptiveStepperTests.y0
      _ = m.attempt(f, from: y, step: h, tolerance: Tolerance(relative: 1, absolute: 1))
      _ = m.accept(into: &y)
      var out = [Double](repeating: 0, count: 3)
      m.interpolate(0.5, into: &out, start: 0)
      let e = try AdaptiveStepperTests.exact(h / 2)
      return (0..<3).map { abs(out[$0] - e[$0]) }.max()!
    }
    let observed = Double.log2(try midError(0.2) / midError(0.1))
    #expect(abs(observed - 5) < 0.3, "dense output local order \(observed)")
  }

  /// DOP853's continuous extension has order 7: the mid-step error falls by about 2⁸.
  @Test func denseOutputOrderOfDOP853() throws {
    func midError(_ h: Double) throws -> Double {
      let f = LinearODE(AdaptiveStepperTests.a)
      var m = DormandPrince853(dimension: 3)
      var y = AdaptiveStepperTests.y0
      _ = m.attempt(f, from: y, step: h, tolerance: Tolerance(relative: 1, absolute: 1))
      m.accept(f, into: &y, dense: true)
      var out = [Double](repeating: 0, count: 3)
      m.interpolate(0.5, into: &out, start: 0)
      let e = try AdaptiveStepperTests.exact(h / 2)
      return (0..<3).map { abs(out[$0] - e[$0]) }.max()!
    }
    let observed = Double.log2(try midError(0.8) / midError(0.4))
    #expect(abs(observed - 8) < 0.4, "DOP853 dense output local order \(observed)")
  }

  /// Robertson's problem to t = 40 (reference: scipy Radau at rtol 1e-12, which agrees with
  /// Hairer & Wanner's published values to 1e-13): the automatic method detects stiffness and
  /// switches to Rosenbrock; the explicit method alone runs into its step limit.
  @Test func robertson() throws {
    var auto = AdaptiveStepper(
      function: Robertson(), method: .automatic, tolerance: Tolerance(relative: 1e-8, absolute: 1e-14))
    var y: [Double] = [1, 0, 0]
    try auto.advance(&y, to: 40)
    let reference = [0.7158270687194137, 9.185534764558203e-06, 0.2841637457458199]
    expectClose(y, reference, relativeTolerance: 1e-6, "Robertson at t = 40")
    #expect(auto.isStiff)
    var explicit = AdaptiveStepper(
      function: Robertson(), method: .dormandPrince54, tolerance: Tolerance(relative: 1e-8, absolute: 1e-14))
    explicit.stepLimit = 20_000
    var z: [Double] = [1, 0, 0]
    #expect(throws: IntegrationError.self) { try explicit.advance(&z, to: 40) }
  }

  /// The automatic method on a function that gives Taylor coefficients runs the Taylor method:
  /// the same doubles as `.taylor` while the system is not stiff. On a stiff one (a mode of rate
  /// 1e4/h beside one of 0.1/h, to 24 h) its stiffness test switches to Rosenbrock, and the run
  /// ends within 1e-7 of the exact solution, where the Taylor method alone would need about
  /// 24 h/(5.451/1e4 h) ≈ 44,000 steps at the edge of its stability and stops at 20,000.
  @Test func automaticTaylorSwitchesWhenStiff() throws {
    let outputs = (1...48).map { Double($0) * 0.5 }
    func run(_ f: LinearODE, _ y0: [Double], _ method: AdaptiveMethod, limit: Int = 500_000) throws -> (
      states: [Double], stiff: Bool
    ) {
      var stepper = AdaptiveStepper(
        function: f, method: method, tolerance: Tolerance(relative: 1e-8, absolute: 1e-12))
      stepper.stepLimit = limit
      var y = y0
      var states = [Double](repeating: .nan, count: f.dimension * outputs.count)
      try stepper.advance(
        &y, through: outputs, range: 0..<outputs.count, offset: 0, states: &states, statesStart: 0)
      return (states, stepper.isStiff)
    }
    let mild = LinearODE(AdaptiveStepperTests.a, givesTaylorCoefficients: true)
    let auto = try run(mild, AdaptiveStepperTests.y0, .automatic)
    #expect(!auto.stiff)
    #expect(
      auto.states.map(\.bitPattern)
        == (try run(mild, AdaptiveStepperTests.y0, .taylor)).states.map(\.bitPattern))
    let stiff = LinearODE(Matrix([[-1e4, 0], [1e4, -0.1]]), givesTaylorCoefficients: true)
    let switched = try run(stiff, [10, 0], .automatic)
    #expect(switched.stiff)
    for (k, t) in outputs.enumerated() {
      let second = 10 * 1e4 / (1e4 - 0.1) * (Double.exp(-0.1 * t) - Double.exp(-1e4 * t))
      #expect(abs(switched.states[2 * k]) <= 1e-9, "fast state at t = \(t)")
      expectClose(switched.states[2 * k + 1], second, relativeTolerance: 1e-7, "slow state at t = \(t)")
    }
    #expect(throws: IntegrationError.self) { try run(stiff, [10, 0], .taylor, limit: 20_000) }
  }

  /// A right-hand side that becomes NaN is an error naming the time, not a NaN result.
  @Test func nonFiniteIsAnError() {
    final class Blowup: ODEFunction {
      var dimension: Int { 1 }
      func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>) {
        dy[0] = y[0] > 2 ? .nan : y[0]
      }
    }
    var s = AdaptiveStepper(
      function: Blowup(), method: .dormandPrince54, tolerance: Tolerance(relative: 1e-8, absolute: 1e-12))
    var y: [Double] = [1]
    #expect {
      try s.advance(&y, to: 5)
    } throws: { error in
      guard case .nonFinite(let t, _) = error as! IntegrationError else { return false }
      return t > 0.6 && t < 0.7  // e^t = 2 at t = ln 2
    }
  }
}
