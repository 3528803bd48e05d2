extension ExactQuantiles {
  /// The p-th percentiles (type 7) of `values` found by selection instead of a full sort: each
  /// needed order statistic x_j (and x_{j+1}) is put in place by Hoare's FIND (quickselect,
  /// median-of-three pivots), O(N) on average for all of them together rather than
  /// O(N log N). The result equals `percentile(p, ofSorted:)` of the sorted values (an order
  /// statistic does not depend on how it was found); a zero result is returned as +0.0, so the
  /// sign of a zero cannot depend on the order of the values either.
  ///
  /// Hoare CAR, "Algorithm 65: FIND", Commun ACM 1961;4(7):321-322.
  ///
  /// - Parameters:
  ///   - ps: percentiles in percent, 0 … 100, in any order.
  ///   - values: the values, none NaN; reordered in place.
  /// - Returns: one value per percentile, in the order of `ps`; NaN for an empty `values`.
  public static func percentiles(_ ps: [Double], selectingIn values: inout [Double]) -> [Double] {
    let n = values.count
    guard n > 0 else { return ps.map { _ in .nan } }
    precondition(ps.allSatisfy { $0 >= 0 && $0 <= 100 }, "A percentile must lie in 0…100.")
    let ranks = ps.map { _rank(percent: $0, count: n) }
    var needed = Set<Int>()
    for (j, fraction) in ranks {
      needed.insert(j)
      if fraction != 0 && j < n - 1 { needed.insert(j + 1) }
    }
    values.withUnsafeMutableBufferPointer { v in
      var lower = 0
      for r in needed.sorted() {
        _select(v, rank: r, from: lower, to: n)
        lower = r + 1
      }
    }
    return ranks.map { j, fraction in _type7(values, j, fraction) + 0 }
  }

  /// x_j + fraction·(x_{j+1} − x_j) as `percentile(_:ofSorted:)` computes it, with x_j and
  /// x_{j+1} in place.
  static func _type7(_ values: [Double], _ j: Int, _ fraction: Double) -> Double {
    let xj = values[j]
    if fraction == 0 || j == values.count - 1 { return xj }
    let xNext = values[j + 1]
    if xj == xNext { return xj }
    let difference = xNext - xj
    if difference.isFinite { return xj + fraction * difference }
    return (1 - fraction) * xj + fraction * xNext
  }

  /// Reorders v[lower..<upper] so that v[rank] is the value of that rank within it, with no
  /// larger value before it and no smaller one after it.
  static func _select(_ v: UnsafeMutableBufferPointer<Double>, rank: Int, from lower: Int, to upper: Int) {
    var lo = lower
    var hi = upper - 1
    while hi > lo {
      // Median of three as the pivot, moved to hi.
      let mid = lo + (hi - lo) / 2
      if v[mid] < v[lo] { v.swapAt(mid, lo) }
      if v[hi] < v[lo] { v.swapAt(hi, lo) }
      if v[mid] < v[hi] { v.swapAt(mid, hi) }
      let pivot = v[hi]
      // Three-way partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot.
      var lt = lo
      var gt = hi
      var i = lo
      while i <= gt {
        if v[i] < pivot {
          v.swapAt(i, lt)
          lt += 1
          i += 1
        } else if v[i] > pivot {
          v.swapAt(i, gt)
          gt -= 1
        } else {
          i += 1
        }
      }
      if rank < lt {
        hi = lt - 1
      } else if rank > gt {
        lo = gt + 1
      } else {
        return
      }
    }
  }
}
