import PKLinearAlgebra

/// A Rosenbrock method of order 4 with an embedded order-3 error estimate (Shampine's
/// coefficients), for stiff systems; its linear systems are solved by LAPACK LU.
///
/// ```
/// W = I/(γh) − J,   J = ∂f/∂y at the step's start
/// W g₁ = f(y)
/// W g₂ = f(y + a₂₁g₁) + c₂₁g₁/h
/// W g₃ = f(y + a₃₁g₁ + a₃₂g₂) + (c₃₁g₁ + c₃₂g₂)/h
/// W g₄ = f(y + a₃₁g₁ + a₃₂g₂) + (c₄₁g₁ + c₄₂g₂ + c₄₃g₃)/h
/// y₁ = y + Σ bᵢgᵢ,   err = Σ eᵢgᵢ
/// ```
/// γ = 1/2, a₂₁ = 2, a₃₁ = 48/25, a₃₂ = 6/25, c₂₁ = −8, c₃₁ = 372/25, c₃₂ = 12/5,
/// c₄₁ = −112/125, c₄₂ = −54/125, c₄₃ = −2/5, b = (19/9, 1/2, 25/108, 125/108),
/// e = (17/54, 7/36, 0, 125/108). Shampine LF, Implementation of Rosenbrock methods, ACM Trans
/// Math Softw 1982;8(2):93-113; Kaps P, Rentrop P, Numer Math 1979;33:55-68. Dense output: the
/// cubic Hermite interpolant of y and f at both ends (order 3 between steps).
public struct Rosenbrock43: Sendable {
  @usableFromInline
  static let gamma = 0.5
  @usableFromInline
  static let a21 = 2.0, a31 = 48.0 / 25, a32 = 6.0 / 25
  @usableFromInline
  static let c21 = -8.0, c31 = 372.0 / 25, c32 = 12.0 / 5
  @usableFromInline
  static let c41 = -112.0 / 125, c42 = -54.0 / 125, c43 = -2.0 / 5
  @usableFromInline
  static let b1 = 19.0 / 9, b2 = 0.5, b3 = 25.0 / 108, b4 = 125.0 / 108
  @usableFromInline
  static let e1 = 17.0 / 54, e2 = 7.0 / 36, e4 = 125.0 / 108

  /// The exponent order q of the error estimate (4).
  public static let order = 4

  @usableFromInline
  var f0, f1, g1, g2, g3, g4, y0, y1, stage, error, scratch, scratch2: [Double]
  @usableFromInline
  var jacobian, matrix: [Double]
  @usableFromInline
  var lu: LUFactorization
  @usableFromInline
  var hasFirstStage = false
  @usableFromInline
  var lastStep = 0.0

  @inlinable
  public init(dimension n: Int) {
    let zero = [Double](repeating: 0, count: n)
    (f0, f1, g1, g2, g3, g4) = (zero, zero, zero, zero, zero, zero)
    (y0, y1, stage, error, scratch, scratch2) = (zero, zero, zero, zero, zero, zero)
    jacobian = [Double](repeating: 0, count: n * n)
    matrix = jacobian
    lu = LUFactorization(dimension: n)
  }

  /// Forgets f(y0) (after the state or the function's input changed).
  @inlinable
  public mutating func restart() { hasFirstStage = false }

  /// Attempts a step of length h from y; returns the scaled error norm (≤ 1: acceptable).
  ///
  /// - Throws: `LinearAlgebraError` when W is singular.
  @inlinable
  public mutating func attempt<F: ODEFunction>(
    _ f: F, from y: [Double], step h: Double, tolerance: Tolerance
  ) throws(LinearAlgebraError) -> Double {
    typealias T = Rosenbrock43
    let n = y.count
    if !hasFirstStage {
      f.evaluate(y, into: &f0)
      hasFirstStage = true
    }
    for i in 0..<n { y0[i] = y[i] }
    f.jacobian(y, f0: f0, into: &jacobian, scratch: &scratch, scratch2: &scratch2)
    let diagonal = 1 / (T.gamma * h)
    for k in 0..<(n * n) { matrix[k] = -jacobian[k] }
    for i in 0..<n { matrix[i + i * n] += diagonal }
    try lu.factor(matrix)
    for i in 0..<n { g1[i] = f0[i] }
    try lu.solve(&g1)
    for i in 0..<n { stage[i] = y[i] + T.a21 * g1[i] }
    f.evaluate(stage, into: &g2)
    for i in 0..<n { g2[i] += T.c21 * g1[i] / h }
    try lu.solve(&g2)
    for i in 0..<n { stage[i] = y[i] + T.a31 * g1[i] + T.a32 * g2[i] }
    f.evaluate(stage, into: &g3)
    for i in 0..<n { g4[i] = g3[i] }
    for i in 0..<n { g3[i] += (T.c31 * g1[i] + T.c32 * g2[i]) / h }
    try lu.solve(&g3)
    for i in 0..<n { g4[i] += (T.c41 * g1[i] + T.c42 * g2[i] + T.c43 * g3[i]) / h }
    try lu.solve(&g4)
    for i in 0..<n {
      y1[i] = y[i] + T.b1 * g1[i] + T.b2 * g2[i] + T.b3 * g3[i] + T.b4 * g4[i]
      error[i] = T.e1 * g1[i] + T.e2 * g2[i] + T.e4 * g4[i]
    }
    lastStep = h
    let err = tolerance.norm(error, y0, y1)
    if !err.isFinite { return .infinity }
    for i in 0..<n where !y1[i].isFinite { return .infinity }
    return err
  }

  /// Takes the candidate: y ← y(t + h), and f(y) for the next step and the dense output.
  @inlinable
  public mutating func accept<F: ODEFunction>(_ f: F, into y: inout [Double]) {
    for i in 0..<y.count { y[i] = y1[i] }
    f.evaluate(y1, into: &f1)
    // After the swap f0 = f(y1), the next step's first stage, and f1 = f(y0) of the step just
    // taken, which the interpolant needs.
    swap(&f0, &f1)
    hasFirstStage = true
  }

  /// The state at t + θh of the last accepted step (0 ≤ θ ≤ 1), by cubic Hermite interpolation
  /// of y and f at both ends, into `out` from `start`.
  @inlinable
  public func interpolate(_ theta: Double, into out: inout [Double], start: Int) {
    precondition(start >= 0 && start + y0.count <= out.count, "interpolate writes n values inside `out`.")
    out.withUnsafeMutableBufferPointer { interpolate(theta, into: $0.baseAddress! + start) }
  }

  /// `interpolate` into raw storage: the state at t + θh at `out` (n values).
  @inlinable
  public func interpolate(_ theta: Double, into out: UnsafeMutablePointer<Double>) {
    let h = lastStep
    let t2 = theta * theta
    let t3 = t2 * theta
    let h00 = 2 * t3 - 3 * t2 + 1
    let h10 = t3 - 2 * t2 + theta
    let h01 = -2 * t3 + 3 * t2
    let h11 = t3 - t2
    // After `accept`, f1 holds f(y0) of the step and f0 holds f(y1).
    for i in 0..<y0.count {
      out[i] = h00 * y0[i] + h10 * h * f1[i] + h01 * y1[i] + h11 * h * f0[i]
    }
  }
}
