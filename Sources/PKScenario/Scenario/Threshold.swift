/// A concentration a curve is measured against (`--threshold`, a scenario's `thresholds:`): one
/// level, or a named landmark band, whose two edges are each a level.
///
/// ```
/// .level(c)            time above c; time the curve last falls below c
/// .landmark(lo … hi)   the same for lo and for hi
/// ```
/// Concentrations in ng/mL. `ExposureMetrics` measures the levels, `MetricsCSVWriter` names
/// their rows, `SVGPlot` draws a level as a line and a landmark as a shaded band.
public enum Threshold: Sendable, Equatable {
  /// A single concentration, in ng/mL.
  case level(Double)
  /// A named band of concentrations, measured at both edges.
  case landmark(Landmark)
}
