import RealModule

/// The principal branch of Lambert's W function, W(x)·e^{W(x)} = x for x ≥ 0, by Halley's
/// iteration from log(1 + x) (Corless RM et al., Adv Comput Math 1996;5:329-359, eq. 5.9).
///
/// Used for the closed form of one-compartment Michaelis–Menten elimination:
/// ```
/// C(t) = Km · W((C0/Km) · exp((C0 − (Vmax/V)·t) / Km))
/// ```
/// (Schnell S, Mendoza C, J Theor Biol 1997;187:207-212; Tang M, Xiao H, PLoS ONE 2010.)
public func lambertW(_ x: Double) -> Double {
  precondition(x >= 0, "lambertW is implemented for x ≥ 0.")
  if x == 0 { return 0 }
  var w = x > 1 ? Double.log(x) - Double.log(Double.log(x) + 1) + 0.5 : Double.log(1 + x) * 0.9
  if x > 1 && w < 0.5 { w = 0.5 }
  for _ in 0..<100 {
    let e = Double.exp(w)
    let f = w * e - x
    let step = f / (e * (w + 1) - (w + 2) * f / (2 * w + 2))
    w -= step
    if abs(step) <= 1e-16 * max(1, abs(w)) { break }
  }
  return w
}
