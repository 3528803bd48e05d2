/// The explicit Runge–Kutta pair of Dormand and Prince, order 5 with an embedded order-4 error
/// estimate, FSAL, and Shampine's continuous extension of order 4 for dense output.
///
/// ```
/// k_i = f(y + h Σ_j a_ij k_j),  y₁ = y + h Σ b_i k_i  (b = a_7·, FSAL: k₇ = f(y₁) is the next k₁)
/// err = h Σ (b_i − b̂_i) k_i
/// y(t + θh) = y + θ(r₂ + (1 − θ)(r₃ + θ(r₄ + (1 − θ) r₅)))       (dense output)
/// ```
/// Dormand JR, Prince PJ, J Comput Appl Math 1980;6(1):19-26; dense output coefficients of
/// Shampine LF, Math Comp 1986;46:135-150, in the form of Hairer, Nørsett & Wanner, Solving
/// ODEs I, 2nd ed. (1993), §II.6. Stiffness test: ibid. §IV.2 (hλ estimate, 3.25).
public struct DormandPrince54 {
  // The tableau.
  @usableFromInline
  static let a21 = 1.0 / 5
  @usableFromInline
  static let a31 = 3.0 / 40, a32 = 9.0 / 40
  @usableFromInline
  static let a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9
  @usableFromInline
  static let a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729
  @usableFromInline
  static let a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176
  @usableFromInline
  static let a65 = -5103.0 / 18656
  @usableFromInline
  static let b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84
  @usableFromInline
  static let e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200
  @usableFromInline
  static let e6 = 22.0 / 525, e7 = -1.0 / 40
  @usableFromInline
  static let d1 = -12715105075.0 / 11_282_082_432, d3 = 87487479700.0 / 32_700_410_799
  @usableFromInline
  static let d4 = -10690763975.0 / 1_880_347_072, d5 = 701980252875.0 / 199_316_789_632
  @usableFromInline
  static let d6 = -1453857185.0 / 822_651_844, d7 = 69997945.0 / 29_380_423

  /// The order of the solution (5) and of the error estimate's exponent q (5).
  public static let order = 5

  /// The cache: stages, the step's start and end, the stage argument, the error and the
  /// dense-output coefficients, 16 vectors of n in one `_VectorBlock` (shared by copies: use one
  /// method per integrator).
  @usableFromInline
  let cache: _VectorBlock
  @usableFromInline
  let n: Int
  // k1 and k7 swap at each accepted step (first same as last), so they are variables.
  @usableFromInline
  var k1, k7: UnsafeMutablePointer<Double>
  @usableFromInline
  let k2, k3, k4, k5, k6: UnsafeMutablePointer<Double>
  @usableFromInline
  let y0, y1, stage, error: UnsafeMutablePointer<Double>
  @usableFromInline
  let r2, r3, r4, r5: UnsafeMutablePointer<Double>
  @usableFromInline
  var denseReady = false
  /// Whether k1 holds f(y0) (first same as last).
  @usableFromInline
  var hasFirstStage = false
  @usableFromInline
  var lastStep = 0.0
  // The stiffness test's counters.
  @usableFromInline
  var stiffChecks = 0
  @usableFromInline
  var nonStiffChecks = 0
  @usableFromInline
  var acceptedSteps = 0

  @inlinable
  public init(dimension n: Int) {
    self.n = n
    cache = _VectorBlock(count: 16, length: n)
    let c = cache
    (k1, k2, k3, k4, k5, k6, k7) = (
      c.vector(0), c.vector(1), c.vector(2), c.vector(3), c.vector(4), c.vector(5), c.vector(6)
    )
    (y0, y1, stage, error) = (c.vector(7), c.vector(8), c.vector(9), c.vector(10))
    (r2, r3, r4, r5) = (c.vector(11), c.vector(12), c.vector(13), c.vector(14))
  }

  /// Forgets f(y0) (after the state or the function's input changed).
  @inlinable
  public mutating func restart() {
    hasFirstStage = false
    stiffChecks = 0
    nonStiffChecks = 0
  }

  /// f at the start of the next step (computing it if needed).
  @inlinable
  mutating func _firstStage<F: ODEFunction>(_ f: F, _ y: UnsafePointer<Double>) {
    if !hasFirstStage {
      f.evaluate(y, into: k1)
      hasFirstStage = true
    }
  }

  /// Attempts a step of length h from y; returns the scaled error norm (≤ 1: acceptable).
  /// The candidate y(t + h) is kept until `accept`.
  @inlinable
  public mutating func attempt<F: ODEFunction>(
    _ f: F, from y: [Double], step h: Double, tolerance: Tolerance
  ) -> Double {
    y.withUnsafeBufferPointer { attempt(f, from: $0.baseAddress!, step: h, tolerance: tolerance) }
  }

  /// `attempt` from raw storage (n values at `y`).
  @inlinable
  public mutating func attempt<F: ODEFunction>(
    _ f: F, from y: UnsafePointer<Double>, step h: Double, tolerance: Tolerance
  ) -> Double {
    typealias T = DormandPrince54
    let (k1, k2, k3, k4, k5, k6, k7) = (self.k1, self.k2, self.k3, self.k4, self.k5, self.k6, self.k7)
    let (y0, y1, stage, error) = (self.y0, self.y1, self.stage, self.error)
    _firstStage(f, y)
    for i in 0..<n { y0[i] = y[i] }
    for i in 0..<n { stage[i] = y[i] + h * T.a21 * k1[i] }
    f.evaluate(stage, into: k2)
    for i in 0..<n { stage[i] = y[i] + h * (T.a31 * k1[i] + T.a32 * k2[i]) }
    f.evaluate(stage, into: k3)
    for i in 0..<n { stage[i] = y[i] + h * (T.a41 * k1[i] + T.a42 * k2[i] + T.a43 * k3[i]) }
    f.evaluate(stage, into: k4)
    for i in 0..<n {
      stage[i] = y[i] + h * (T.a51 * k1[i] + T.a52 * k2[i] + T.a53 * k3[i] + T.a54 * k4[i])
    }
    f.evaluate(stage, into: k5)
    for i in 0..<n {
      stage[i] =
        y[i] + h * (T.a61 * k1[i] + T.a62 * k2[i] + T.a63 * k3[i] + T.a64 * k4[i] + T.a65 * k5[i])
    }
    f.evaluate(stage, into: k6)
    for i in 0..<n {
      y1[i] = y[i] + h * (T.b1 * k1[i] + T.b3 * k3[i] + T.b4 * k4[i] + T.b5 * k5[i] + T.b6 * k6[i])
    }
    f.evaluate(y1, into: k7)
    for i in 0..<n {
      error[i] =
        h * (T.e1 * k1[i] + T.e3 * k3[i] + T.e4 * k4[i] + T.e5 * k5[i] + T.e6 * k6[i] + T.e7 * k7[i])
    }
    lastStep = h
    denseReady = false
    let err = tolerance.norm(error, y0, y1, count: n)
    if !err.isFinite { return .infinity }
    for i in 0..<n where !y1[i].isFinite { return .infinity }
    return err
  }

  /// Takes the candidate: y ← y(t + h), k1 ← k7. Returns whether the stiffness test fired
  /// (15 positive checks of h·λ > 3.25, λ estimated from the last two stages).
  @inlinable
  public mutating func accept(into y: inout [Double]) -> Bool {
    y.withUnsafeMutableBufferPointer { accept(into: $0.baseAddress!) }
  }

  /// `accept` into raw storage (n values at `y`).
  @inlinable
  public mutating func accept(into y: UnsafeMutablePointer<Double>) -> Bool {
    let (k6, k7, y1, stage) = (self.k6, self.k7, self.y1, self.stage)
    // The dense-output coefficients need k1 of this step: build them before k1 is replaced.
    _prepareDense()
    for i in 0..<n { y[i] = y1[i] }
    acceptedSteps += 1
    var stiff = false
    if acceptedSteps % 15 == 0 || stiffChecks > 0 {
      var num = 0.0
      var den = 0.0
      for i in 0..<n {
        num += (k7[i] - k6[i]) * (k7[i] - k6[i])
        den += (y1[i] - stage[i]) * (y1[i] - stage[i])
      }
      stiff = _StiffnessCount.record(
        den > 0 && lastStep * (num / den).squareRoot() > 3.25, positives: &stiffChecks,
        negatives: &nonStiffChecks)
    }
    (self.k1, self.k7) = (k7, k1)
    hasFirstStage = true
    return stiff
  }

  @inlinable
  mutating func _prepareDense() {
    typealias T = DormandPrince54
    let h = lastStep
    let (k1, k3, k4, k5, k6, k7) = (self.k1, self.k3, self.k4, self.k5, self.k6, self.k7)
    let (y0, y1, r2, r3, r4, r5) = (self.y0, self.y1, self.r2, self.r3, self.r4, self.r5)
    for i in 0..<n {
      let dy = y1[i] - y0[i]
      let bspl = h * k1[i] - dy
      r2[i] = dy
      r3[i] = bspl
      r4[i] = dy - h * k7[i] - bspl
      r5[i] = h * (T.d1 * k1[i] + T.d3 * k3[i] + T.d4 * k4[i] + T.d5 * k5[i] + T.d6 * k6[i] + T.d7 * k7[i])
    }
    denseReady = true
  }

  /// The state at t + θh of the last accepted step (0 ≤ θ ≤ 1), into `out` from `start`.
  @inlinable
  public func interpolate(_ theta: Double, into out: inout [Double], start: Int) {
    precondition(denseReady, "interpolate needs an accepted step.")
    precondition(start >= 0 && start + n <= out.count, "interpolate writes n values inside `out`.")
    out.withUnsafeMutableBufferPointer { interpolate(theta, into: $0.baseAddress! + start) }
  }

  /// `interpolate` into raw storage: the state at t + θh at `out` (n values).
  @inlinable
  public func interpolate(_ theta: Double, into out: UnsafeMutablePointer<Double>) {
    let s = 1 - theta
    let (y0, r2, r3, r4, r5) = (self.y0, self.r2, self.r3, self.r4, self.r5)
    for i in 0..<n {
      out[i] = y0[i] + theta * (r2[i] + s * (r3[i] + theta * (r4[i] + s * r5[i])))
    }
  }
}
