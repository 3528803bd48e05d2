/// The bookkeeping of the adaptive methods' stiffness tests (Hairer & Wanner, Solving ODEs II,
/// 2nd ed. (1996), §IV.2, as in Hairer's DOPRI5): each check is positive when the step is held
/// near the edge of the method's stability region (h·λ̂ above the method's bound).
///
/// ```
/// positive: negatives ← 0, positives += 1, fire when positives = 15
/// negative: negatives += 1, positives ← 0 when negatives = 6
/// ```
@usableFromInline
enum _StiffnessCount {
  /// Records one check; returns whether the test fires (the fifteenth positive check in a row,
  /// counting across at most five negative ones).
  @inlinable @inline(__always)
  static func record(_ positive: Bool, positives: inout Int, negatives: inout Int) -> Bool {
    if positive {
      negatives = 0
      positives += 1
      return positives == 15
    }
    negatives += 1
    if negatives == 6 { positives = 0 }
    return false
  }
}
