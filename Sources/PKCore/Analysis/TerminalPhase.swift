import RealModule

/// The terminal elimination phase of a concentration curve, estimated by log-linear regression
/// on its last points.
///
/// ```
/// ln C(t) ≈ a − λz·t   on the last n points after Cmax (n ≥ 3, all C > 0)
/// R²adj = 1 − (1 − R²)·(n − 1)/(n − 2);   the largest n whose R²adj is within 10⁻⁴ of the best
/// t½ = ln 2 / λz
/// ```
/// The selection rule of the usual NCA software ("best fit"; Gabrielsson J, Weiner D,
/// Pharmacokinetic and Pharmacodynamic Data Analysis, 5th ed. (2016), ch. 2). nil when fewer
/// than three positive points follow Cmax or the fitted slope does not fall.
public struct TerminalPhase: Sendable, Equatable {
  /// λz (1/h).
  public var lambda: Double
  /// The points used, counted from the end.
  public var points: Int
  /// R²adj of the fit.
  public var adjustedR2: Double

  /// t½ = ln 2/λz (h).
  public var halfLife: Double { Double.log(2) / lambda }

  /// The terminal phase of `concentrations` at `times` (h), or nil (see the type).
  public init?(times: [Double], concentrations c: [Double]) {
    guard let peak = c.indices.max(by: { c[$0] < c[$1] }) else { return nil }
    var best: (lambda: Double, n: Int, r2: Double)? = nil
    var fits: [(lambda: Double, n: Int, r2: Double)] = []
    let available = c.count - 1 - peak
    guard available >= 3 else { return nil }
    // Sums over the last n points, grown one point at a time (O(N) for all n), with times
    // measured from the last one to keep the sums small.
    let tEnd = times[c.count - 1]
    var (sx, sy, sxx, sxy, syy) = (0.0, 0.0, 0.0, 0.0, 0.0)
    for n in 1...available {
      let i = c.count - n
      guard c[i] > 0 else { break }
      let x = times[i] - tEnd
      let y = Double.log(c[i])
      sx += x
      sy += y
      sxx += x * x
      sxy += x * y
      syy += y * y
      guard n >= 3 else { continue }
      let m = Double(n)
      let vxx = sxx - sx * sx / m
      let vxy = sxy - sx * sy / m
      let vyy = syy - sy * sy / m
      guard vxx > 0 else { continue }
      let slope = vxy / vxx
      let r2 = vyy > 0 ? Swift.min(1, (vxy * vxy) / (vxx * vyy)) : 1
      let adjusted = 1 - (1 - r2) * (m - 1) / (m - 2)
      fits.append((-slope, n, adjusted))
      if best == nil || adjusted > best!.r2 { best = (-slope, n, adjusted) }
    }
    guard let top = best else { return nil }
    let chosen = fits.filter { $0.r2 >= top.r2 - 1e-4 }.max { $0.n < $1.n }!
    guard chosen.lambda > 0 && chosen.lambda.isFinite else { return nil }
    lambda = chosen.lambda
    points = chosen.n
    adjustedR2 = chosen.r2
  }
}
