import RealModule

/// Exposure metrics of one concentration curve on the output grid (non-compartmental analysis).
///
/// ```
/// Cmax, Tmax            the largest grid value and its first time
/// Ctrough               the smallest value after the last dose
/// AUC0–end              linear trapezoid while C rises or stays, log trapezoid while it falls:
///                       Δt·(C1 − C2)/ln(C1/C2)   (linear-up/log-down)
/// AUC0–∞                AUC0–end + Clast/λz   (λz: `TerminalPhase`)
/// time above c          Σ time with C > c, crossings interpolated linearly
/// time to fall below c  the last downward crossing of c (nil if C never exceeds c, or is above c at the end)
/// ```
/// Times in h, concentrations in ng/mL, areas in ng·h/mL. Gabrielsson & Weiner (2016), ch. 2;
/// Purves RD, J Pharmacokinet Biopharm 1992;20:211-226 (linear-up/log-down).
public struct ExposureMetrics: Sendable {
  public var cmax: Double
  public var tmax: Double
  /// The smallest concentration after the last dose (nil when no grid time follows a dose).
  public var trough: Double?
  /// AUC from the first to the last grid time, linear-up/log-down.
  public var aucToEnd: Double
  /// The terminal phase, or nil when it cannot be estimated.
  public var terminal: TerminalPhase?
  /// The last concentration.
  public var last: Double
  /// Per threshold: (c, hours above c, time it last falls below c).
  public var thresholds: [(concentration: Double, timeAbove: Double, fallsBelow: Double?)]

  /// AUC0–∞ from `aucToEnd` (or from an exact AUC0–end given), or nil when λz is unknown.
  public func aucToInfinity(from aucToEnd: Double? = nil) -> Double? {
    terminal.map { (aucToEnd ?? self.aucToEnd) + last / $0.lambda }
  }

  public init(times: [Double], concentrations c: [Double], lastDose: Double?, thresholds: [Double] = []) {
    precondition(times.count == c.count && !c.isEmpty, "One concentration per time.")
    let peak = c.indices.max { c[$0] < c[$1] }!
    cmax = c[peak]
    tmax = times[peak]
    trough = lastDose.flatMap { d in c.indices.filter { times[$0] > d }.map { c[$0] }.min() }
    var auc = 0.0
    for k in 1..<c.count {
      let dt = times[k] - times[k - 1]
      let (a, b) = (c[k - 1], c[k])
      if b < a && b > 0 && a > 0 {
        auc += dt * (a - b) / Double.log(a / b)
      } else {
        auc += dt * (a + b) / 2
      }
    }
    aucToEnd = auc
    terminal = TerminalPhase(times: times, concentrations: c)
    last = c[c.count - 1]
    self.thresholds = thresholds.map { level in
      var above = 0.0
      var fallsBelow: Double? = nil
      for k in 1..<c.count {
        let (t0, t1, a, b) = (times[k - 1], times[k], c[k - 1], c[k])
        switch (a > level, b > level) {
        case (true, true): above += t1 - t0
        case (true, false):
          let tc = t0 + (a - level) / (a - b) * (t1 - t0)
          above += tc - t0
          fallsBelow = tc
        case (false, true):
          let tc = t0 + (level - a) / (b - a) * (t1 - t0)
          above += t1 - tc
        case (false, false): break
        }
      }
      if c[c.count - 1] > level { fallsBelow = nil }
      return (level, above, fallsBelow)
    }
  }
}
