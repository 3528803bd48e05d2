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
public struct DormandPrince853 {
  @usableFromInline typealias T = _DOP853Tableau
  /// The order of the solution and of the error exponent q (8).
  public static let order = 8

  /// The cache and a copy of the tableau in one `_VectorBlock`, so that the stage loops read
  /// raw pointers (no bounds or uniqueness checks): 16 stage vectors (stage-major,
  /// k[j·n + i]), y0, y1, the stage argument, the seven dense-output vectors r₂ … r₈, then
  /// a (16 × 16), b (12), e5 and e3 (13 each) and d (4 × 16). A copy of the method shares its
  /// cache: use one per integrator.
  @usableFromInline
  final class _Cache {
    @usableFromInline let vectors: _VectorBlock
    @usableFromInline let k, y0, y1, stage, r, a, b, e5, e3, d: UnsafeMutablePointer<Double>
    @usableFromInline
    init(n: Int) {
      // An empty system (a stepper of another method) gets no storage and no tableau.
      vectors =
        n == 0
        ? _VectorBlock(count: 0, length: 0)
        : _VectorBlock(count: 26, length: n, extra: 256 + 12 + 13 + 13 + 64)
      guard n > 0 else {
        (k, y0, y1, stage, r, a, b, e5, e3, d) = (
          vectors.base, vectors.base, vectors.base, vectors.base, vectors.base, vectors.base, vectors.base,
          vectors.base, vectors.base, vectors.base
        )
        return
      }
      k = vectors.base
      y0 = vectors.vector(16)
      y1 = vectors.vector(17)
      stage = vectors.vector(18)
      r = vectors.vector(19)
      a = vectors.vector(26)
      b = a + 256
      e5 = b + 12
      e3 = e5 + 13
      d = e3 + 13
      for j in 0..<256 { a[j] = T.a[j] }
      for j in 0..<12 { b[j] = T.b[j] }
      for j in 0..<13 {
        e5[j] = T.e5[j]
        e3[j] = T.e3[j]
      }
      for j in 0..<64 { d[j] = T.d[j] }
    }
  }

  @usableFromInline let cache: _Cache
  @usableFromInline let n: Int
  @usableFromInline var hasFirstStage = false
  @usableFromInline var lastStep = 0.0
  @usableFromInline var denseReady = false

  @inlinable
  public init(dimension n: Int) {
    self.n = n
    cache = _Cache(n: n)
  }

  /// Forgets f(y0) (after the state or the function's input changed).
  @inlinable
  public mutating func restart() { hasFirstStage = false }

  /// Attempts a step of length h from y; returns the scaled error (≤ 1: acceptable).
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
    let c = cache
    let (k, y0, y1, stage, a, b, e5, e3) = (c.k, c.y0, c.y1, c.stage, c.a, c.b, c.e5, c.e3)
    if !hasFirstStage {
      f.evaluate(y, into: k)
      hasFirstStage = true
    }
    for i in 0..<n { y0[i] = y[i] }
    for s in 1..<12 {
      for i in 0..<n {
        var sum = 0.0
        for j in 0..<s { sum += a[s &* 16 &+ j] * k[j &* n &+ i] }
        stage[i] = y[i] + h * sum
      }
      f.evaluate(stage, into: k + s * n)
    }
    for i in 0..<n {
      var sum = 0.0
      for j in 0..<12 { sum += b[j] * k[j &* n &+ i] }
      y1[i] = y[i] + h * sum
    }
    f.evaluate(y1, into: k + 12 * n)
    lastStep = h
    denseReady = false
    var err5 = 0.0
    var err3 = 0.0
    for i in 0..<n {
      guard y1[i].isFinite else { return .infinity }
      let sc = tolerance.absolute + tolerance.relative * Swift.max(abs(y0[i]), abs(y1[i]))
      var s5 = 0.0
      var s3 = 0.0
      for j in 0..<13 {
        s5 += e5[j] * k[j &* n &+ i]
        s3 += e3[j] * k[j &* n &+ i]
      }
      err5 += (s5 / sc) * (s5 / sc)
      err3 += (s3 / sc) * (s3 / sc)
    }
    if err5 == 0 && err3 == 0 { return 0 }
    let err = abs(h) * err5 / (Double(n) * (err5 + 0.01 * err3)).squareRoot()
    return err.isFinite ? err : .infinity
  }

  /// Takes the candidate: y ← y(t + h), k₁ ← k₁₃. With `dense`, first builds the continuous
  /// extension of this step (three more stages).
  @inlinable
  public mutating func accept<F: ODEFunction>(_ f: F, into y: inout [Double], dense: Bool) {
    precondition(y.count == n, "The state has n values.")
    if dense { _prepareDense(f) }
    let (k, y1) = (cache.k, cache.y1)
    for i in 0..<n {
      y[i] = y1[i]
      k[i] = k[12 * n + i]
    }
    hasFirstStage = true
  }

  @inlinable
  mutating func _prepareDense<F: ODEFunction>(_ f: F) {
    let h = lastStep
    let c = cache
    let (k, y0, y1, stage, r, a, d) = (c.k, c.y0, c.y1, c.stage, c.r, c.a, c.d)
    for s in 13..<16 {
      for i in 0..<n {
        var sum = 0.0
        for j in 0..<s { sum += a[s &* 16 &+ j] * k[j &* n &+ i] }
        stage[i] = y0[i] + h * sum
      }
      f.evaluate(stage, into: k + s * n)
    }
    for i in 0..<n {
      let dy = y1[i] - y0[i]
      let bspl = h * k[i] - dy
      r[i] = dy
      r[n + i] = bspl
      r[2 * n + i] = dy - h * k[12 * n + i] - bspl
      for m in 0..<4 {
        var sum = 0.0
        for j in 0..<16 { sum += d[m &* 16 &+ j] * k[j &* n &+ i] }
        r[(3 + m) * n + i] = h * sum
      }
    }
    denseReady = true
  }

  /// The state at t + θh of the last accepted step built with `dense`, into `out` from `start`.
  @inlinable
  public func interpolate(_ theta: Double, into out: inout [Double], start: Int) {
    precondition(start >= 0 && start + n <= out.count, "interpolate writes n values inside `out`.")
    out.withUnsafeMutableBufferPointer { interpolate(theta, into: $0.baseAddress! + start) }
  }

  /// `interpolate` into raw storage: the state at t + θh at `out` (n values).
  @inlinable
  public func interpolate(_ theta: Double, into out: UnsafeMutablePointer<Double>) {
    precondition(denseReady, "interpolate needs a step accepted with dense output.")
    let (y0, r) = (cache.y0, cache.r)
    let s1 = 1 - theta
    for i in 0..<n {
      let inner = r[3 * n + i] + theta * (r[4 * n + i] + s1 * (r[5 * n + i] + theta * r[6 * n + i]))
      out[i] = y0[i] + theta * (r[i] + s1 * (r[n + i] + theta * (r[2 * n + i] + s1 * inner)))
    }
  }
}
