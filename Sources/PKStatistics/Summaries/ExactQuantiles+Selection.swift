extension ExactQuantiles {
  /// The p-th percentiles (type 7) of `values` found by selection instead of a full sort: from
  /// 256 values on, each needed order statistic x_j (and x_{j+1}) is narrowed to one bucket of a
  /// histogram and selected inside it (`_bucketOrderStatistics`, three passes); otherwise, and
  /// for values with an infinite range, they are put in place together by a multiple
  /// quickselect (Hoare's FIND recursing only into the parts that hold a wanted rank,
  /// median-of-three pivots, three-way partitions), O(N log k) on average for k ranks rather
  /// than O(N log N). The result equals `percentile(p, ofSorted:)` of the sorted values (an order
  /// statistic does not depend on how it was found); a zero result is returned as +0.0, so the
  /// sign of a zero cannot depend on the order of the values either.
  ///
  /// Hoare CAR, "Algorithm 65: FIND", Commun ACM 1961;4(7):321-322.
  ///
  /// - Parameters:
  ///   - ps: percentiles in percent, 0 … 100, in any order.
  ///   - values: the values, none NaN; they may be reordered in place.
  /// - Returns: one value per percentile, in the order of `ps`; NaN for an empty `values`.
  public static func percentiles(_ ps: [Double], selectingIn values: inout [Double]) -> [Double] {
    values.withUnsafeMutableBufferPointer { percentiles(ps, selectingIn: $0) }
  }

  /// The p-th percentiles (type 7) of the values in `values`, which may be reordered in place:
  /// `percentiles(_:selectingIn:)` for memory the caller owns (a block of a larger buffer,
  /// with no copy into an array).
  public static func percentiles(_ ps: [Double], selectingIn values: UnsafeMutableBufferPointer<Double>)
    -> [Double]
  {
    let n = values.count
    guard n > 0 else { return ps.map { _ in .nan } }
    precondition(ps.allSatisfy { $0 >= 0 && $0 <= 100 }, "A percentile must lie in 0…100.")
    let ranks = ps.map { _rank(percent: $0, count: n) }
    var needed = Set<Int>()
    for (j, fraction) in ranks {
      needed.insert(j)
      if fraction != 0 && j < n - 1 { needed.insert(j + 1) }
    }
    let wanted = needed.sorted()
    // Large samples: narrow each rank to a histogram bucket first (three passes); quickselect
    // where that cannot be used (short samples, infinite values).
    if n >= _bucketSelectionMinimum,
      let statistics = _bucketOrderStatistics(UnsafeBufferPointer(values), ranks: wanted)
    {
      let at = Dictionary(uniqueKeysWithValues: zip(wanted, statistics))
      return ranks.map { j, fraction in
        _type7(at[j]!, fraction == 0 || j == n - 1 ? nil : at[j + 1]!, fraction) + 0
      }
    }
    _select(values, ranks: wanted[...], from: 0, to: n)
    return ranks.map { j, fraction in
      _type7(values[j], fraction == 0 || j == n - 1 ? nil : values[j + 1], fraction) + 0
    }
  }

  /// The sample size from which `percentiles(_:selectingIn:)` narrows ranks with a histogram.
  static let _bucketSelectionMinimum = 256

  /// x_j + fraction·(x_{j+1} − x_j) as `percentile(_:ofSorted:)` computes it, from the order
  /// statistics x_j and x_{j+1} (nil when x_j alone is the answer).
  static func _type7(_ xj: Double, _ next: Double?, _ fraction: Double) -> Double {
    guard let xNext = next else { return xj }
    if xj == xNext { return xj }
    let difference = xNext - xj
    if difference.isFinite { return xj + fraction * difference }
    return (1 - fraction) * xj + fraction * xNext
  }

  /// Reorders v[lower..<upper] so that for every rank r in `ranks` (ascending, within the
  /// range) v[r] is the value of that rank, with no larger value before it and no smaller one
  /// after it.
  static func _select(
    _ v: UnsafeMutableBufferPointer<Double>, ranks: ArraySlice<Int>, from lower: Int, to upper: Int
  ) {
    guard let first = ranks.first, let last = ranks.last, upper - lower > 1 else { return }
    if upper - lower <= 16 {
      // Insertion sort for short ranges.
      for i in (lower + 1)..<upper {
        let x = v[i]
        var j = i - 1
        while j >= lower && v[j] > x {
          v[j + 1] = v[j]
          j -= 1
        }
        v[j + 1] = x
      }
      return
    }
    var lo = lower
    var hi = upper - 1
    // Median of three as the pivot.
    let mid = lo + (hi - lo) / 2
    if v[mid] < v[lo] { v.swapAt(mid, lo) }
    if v[hi] < v[lo] { v.swapAt(hi, lo) }
    if v[mid] < v[hi] { v.swapAt(mid, hi) }
    let pivot = v[hi]
    // Three-way partition: [lower, lo) < pivot, [lo, hi] == pivot, (hi, upper) > pivot.
    var i = lo
    while i <= hi {
      let x = v[i]
      if x < pivot {
        v.swapAt(i, lo)
        lo += 1
        i += 1
      } else if x > pivot {
        v.swapAt(i, hi)
        hi -= 1
      } else {
        i += 1
      }
    }
    if first < lo {
      let below = ranks.prefix { $0 < lo }
      _select(v, ranks: below, from: lower, to: lo)
    }
    if last > hi {
      let above = ranks.drop { $0 <= hi }
      _select(v, ranks: above, from: hi + 1, to: upper)
    }
  }
}
