import RealModule

/// A Taylor series method of fixed order p with Jorba and Zou's step size, for systems whose
/// right-hand side gives its own Taylor coefficients (`ODEFunction.taylorCoefficients`).
///
/// ```
/// y(t + s) ≈ Σ_{k=0}^{p} y_[k]·s^k,   y_[k] = y⁽ᵏ⁾(t)/k!
/// h = min over m ∈ {p − 1, p} of ( max_i |y_[m],i| / (atol + rtol·|y_i|) )^(−1/m)
/// p = ⌈−½·ln rtol⌉ + 1   (11 at rtol 1e-8), between 4 and `maximumOrder`
/// ```
/// The coefficients come from the right-hand side by automatic differentiation (for
/// pharmacokinetic flows: linear maps and Michaelis–Menten quotients), so a step costs one pass
/// of p recurrences and never fails; the step is the one at which the series' last two terms
/// reach the tolerance, and the dense output is the series itself. À. Jorba, M. Zou, "A software
/// package for the numerical integration of ODEs by means of high-order Taylor methods",
/// Exp. Math. 2005;14(1):99–117; R. Barrio et al., "Breaking the limits: the Taylor series
/// method", Appl. Math. Comput. 2011;217:7940–7954.
public struct TaylorSeries {
  /// The highest order used.
  public static let maximumOrder = 24
  /// The order p.
  public let order: Int
  @usableFromInline let n: Int
  /// Rows 0…p of the coefficients at the last step's start, n values a row.
  @usableFromInline let block: _VectorBlock

  /// The order for `tolerance`: ⌈−½·ln rtol⌉ + 1, between 4 and `maximumOrder`.
  @inlinable
  public static func order(for tolerance: Tolerance) -> Int {
    let p = Int((-0.5 * Double.log(tolerance.relative)).rounded(.up)) + 1
    return Swift.min(Swift.max(p, 4), maximumOrder)
  }

  @inlinable
  public init(dimension: Int, order: Int) {
    precondition(order >= 2 && order <= Self.maximumOrder, "A Taylor order from 2 to \(Self.maximumOrder).")
    n = dimension
    self.order = order
    block = _VectorBlock(count: order + 1, length: dimension)
  }

  /// The real stability interval of the method of order p: the largest x with
  /// |Σ_{k=0}^{p} (−z)^k/k!| ≤ 1 on 0 < z ≤ x (the step h of y' = λy, λ < 0, is stable for
  /// h|λ| ≤ x), for p = 0 … `maximumOrder` (computed by a scan in steps of 0.001; 2 at p = 2,
  /// 5.451 at p = 11). The automatic method's stiffness test compares h·λ̂ with 0.85 of it.
  public static let realStabilityInterval: [Double] = [
    0, 0, 2, 2.513, 2.786, 3.218, 3.554, 3.955, 4.314, 4.701, 5.07, 5.451, 5.823, 6.201, 6.575, 6.951,
    7.325, 7.7, 8.074, 8.448, 8.822, 9.196, 9.569, 9.943, 10.316,
  ]

  /// Computes the coefficients of the solution through `y` and returns the step at which the
  /// series' last two terms reach the tolerance (infinity when they vanish), and the rate
  /// λ̂ = p·max|y_[p]|/max|y_[p−1]| (1/time, both maxima over the states, scaled by the
  /// tolerance): the root test's estimate of the fastest mode, for the stiffness test (0 when
  /// the last two terms vanish).
  ///
  /// - Throws: `IntegrationError.nonFinite` when a coefficient is NaN or infinite.
  @inlinable
  public func prepare<F: ODEFunction>(
    _ f: F, from y: UnsafePointer<Double>, tolerance: Tolerance, time: Double
  ) throws(IntegrationError) -> (step: Double, rate: Double) {
    let c = block.base
    let supported = f.taylorCoefficients(y, order: order, into: c)
    precondition(supported, "This right-hand side gives no Taylor coefficients.")
    let p = order
    var last1 = 0.0
    var last = 0.0
    var finite = true
    for i in 0..<n {
      let scale = tolerance.absolute + tolerance.relative * abs(y[i])
      let a = abs(c[(p - 1) * n + i])
      let b = abs(c[p * n + i])
      finite = finite && a.isFinite && b.isFinite
      last1 = Swift.max(last1, a / scale)
      last = Swift.max(last, b / scale)
    }
    if !finite {
      let bad = (0..<n).first { i in (0...p).contains { !c[$0 * n + i].isFinite } } ?? -1
      throw .nonFinite(time: time, component: bad)
    }
    // min(last1^(−1/(p−1)), last^(−1/p)) as one exponential of the larger exponent: two
    // logarithms and an exponential cost less than two `pow`s. A term that vanishes has
    // logarithm −∞ and drops out; when both do, the step is infinite.
    let e1 = Double.log(last1) / Double(p - 1)
    let e2 = Double.log(last) / Double(p)
    return (Double.exp(-Swift.max(e1, e2)), last1 > 0 ? Double(p) * last / last1 : 0)
  }

  /// Moves `y` to the end of a step of size `h` from the prepared coefficients.
  @inlinable
  public func accept(step h: Double, into y: inout [Double]) {
    y.withUnsafeMutableBufferPointer { yp in _evaluate(at: h, into: yp.baseAddress!) }
  }

  /// The states at t + s_j of the last accepted step for the first `count` (≤ 8) lanes of s,
  /// row j (n values) at `out + j·n`: eight independent Horner chains per state, so that their
  /// latencies overlap (an output grid has several times in each step).
  @inlinable
  public func interpolate(at s: SIMD8<Double>, count: Int, into out: UnsafeMutablePointer<Double>) {
    for i in 0..<n {
      let v = _series(state: i, at: s)
      for l in 0..<count { out[l &* n &+ i] = v[l] }
    }
  }

  /// `interpolate(at:count:into:)` projected (`OutputProjection`): row j (`states.count`
  /// values) at `out + j·states.count` holds the listed states times their factors. Only the
  /// listed states are evaluated: p multiply-adds per state and time are most of the method's
  /// cost on a fine output grid. Each listed state must be a state of the system (0 ..< n):
  /// the stepper checks its `OutputProjection` once, not at every call.
  @inlinable
  public func interpolate(
    at s: SIMD8<Double>, count: Int, states: UnsafeBufferPointer<Int>, factors: UnsafeBufferPointer<Double>,
    into out: UnsafeMutablePointer<Double>
  ) {
    precondition(factors.count == states.count, "One factor per listed state.")
    let width = states.count
    for j in 0..<width {
      let v = _series(state: states[j], at: s) * factors[j]
      for l in 0..<count { out[l &* width &+ j] = v[l] }
    }
  }

  /// State i's series at eight times: down its column, from y_[p] to y_[0].
  @inlinable @inline(__always)
  func _series(state i: Int, at s: SIMD8<Double>) -> SIMD8<Double> {
    var row = block.base + (order &* n &+ i)
    var v = SIMD8<Double>(repeating: row.pointee)
    for _ in 0..<order {
      row -= n
      v = SIMD8<Double>(repeating: row.pointee) + s * v
    }
    return v
  }

  /// Σ_k y_[k]·s^k by Horner's rule, for each state: four states at a time down the rows
  /// (two independent SSE2 chains), the rest one by one. Each state's chain of p dependent
  /// multiply-adds is the same arithmetic either way.
  @inlinable
  func _evaluate(at s: Double, into out: UnsafeMutablePointer<Double>) {
    let c = block.base
    let p = order
    var i = 0
    while i &+ 4 <= n {
      var row = UnsafeRawPointer(c + (p &* n &+ i))
      var v = row.loadUnaligned(as: SIMD4<Double>.self)
      for _ in 0..<p {
        row -= n &* MemoryLayout<Double>.stride
        v = row.loadUnaligned(as: SIMD4<Double>.self) + s * v
      }
      UnsafeMutableRawPointer(out + i).storeBytes(of: v, as: SIMD4<Double>.self)
      i &+= 4
    }
    while i < n {
      var v = c[p &* n &+ i]
      var k = p - 1
      while k >= 0 {
        v = c[k &* n &+ i] + s * v
        k -= 1
      }
      out[i] = v
      i &+= 1
    }
  }
}
