import PKLinearAlgebra
import RealModule

/// Derived pharmacokinetic quantities: clearance, volume at steady state, half-lives.
extension CompartmentModel {
  /// Clearance, steady-state volume and half-lives, derived from the system matrix.
  public struct Summary: Sendable, Equatable {
    /// Total clearance CL = R / Css (L/h) for a constant infusion R into the dosing compartment.
    public var clearance: Double
    /// Volume at steady state Vss = (Σ amounts at steady state) / Css (L).
    public var steadyStateVolume: Double
    /// Half-lives ln 2 / λ_i of the disposition phases (h), shortest first.
    public var halfLives: [Double]
  }

  /// Derives the summary for a constant infusion into `route`'s compartment, observed in the
  /// first output:
  ///
  /// ```
  /// K_r · A_ss = −e_dose   (K_r: K without the eliminated state; unit input rate)
  /// CL = 1 / C_ss,   Vss = Σ A_ss / C_ss,   t½,i = ln 2 / (−λ_i(K_r))
  /// ```
  ///
  /// - Throws: `LinearAlgebraError` when K_r is singular (a model without elimination).
  public func summary(route: Route = .iv) throws(LinearAlgebraError) -> Summary {
    let n = compartmentCount
    var kr = Matrix(rows: n, columns: n)
    for j in 0..<n { for i in 0..<n { kr[i, j] = system.matrix[i, j] } }
    var rhs = [Double](repeating: 0, count: n)
    rhs[routeCompartments[route] ?? 0] = -1
    let ass = try kr.solve(rhs)
    let out = outputCompartments.first ?? 0
    let css = ass[out] / volumes[out]!  // mg/L per (mg/h)
    let lambdas = try kr.eigenvalues().map { -$0.real }
    return Summary(
      clearance: 1 / css,
      steadyStateVolume: ass.reduce(0, +) / css,
      halfLives: lambdas.map { Double.log(2) / $0 }.sorted())
  }
}
