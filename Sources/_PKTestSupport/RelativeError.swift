import RealModule

/// The relative difference of two numbers, |a − b| / max(|a|, |b|).
///
/// ```
/// e(a, b) = |a − b| / max(|a|, |b|),   e(0, 0) = 0
/// ```
///
/// It is 0 when both are zero and 1 when exactly one is zero, so a reference value of exactly 0
/// is only matched by exactly 0 (the convention `isApproximatelyEqual(to:absoluteTolerance:
/// relativeTolerance:)` follows with an absolute tolerance of 0). NaN in either gives NaN.
public func relativeError(_ a: Double, _ b: Double) -> Double {
  let scale = Swift.max(a.magnitude, b.magnitude)
  if scale.isZero { return 0 }
  return (a - b).magnitude / scale
}

/// The largest element-wise `relativeError` of two equally long arrays, and where it occurs.
///
/// - Returns: the worst error and its index; (0, nil) for empty arrays, and (NaN, index) as soon
///   as an element is NaN, so that NaN is never hidden by `max`.
public func maxRelativeError(_ a: [Double], _ b: [Double]) -> (error: Double, index: Int?) {
  precondition(
    a.count == b.count, "maxRelativeError needs arrays of equal length (\(a.count) vs \(b.count)).")
  var worst = 0.0
  var worstIndex: Int? = nil
  for i in a.indices {
    let e = relativeError(a[i], b[i])
    if e.isNaN { return (e, i) }
    if worstIndex == nil || e > worst {
      worst = e
      worstIndex = i
    }
  }
  return (worst, worstIndex)
}

/// The largest element-wise |a − b|, and where it occurs.
public func maxAbsoluteError(_ a: [Double], _ b: [Double]) -> (error: Double, index: Int?) {
  precondition(
    a.count == b.count, "maxAbsoluteError needs arrays of equal length (\(a.count) vs \(b.count)).")
  var worst = 0.0
  var worstIndex: Int? = nil
  for i in a.indices {
    let e = (a[i] - b[i]).magnitude
    if e.isNaN { return (e, i) }
    if worstIndex == nil || e > worst {
      worst = e
      worstIndex = i
    }
  }
  return (worst, worstIndex)
}
