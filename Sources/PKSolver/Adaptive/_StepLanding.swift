/// The landing rule of the adaptive steppers: a step that would reach the stop time, or leave
/// a sliver before it, is stretched or cut to land on it exactly.
///
/// ```
/// h = min(proposed, T − t);   lands ⇔ h ≥ (T − t)(1 − 1e-12)  or  (T − t) − h < 1e-10·max(1, |T|)
/// ```
/// where T is the stop time (a dose or the end): no step crosses it, and none leaves a step of
/// rounding size behind it.
@usableFromInline
enum _StepLanding {
  /// The step from `time` towards `target` when `proposed` is the method's choice, and whether
  /// it lands on `target` (then it is exactly the remaining span).
  @inlinable @inline(__always)
  static func step(_ proposed: Double, from time: Double, to target: Double) -> (h: Double, lands: Bool) {
    let remaining = target - time
    var h = Swift.min(proposed, remaining)
    let lands = h >= remaining * (1 - 1e-12) || remaining - h < 1e-10 * Swift.max(1, abs(target))
    if lands { h = remaining }
    return (h, lands)
  }

  /// Whether `time` has reached the stop time `target` within rounding (16 ulps), so that no
  /// step is taken towards it.
  @inlinable @inline(__always)
  static func reached(_ time: Double, _ target: Double) -> Bool {
    let span = target - time
    return span <= 16 * Swift.max(target.magnitude.ulp, span.magnitude.ulp)
  }
}
