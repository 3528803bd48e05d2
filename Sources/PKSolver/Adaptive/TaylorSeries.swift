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

  /// Computes the coefficients of the solution through `y` and returns the step at which the
  /// series' last two terms reach the tolerance (infinity when they vanish).
  ///
  /// - Throws: `IntegrationError.nonFinite` when a coefficient is NaN or infinite.
  @inlinable
  public func prepare<F: ODEFunction>(
    _ f: F, from y: UnsafePointer<Double>, tolerance: Tolerance, time: Double
  ) throws(IntegrationError) -> Double {
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
    let h1 = last1 > 0 ? Double.pow(last1, -1 / Double(p - 1)) : .infinity
    let h2 = last > 0 ? Double.pow(last, -1 / Double(p)) : .infinity
    return Swift.min(h1, h2)
  }

  /// Moves `y` to the end of a step of size `h` from the prepared coefficients.
  @inlinable
  public func accept(step h: Double, into y: inout [Double]) {
    y.withUnsafeMutableBufferPointer { yp in _evaluate(at: h, into: yp.baseAddress!) }
  }

  /// The states at t + s_j of the last accepted step for the first `count` (≤ 8) lanes of s,
  /// state j's n values at `out + j·n`: eight independent Horner chains per state, so that
  /// their latencies overlap (an output grid has several times in each step). With `states`,
  /// only those states are written (the others are left as they are): p multiply-adds per
  /// state and time are most of the method's cost on a fine output grid.
  @inlinable
  public func interpolate(
    at s: SIMD8<Double>, count: Int, states: UnsafeBufferPointer<Int>? = nil,
    into out: UnsafeMutablePointer<Double>
  ) {
    if let states {
      for i in states { _interpolate(state: i, at: s, count: count, into: out) }
    } else {
      for i in 0..<n { _interpolate(state: i, at: s, count: count, into: out) }
    }
  }

  /// State i of `interpolate(at:count:states:into:)`.
  @inlinable @inline(__always)
  func _interpolate(state i: Int, at s: SIMD8<Double>, count: Int, into out: UnsafeMutablePointer<Double>) {
    // Down the column of state i, from y_[p] to y_[0].
    var row = block.base + (order &* n &+ i)
    var v = SIMD8<Double>(repeating: row.pointee)
    for _ in 0..<order {
      row -= n
      v = SIMD8<Double>(repeating: row.pointee) + s * v
    }
    for j in 0..<count { out[j &* n &+ i] = v[j] }
  }

  /// Σ_k y_[k]·s^k by Horner's rule, for each state.
  @inlinable
  func _evaluate(at s: Double, into out: UnsafeMutablePointer<Double>) {
    let c = block.base
    let p = order
    for i in 0..<n {
      var v = c[p * n + i]
      var k = p - 1
      while k >= 0 {
        v = c[k * n + i] + s * v
        k -= 1
      }
      out[i] = v
    }
  }
}
