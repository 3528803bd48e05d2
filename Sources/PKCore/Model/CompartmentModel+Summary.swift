import PKLinearAlgebra
import PKSolver
import RealModule

/// Derived pharmacokinetic quantities: clearance, volume at steady state, half-lives.
extension CompartmentModel {
  /// Clearance, steady-state volume and half-lives of the drug in the first output, derived
  /// from the system matrix.
  public struct Summary: Sendable, Equatable {
    /// Total clearance CL = R / Css (L/h) for a constant infusion R into the IV compartment.
    public var clearance: Double
    /// Volume at steady state Vss = (Σ amounts at steady state) / Css (L), over the
    /// disposition compartments.
    public var steadyStateVolume: Double
    /// Half-lives ln 2 / λ_i of the disposition phases (h), shortest first.
    public var halfLives: [Double]
  }

  /// Derives the summary for a constant infusion into `route`'s compartment, observed in the
  /// first output, over the disposition compartments D: those that exchange drug with the
  /// output's compartment both ways (its strongly connected set), so that depots and
  /// metabolite compartments are left out:
  ///
  /// ```
  /// K_D · A_ss = −e_dose   (K_D: K restricted to D; unit input rate)
  /// CL = 1 / C_ss,   Vss = Σ A_ss / C_ss,   t½,i = ln 2 / (−λ_i(K_D))
  /// ```
  ///
  /// - Throws: `LinearAlgebraError` when K_D is singular (a model without elimination).
  public func summary(route: Route = .iv) throws(LinearAlgebraError) -> Summary {
    let linearised = lowConcentrationSystem
    let out = outputCompartments.first ?? 0
    let d = dispositionCompartments(of: out, in: linearised)
    let m = d.count
    var kr = Matrix(rows: m, columns: m)
    for (b, j) in d.enumerated() { for (a, i) in d.enumerated() { kr[a, b] = linearised.matrix[i, j] } }
    var rhs = [Double](repeating: 0, count: m)
    rhs[d.firstIndex(of: routeCompartments[route] ?? out) ?? d.firstIndex(of: out)!] = -1
    let ass = try kr.solve(rhs)
    let css = ass[d.firstIndex(of: out)!] / volumes[out]!  // mg/L per (mg/h)
    let lambdas = try kr.eigenvalues().map { -$0.real }
    return Summary(
      clearance: 1 / css,
      steadyStateVolume: ass.reduce(0, +) / css,
      halfLives: lambdas.map { Double.log(2) / $0 }.sorted())
  }

  /// The compartments that drug can both reach from compartment `c` and return to it from,
  /// `c` included, in state order.
  public func dispositionCompartments(of c: Int, in linearised: LinearSystem? = nil) -> [Int] {
    let linearised = linearised ?? lowConcentrationSystem
    let n = compartmentCount
    func reach(forward: Bool) -> Set<Int> {
      var seen: Set<Int> = [c]
      var stack = [c]
      while let i = stack.popLast() {
        for j in 0..<n where j != i && !seen.contains(j) {
          let k = forward ? linearised.matrix[j, i] : linearised.matrix[i, j]
          if k > 0 {
            seen.insert(j)
            stack.append(j)
          }
        }
      }
      return seen
    }
    return reach(forward: true).intersection(reach(forward: false)).sorted()
  }
}
