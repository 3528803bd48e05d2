import PKLinearAlgebra
import RealModule

extension EffectSite {
  /// The ke0 (1/h) for which the effect-site concentration peaks `timeToPeak` hours after an IV
  /// bolus into the plasma compartment, for the subject's disposition: the root of
  ///
  /// ```
  /// g(ke0) = Cp(tpeak) − Ce(tpeak; ke0)      (dCe/dt = ke0·(Cp − Ce) = 0 at the peak)
  /// x(tpeak) = e^{M·tpeak}·e_plasma,  M = A with row `site` set to ke0/V at `plasma`, −ke0 on the diagonal
  /// ```
  /// found by bisection on log ke0 in [10⁻⁶, 10⁶] 1/h to 10⁻¹² relative (g > 0 below the root:
  /// the effect site still rising at tpeak; g < 0 above it). The approach of TCI systems that
  /// derive ke0 from a time to peak effect: Minto CF et al., Anesthesiology 1997;86:10-23;
  /// Schnider TW et al., Anesthesiology 1999;90:1502-1516.
  ///
  /// - Parameters:
  ///   - system: the subject's system matrix (1/h) without effect-site entries.
  ///   - plasma: the state of the plasma compartment; `volume` its volume (L).
  ///   - site: the effect site's state.
  /// - Throws: `LinearAlgebraError` from the matrix exponential.
  public static func ke0(
    timeToPeak peak: Double, system: Matrix, plasma: Int, volume: Double, site: Int
  ) throws(LinearAlgebraError) -> Double {
    precondition(peak > 0 && volume > 0, "A time to peak and a volume above 0.")
    func g(_ ke0: Double) throws(LinearAlgebraError) -> Double {
      var m = system
      m[site, plasma] = ke0 / volume
      m[site, site] = -ke0
      for k in m.elements.indices { m.elements[k] *= peak }
      let e = try m.exponential()
      return e[plasma, plasma] / volume - e[site, plasma]
    }
    var lo = Double.log(1e-6)
    var hi = Double.log(1e6)
    while hi - lo > 1e-13 {
      let mid = 0.5 * (lo + hi)
      if try g(Double.exp(mid)) > 0 { lo = mid } else { hi = mid }
    }
    return Double.exp(0.5 * (lo + hi))
  }
}
