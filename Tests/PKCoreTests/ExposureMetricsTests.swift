import PKCore
import RealModule
import Testing
import _PKTestSupport

/// Exposure metrics on analytic curves: a bolus (C0·e^(−kt)) and first-order absorption
/// (Bateman), against their closed forms.
@Suite struct ExposureMetricsTests {
  /// One compartment after a 100 mg bolus, V 10 L, CL 5 L/h: AUC0–∞ = dose/CL = 20 mg·h/L =
  /// 20,000 ng·h/mL, λz = 0.5 /h, time above c = ln(C0/c)/k.
  @Test func bolus() {
    let times = (0...2400).map { Double($0) / 100 }  // 0–24 h every 0.6 min
    let c = times.map { 10_000 * Double.exp(-0.5 * $0) }
    let m = ExposureMetrics(times: times, concentrations: c, lastDose: 0, thresholds: [1000, 20_000])
    #expect(m.cmax == 10_000 && m.tmax == 0)
    let t = try! #require(m.terminal)
    expectClose(t.lambda, 0.5, relativeTolerance: 1e-9)
    expectClose(t.halfLife, Double.log(2) / 0.5, relativeTolerance: 1e-9)
    // Log-down trapezoids are exact for an exponential decline.
    expectClose(m.aucToInfinity()!, 20_000, relativeTolerance: 1e-9)
    let exactToEnd = 20_000 * (1 - Double.exp(-0.5 * 24))
    expectClose(m.aucToInfinity(from: exactToEnd)!, 20_000, relativeTolerance: 1e-9)
    expectClose(m.thresholds[0].timeAbove, Double.log(10) / 0.5, relativeTolerance: 1e-5)
    expectClose(m.thresholds[0].fallsBelow!, Double.log(10) / 0.5, relativeTolerance: 1e-5)
    #expect(m.thresholds[1].timeAbove == 0 && m.thresholds[1].fallsBelow == nil)
    expectClose(m.trough!, c.last!, relativeTolerance: 0)
  }

  /// First-order absorption (ka 2 /h, k 0.5 /h): Tmax = ln(ka/k)/(ka − k), Cmax at it, on a
  /// 0.36-s grid (the grid's resolution is the tolerance for Tmax).
  @Test func oralTmaxAndCmax() {
    let (ka, k) = (2.0, 0.5)
    let step = 0.0001
    let times = (0...120_000).map { Double($0) * step }
    let c = times.map { 1000 * ka / (ka - k) * (Double.exp(-k * $0) - Double.exp(-ka * $0)) }
    let m = ExposureMetrics(times: times, concentrations: c, lastDose: 0)
    let tmax = Double.log(ka / k) / (ka - k)
    #expect(abs(m.tmax - tmax) <= step)
    let cmax = 1000 * ka / (ka - k) * (Double.exp(-k * tmax) - Double.exp(-ka * tmax))
    expectClose(m.cmax, cmax, relativeTolerance: 1e-8)
    // The best-fit rule takes every point within 1e-4 of the best adjusted R², so its terminal
    // points still carry a little of e^(−ka·t): λz within 1 % of k, and AUC0–∞ (=
    // 1000·ka/(ka − k)·(1/k − 1/ka) = 2000), whose extrapolated part is tiny, within 1e-4.
    expectClose(m.terminal!.lambda, k, relativeTolerance: 0.01)
    expectClose(m.aucToInfinity()!, 2000, relativeTolerance: 1e-4)
  }

  /// A curve still rising at the end has no terminal phase: nil, not a number.
  @Test func noTerminalPhase() {
    let times = (0...10).map { Double($0) }
    let m = ExposureMetrics(times: times, concentrations: times.map { 1 - Double.exp(-$0) }, lastDose: 0)
    #expect(m.terminal == nil && m.aucToInfinity() == nil)
  }
}
