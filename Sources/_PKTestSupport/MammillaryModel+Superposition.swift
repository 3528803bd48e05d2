/// Concentrations after any number of doses, by superposition of the unit responses.
///
/// ```
/// C(t) = Σ_boluses D_n · c_bolus(t − t_n) + Σ_infusions R_m · c_infusion(t − s_m; T_m)
/// ```
/// summed over the doses that have started by t (a bolus at t counts).
extension MammillaryModel {
  /// The central concentration (ng/mL) at `t` h after `doses`.
  public func concentration(at t: Double, after doses: [ReferenceDose]) -> Double {
    var c = 0.0  // mg/L
    for dose in doses where t >= dose.start {
      switch dose {
      case .bolus(let time, let amount):
        c += amount * unitBolusResponse(at: t - time)
      case .infusion(let start, let rate, let duration):
        c += rate * unitInfusionResponse(at: t - start, duration: duration)
      }
    }
    return c * 1000
  }

  /// The central concentrations (ng/mL) at each of `times` after `doses`.
  public func concentrations(at times: [Double], after doses: [ReferenceDose]) -> [Double] {
    times.map { concentration(at: $0, after: doses) }
  }
}
