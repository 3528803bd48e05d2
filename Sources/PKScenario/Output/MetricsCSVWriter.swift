import PKCore

/// Writes exposure metrics as CSV, one metric per row, each with its unit and how it was
/// computed:
///
/// ```text
/// output,metric,value,unit,method
/// ketamine,cmax,2345.6,ng/mL,largest value on the output grid
/// ketamine,auc_0_inf,1234.5,ng*h/mL,exact AUC to the end + Clast/lambda_z
/// ketamine,half_life_terminal,NA,h,not estimable: fewer than three falling points after Cmax
/// ketamine,time_above_700,14.65,min,time above 700 ng/mL; crossings interpolated linearly
/// ketamine,falls_below_awakening_low_640,17.28,min,last time the curve falls below 640 ng/mL (...)
/// ```
/// A metric that cannot be computed is `NA` with the reason, never a number. Each threshold
/// level gives `time_above_<stem>` and `falls_below_<stem>`: the stem is the concentration in
/// ng/mL (`750`), or for a landmark band its name, edge and concentration (`awakening_low_640`,
/// `awakening_high_750`; `Threshold.stems`).
public struct MetricsCSVWriter: Sendable {
  public var digits: Int?

  public init(digits: Int? = nil) { self.digits = digits }

  /// The CSV for `metrics` of each output (with the exact AUC to the end where the engine gave
  /// one), times in `grid`'s unit; `thresholds` name the metrics' threshold levels (nil: plain
  /// concentrations).
  public func render(
    outputs: [Output], metrics: [ExposureMetrics], exactAUC: [Double?], grid: OutputGrid,
    thresholds: [Threshold]? = nil
  ) -> String {
    let unit = grid.unit.symbol
    let f = CSVWriter(digits: digits)
    func time(_ h: Double) -> String { f.format(h / grid.unit.hours) }
    var out = "output,metric,value,unit,method\n"
    func row(_ o: Output, _ metric: String, _ value: String, _ unit: String, _ method: String) {
      out += "\(o.name),\(metric),\(value),\(unit),\(method.replacingOccurrences(of: ",", with: ";"))\n"
    }
    for (k, o) in outputs.enumerated() {
      let m = metrics[k]
      row(o, "cmax", f.format(m.cmax), "ng/mL", "largest value on the output grid")
      row(o, "tmax", time(m.tmax), unit, "first time of the largest value on the output grid")
      if let trough = m.trough {
        row(o, "trough", f.format(trough), "ng/mL", "smallest value after the last dose")
      } else {
        row(o, "trough", "NA", "ng/mL", "not available: no output time after the last dose")
      }
      row(o, "auc_0_end", f.format(m.aucToEnd), "ng*h/mL", "linear-up/log-down trapezoid on the output grid")
      if let exact = exactAUC[k] {
        row(o, "auc_0_end_exact", f.format(exact), "ng*h/mL", "exact integral from the engine")
      }
      if let t = m.terminal {
        let fit =
          "log-linear regression on the last \(t.points) points (adjusted R2 \(CSVWriter(digits: 6).format(t.adjustedR2)))"
        row(o, "lambda_z", f.format(t.lambda), "1/h", fit)
        row(o, "half_life_terminal", f.format(t.halfLife), "h", "ln 2 / lambda_z")
        row(o, "auc_0_inf", f.format(m.aucToInfinity()!), "ng*h/mL", "auc_0_end + Clast/lambda_z")
        if let exact = exactAUC[k] {
          row(
            o, "auc_0_inf_exact", f.format(m.aucToInfinity(from: exact)!), "ng*h/mL",
            "auc_0_end_exact + Clast/lambda_z")
        }
      } else {
        let why =
          "not estimable: no falling terminal phase of three or more positive points after Cmax; extend --until"
        for (metric, u) in [("lambda_z", "1/h"), ("half_life_terminal", "h"), ("auc_0_inf", "ng*h/mL")] {
          row(o, metric, "NA", u, why)
        }
      }
      let named = thresholds ?? m.thresholds.map { Threshold.level($0.concentration) }
      let stems = named.flatMap { $0.stems(f.format) }
      let phrases = named.flatMap { $0.phrases(f.format) }
      precondition(stems.count == m.thresholds.count, "One threshold level per measured threshold.")
      for (j, th) in m.thresholds.enumerated() {
        let (stem, c) = (stems[j], phrases[j])
        row(
          o, "time_above_\(stem)", time(th.timeAbove), unit,
          "time above \(c); crossings interpolated linearly")
        if let t = th.fallsBelow {
          row(o, "falls_below_\(stem)", time(t), unit, "last time the curve falls below \(c)")
        } else {
          let why =
            m.cmax <= th.concentration
            ? "never above \(c)" : "still above \(c) at the end; extend --until"
          row(o, "falls_below_\(stem)", "NA", unit, why)
        }
      }
    }
    return out
  }
}
