/// Whether a run of values is all finite, in one pass without a branch per value.
///
/// ```
/// x·0 = ±0 for a finite x, NaN for x = ±∞ or NaN;   Σ x·0 is NaN  ⇔  some x is not finite
/// ```
/// summed in four running probes, so that the additions do not wait on one another. The record
/// engine probes its output blocks with it and a population each subject's concentrations; the
/// row or value that failed is searched for only when the probe is NaN.
public enum FinitenessProbe {
  /// Whether the `count` values from `values` are all finite.
  @inlinable
  public static func allFinite(_ values: UnsafePointer<Double>, count: Int) -> Bool {
    var probes: (Double, Double, Double, Double) = (0, 0, 0, 0)
    var i = 0
    while i &+ 4 <= count {
      probes.0 += values[i] * 0
      probes.1 += values[i &+ 1] * 0
      probes.2 += values[i &+ 2] * 0
      probes.3 += values[i &+ 3] * 0
      i &+= 4
    }
    while i < count {
      probes.0 += values[i] * 0
      i &+= 1
    }
    return !((probes.0 + probes.1) + (probes.2 + probes.3)).isNaN
  }
}
