/// Whether a run of values is all finite, in one pass without a branch per value.
///
/// ```
/// x·0 = ±0 for a finite x, NaN for x = ±∞ or NaN;   Σ x·0 is NaN  ⇔  some x is not finite
/// ```
/// summed eight values at a time in one vector probe (four independent vector additions on
/// SSE2), so that the additions do not wait on one another. The record engine probes its
/// output blocks with it and a population each subject's concentrations; the row or value that
/// failed is searched for only when the probe is NaN.
public enum FinitenessProbe {
  /// Whether the `count` values from `values` are all finite.
  @inlinable
  public static func allFinite(_ values: UnsafePointer<Double>, count: Int) -> Bool {
    var probe = SIMD8<Double>()
    let raw = UnsafeRawPointer(values)
    var i = 0
    while i &+ 8 <= count {
      probe += raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Double>.self) * 0
      i &+= 8
    }
    var rest = 0.0
    while i < count {
      rest += values[i] * 0
      i &+= 1
    }
    return !(probe.sum() + rest).isNaN
  }
}
