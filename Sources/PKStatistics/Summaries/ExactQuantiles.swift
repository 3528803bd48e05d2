/// Exact percentiles of a finite sample, by linear interpolation between order statistics
/// (Hyndman & Fan type 7: R's default, NumPy's `method="linear"`).
///
/// With the values sorted ascending, x₀ ≤ x₁ ≤ … ≤ x_{N−1} (0-based):
/// ```
/// h = (N − 1) · p / 100,   j = ⌊h⌋
/// Q(p) = x_j + (h − j) · (x_{j+1} − x_j)     (Q(p) = x_j when h = j, in particular at p = 100)
/// ```
/// so Q(0) is the minimum, Q(50) the usual median and Q(100) the maximum.
///
/// Values are sorted in IEEE 754 total order (−0.0 before +0.0), so the sorted array, and hence
/// every percentile, is the same Double bit for bit whatever order the values came in.
///
/// Reference: R. J. Hyndman, Y. Fan, "Sample quantiles in statistical packages", The American
/// Statistician 1996;50(4):361–365, definition 7.
///
/// - Complexity: O(N log N) to create; O(1) per percentile.
public struct ExactQuantiles: Sendable, Equatable {
  /// The values in ascending IEEE 754 total order.
  public let sortedValues: [Double]

  /// Sorts `values` (a copy, unless the caller passes its only reference) and keeps them.
  ///
  /// - Precondition: no value is NaN.
  public init(_ values: [Double]) {
    var values = values
    Self.sort(&values)
    sortedValues = values
  }

  /// The number of values.
  public var count: Int { sortedValues.count }

  /// The p-th percentile by Hyndman & Fan type 7 (see the type's documentation); NaN when there
  /// are no values.
  ///
  /// - Parameter p: the percentile in percent, 0 … 100.
  public func percentile(_ p: Double) -> Double {
    Self.percentile(p, ofSorted: sortedValues)
  }

  /// The p-th percentile (Hyndman & Fan type 7) of values already in ascending order; NaN when
  /// `sorted` is empty.
  ///
  /// Use this when the values were sorted with `sort(_:)`; any other ascending order gives the
  /// same result except, possibly, for the sign of a zero.
  ///
  /// - Parameters:
  ///   - p: the percentile in percent, 0 … 100.
  ///   - sorted: the values in ascending order.
  /// - Precondition: 0 ≤ p ≤ 100.
  public static func percentile<C: RandomAccessCollection<Double>>(_ p: Double, ofSorted sorted: C)
    -> Double where C.Index == Int
  {
    precondition(p >= 0 && p <= 100, "A percentile must lie in 0…100, got \(p).")
    let n = sorted.count
    guard n > 0 else { return .nan }
    let (j, fraction) = _rank(percent: p, count: n)
    let xj = sorted[sorted.startIndex + j]
    if fraction == 0 || j == n - 1 { return xj }
    let xNext = sorted[sorted.startIndex + j + 1]
    if xj == xNext { return xj }
    let difference = xNext - xj
    if difference.isFinite { return xj + fraction * difference }
    // Values of opposite sign near the overflow threshold: interpolate without the difference.
    return (1 - fraction) * xj + fraction * xNext
  }

  /// Sorts `values` in place in IEEE 754 total order (ascending, −0.0 before +0.0), the order
  /// `percentile(_:ofSorted:)` expects.
  ///
  /// - Precondition: no value is NaN.
  public static func sort(_ values: inout [Double]) {
    precondition(!values.contains(where: \.isNaN), "Percentiles need values that are not NaN.")
    values.sort { !$1.isTotallyOrdered(belowOrEqualTo: $0) }
  }

  /// The 0-based rank of the p-th percentile among `count` values, split into the lower order
  /// statistic's index and the interpolation fraction:
  /// ```
  /// h = (count − 1) · p / 100,   j = min(⌊h⌋, count − 1),   fraction = h − j
  /// ```
  /// `DDSketch` uses the same expression, so that both pick the same order statistic x_j.
  static func _rank(percent p: Double, count: Int) -> (index: Int, fraction: Double) {
    let h = Double(count - 1) * p / 100
    let j = Swift.min(Int(h.rounded(.down)), count - 1)
    return (j, h - Double(j))
  }
}
