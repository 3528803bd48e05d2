import RealModule

/// The three real roots, largest first, of the cubic λ³ − a2·λ² + a1·λ − a0 = 0, solved
/// trigonometrically (Viète) and polished by two Newton steps.
///
/// ```
/// λ = y + a2/3:   y³ + p·y + q = 0,   p = a1 − a2²/3,   q = −2a2³/27 + a1·a2/3 − a0
/// y_k = 2·√(−p/3) · cos( ⅓·arccos( (3q / 2p)·√(−3/p) ) − 2πk/3 ),   k = 0, 1, 2
/// ```
///
/// The roots of a mammillary model's characteristic polynomial are real, positive and distinct
/// for distinct rate constants, so p < 0. The Newton steps restore full relative accuracy to the
/// smallest root, which the shift by a2/3 computes with cancellation.
///
/// Reference: Gibaldi & Perrier, *Pharmacokinetics*, 2nd ed., chapter 2 (the three-compartment
/// model's characteristic equation); W. H. Press et al., *Numerical Recipes*, 3rd ed., §5.6.
func _cubicRoots(a2: Double, a1: Double, a0: Double) -> [Double] {
  let p = a1 - a2 * a2 / 3
  let q = -2 * a2 * a2 * a2 / 27 + a1 * a2 / 3 - a0
  precondition(p < 0, "The cubic needs three distinct real roots (p = \(p)).")
  let argument = Swift.min(1, Swift.max(-1, (3 * q / (2 * p)) * Double.sqrt(-3 / p)))
  let theta = Double.acos(argument) / 3
  let radius = 2 * Double.sqrt(-p / 3)
  var roots = (0..<3).map { k in
    radius * Double.cos(theta - 2 * Double.pi * Double(k) / 3) + a2 / 3
  }
  for k in roots.indices {
    for _ in 0..<2 {
      let x = roots[k]
      let f = ((x - a2) * x + a1) * x - a0
      let df = (3 * x - 2 * a2) * x + a1
      if df.isZero { break }
      roots[k] = x - f / df
    }
  }
  return roots.sorted(by: >)
}
