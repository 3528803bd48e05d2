import PKLinearAlgebra
import PKSolver

/// The systemic bioavailability of each route, exact from the system matrix.
extension CompartmentModel {
  /// The area under the concentration curve of output `output` per mg given into each
  /// compartment (h·mg/L per mg), over all time:
  ///
  /// ```
  /// AUC_c = ∫ C dt = −(K_r⁻¹ e_c)[o] / V_o,   K_r: K without the eliminated state
  /// ```
  ///
  /// - Throws: `LinearAlgebraError` when K_r is singular (a compartment without any way out).
  public func areaUnderCurvePerDose(output: Int = 0) throws(LinearAlgebraError) -> [Double] {
    let n = compartmentCount
    let linearised = lowConcentrationSystem
    var kr = Matrix(rows: n, columns: n)
    for j in 0..<n { for i in 0..<n { kr[i, j] = linearised.matrix[i, j] } }
    // Row o of K_r⁻¹ is the solution of K_rᵀ y = e_o; AUC_c = −y[c] / V_o.
    var krT = Matrix(rows: n, columns: n)
    for j in 0..<n { for i in 0..<n { krT[i, j] = kr[j, i] } }
    let o = outputCompartments[output]
    var e = [Double](repeating: 0, count: n)
    e[o] = 1
    let y = try krT.solve(e)
    return y.map { -$0 / volumes[o]! }
  }

  /// The fraction of a dose by `route` that reaches the circulation as the parent drug of
  /// output `output`, relative to IV (the route's F, first-pass losses included):
  ///
  /// ```
  /// F = Σ_p f_p · AUC_{c_p} / AUC_iv        (parts p of the route; the first device's fractions)
  /// ```
  /// Zero-order durations and lag times do not change it.
  ///
  /// - Returns: nil when the model lacks the route or an IV route.
  /// - Throws: `LinearAlgebraError` when the system is singular.
  public func bioavailability(route: Route, output: Int = 0) throws(LinearAlgebraError) -> Double? {
    guard let r = compiled.routes[route], let iv = compiled.routes[.iv] else { return nil }
    let auc = try areaUnderCurvePerDose(output: output)
    func total(_ route: CompiledModel.CompiledRoute) -> Double {
      route.parts.reduce(0) { sum, p in
        sum + (p.fraction.map { compiled.canonical($0, parameterValues) } ?? 1) * auc[p.compartment]
      }
    }
    return total(r) / total(iv)
  }
}
