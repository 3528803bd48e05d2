import RealModule

/// Gauss–Legendre quadrature of a piecewise-smooth curve, for exact-to-rounding areas under
/// simulated concentration curves.
///
/// ```
/// ∫_a^b f dt ≈ Σ_i w_i f(x_i),   n-point rule on each panel (exact for polynomials of degree 2n − 1)
/// ```
/// Nodes are the roots of the Legendre polynomial P_n, found by Newton's method from the
/// Chebyshev estimate cos(π(i − 1/4)/(n + 1/2)); weights w_i = 2 / ((1 − x_i²) P_n'(x_i)²).
/// Abramowitz M, Stegun IA, Handbook of Mathematical Functions (1964), §25.4.29.
public struct GaussLegendre: Sendable {
  /// The nodes on [−1, 1], ascending.
  public let nodes: [Double]
  /// The weights.
  public let weights: [Double]

  /// The n-point rule.
  public init(points n: Int) {
    var x = [Double](repeating: 0, count: n)
    var w = [Double](repeating: 0, count: n)
    for i in 0..<n {
      var z = Double.cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
      var derivative = 0.0
      for _ in 0..<100 {
        var p0 = 1.0
        var p1 = z
        for k in 2...max(2, n) where n >= 2 {
          let p2 = (Double(2 * k - 1) * z * p1 - Double(k - 1) * p0) / Double(k)
          p0 = p1
          p1 = p2
        }
        let pn = n == 1 ? z : p1
        let pn1 = n == 1 ? 1 : p0
        derivative = Double(n) * (z * pn - pn1) / (z * z - 1)
        let dz = pn / derivative
        z -= dz
        if abs(dz) < 1e-16 { break }
      }
      x[n - 1 - i] = z
      w[n - 1 - i] = 2 / ((1 - z * z) * derivative * derivative)
    }
    nodes = x
    weights = w
  }

  /// The integral over [breakpoints.first, breakpoints.last] of a curve that is smooth between
  /// consecutive breakpoints, each piece cut into panels no wider than `panelWidth`.
  ///
  /// - Parameter evaluate: the curve at non-decreasing times (one call with every node).
  public func integral(
    breakpoints: [Double], panelWidth: Double, evaluate: ([Double]) throws -> [Double]
  ) rethrows -> Double {
    var times: [Double] = []
    var factors: [Double] = []
    for (a, b) in zip(breakpoints, breakpoints.dropFirst()) where b > a {
      let panels = max(1, Int(((b - a) / panelWidth).rounded(.up)))
      let h = (b - a) / Double(panels)
      for p in 0..<panels {
        let lo = a + Double(p) * h
        for (x, w) in zip(nodes, weights) {
          times.append(lo + (x + 1) * h / 2)
          factors.append(w * h / 2)
        }
      }
    }
    let values = try evaluate(times)
    return zip(values, factors).reduce(0) { $0 + $1.0 * $1.1 }
  }
}
