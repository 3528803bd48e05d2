/// DOP853: the explicit Runge–Kutta method of Dormand and Prince of order 8, with Hairer's
/// error estimate from embedded formulas of orders 5 and 3 and a continuous extension of
/// order 7, for tight tolerances.
///
/// ```
/// k_s = f(y + h Σ_{j<s} a_sj k_j), s = 1…12;   y₁ = y + h Σ b_j k_j;   k₁₃ = f(y₁) (FSAL)
/// err = |h| · E5² / √(n · (E5² + 0.01 · E3²)),   E5² = Σ_i (Σ_j e5_j k_j,i / sc_i)², E3² likewise
/// y(t + θh) = r₁ + θ(r₂ + (1−θ)(r₃ + θ(r₄ + (1−θ)(r₅ + θ(r₆ + (1−θ)(r₇ + θ r₈))))))
/// ```
/// The continuous extension needs three more stages per step, computed only for steps that
/// hold an output. Hairer E, Nørsett SP, Wanner G, Solving ODEs I, 2nd ed. (1993), §II.10
/// (coefficients in `_DOP853Tableau`).
public struct DormandPrince853: Sendable {
  @usableFromInline typealias T = _DOP853Tableau
  /// The order of the solution and of the error exponent q (8).
  public static let order = 8

  @usableFromInline var k: [Double]  // 16 stage vectors, stage-major: k[j·n + i]
  @usableFromInline var y0, y1, stage, scratch: [Double]
  @usableFromInline var r: [[Double]]  // r₂ … r₈
  @usableFromInline var hasFirstStage = false
  @usableFromInline var lastStep = 0.0
  @usableFromInline var denseReady = false

  @inlinable
  public init(dimension n: Int) {
    let zero = [Double](repeating: 0, count: n)
    k = [Double](repeating: 0, count: 16 * n)
    r = [[Double]](repeating: zero, count: 7)
    y0 = zero
    y1 = zero
    stage = zero
    scratch = zero
  }

  /// Forgets f(y0) (after the state or the function's input changed).
  @inlinable
  public mutating func restart() { hasFirstStage = false }

  /// Attempts a step of length h from y; returns the scaled error (≤ 1: acceptable).
  @inlinable
  public mutating func attempt<F: ODEFunction>(
    _ f: F, from y: [Double], step h: Double, tolerance: Tolerance
  ) -> Double {
    let n = y.count
    if !hasFirstStage {
      f.evaluate(y, into: &scratch)
      for i in 0..<n { k[i] = scratch[i] }
      hasFirstStage = true
    }
    for i in 0..<n { y0[i] = y[i] }
    for s in 1..<12 {
      k.withUnsafeBufferPointer { kp in
        T.a.withUnsafeBufferPointer { ap in
          for i in 0..<n {
            var sum = 0.0
            for j in 0..<s { sum += ap[s &* 16 &+ j] * kp[j &* n &+ i] }
            stage[i] = y[i] + h * sum
          }
        }
      }
      f.evaluate(stage, into: &scratch)
      for i in 0..<n { k[s * n + i] = scratch[i] }
    }
    k.withUnsafeBufferPointer { kp in
      for i in 0..<n {
        var sum = 0.0
        for j in 0..<12 { sum += T.b[j] * kp[j &* n &+ i] }
        y1[i] = y[i] + h * sum
      }
    }
    f.evaluate(y1, into: &scratch)
    for i in 0..<n { k[12 * n + i] = scratch[i] }
    lastStep = h
    denseReady = false
    var err5 = 0.0
    var err3 = 0.0
    for i in 0..<n {
      guard y1[i].isFinite else { return .infinity }
      let sc = tolerance.absolute + tolerance.relative * Swift.max(abs(y0[i]), abs(y1[i]))
      var e5 = 0.0
      var e3 = 0.0
      for j in 0..<13 {
        e5 += T.e5[j] * k[j * n + i]
        e3 += T.e3[j] * k[j * n + i]
      }
      err5 += (e5 / sc) * (e5 / sc)
      err3 += (e3 / sc) * (e3 / sc)
    }
    if err5 == 0 && err3 == 0 { return 0 }
    let err = abs(h) * err5 / (Double(n) * (err5 + 0.01 * err3)).squareRoot()
    return err.isFinite ? err : .infinity
  }

  /// Takes the candidate: y ← y(t + h), k₁ ← k₁₃. With `dense`, first builds the continuous
  /// extension of this step (three more stages).
  @inlinable
  public mutating func accept<F: ODEFunction>(_ f: F, into y: inout [Double], dense: Bool) {
    let n = y.count
    if dense { _prepareDense(f) }
    for i in 0..<n {
      y[i] = y1[i]
      k[i] = k[12 * n + i]
    }
    hasFirstStage = true
  }

  @inlinable
  mutating func _prepareDense<F: ODEFunction>(_ f: F) {
    let n = y0.count
    let h = lastStep
    for s in 13..<16 {
      k.withUnsafeBufferPointer { kp in
        for i in 0..<n {
          var sum = 0.0
          for j in 0..<s { sum += T.a[s * 16 + j] * kp[j &* n &+ i] }
          stage[i] = y0[i] + h * sum
        }
      }
      f.evaluate(stage, into: &scratch)
      for i in 0..<n { k[s * n + i] = scratch[i] }
    }
    k.withUnsafeBufferPointer { kp in
      for i in 0..<n {
        let dy = y1[i] - y0[i]
        let bspl = h * kp[i] - dy
        r[0][i] = dy
        r[1][i] = bspl
        r[2][i] = dy - h * kp[12 * n + i] - bspl
        for m in 0..<4 {
          var sum = 0.0
          for j in 0..<16 { sum += T.d[m * 16 + j] * kp[j &* n &+ i] }
          r[3 + m][i] = h * sum
        }
      }
    }
    denseReady = true
  }

  /// The state at t + θh of the last accepted step built with `dense`, into `out` from `start`.
  @inlinable
  public func interpolate(_ theta: Double, into out: inout [Double], start: Int) {
    precondition(start >= 0 && start + y0.count <= out.count, "interpolate writes n values inside `out`.")
    out.withUnsafeMutableBufferPointer { interpolate(theta, into: $0.baseAddress! + start) }
  }

  /// `interpolate` into raw storage: the state at t + θh at `out` (n values).
  @inlinable
  public func interpolate(_ theta: Double, into out: UnsafeMutablePointer<Double>) {
    precondition(denseReady, "interpolate needs a step accepted with dense output.")
    let s1 = 1 - theta
    for i in 0..<y0.count {
      let inner = r[3][i] + theta * (r[4][i] + s1 * (r[5][i] + theta * r[6][i]))
      out[i] = y0[i] + theta * (r[0][i] + s1 * (r[1][i] + theta * (r[2][i] + s1 * inner)))
    }
  }
}
