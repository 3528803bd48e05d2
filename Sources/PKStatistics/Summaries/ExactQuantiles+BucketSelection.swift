extension ExactQuantiles {
  /// The order statistics x_r (0-based, ascending) for `ranks` (ascending, distinct, each below
  /// `values.count`), found by narrowing each rank to one bucket of a histogram and selecting
  /// only inside the buckets that hold a wanted rank; nil when the values' range is not a
  /// positive finite number (infinite values, or a range too small to divide), for the caller
  /// to fall back on quickselect.
  ///
  /// ```
  /// b(x) = min(round((x − min) · B/(max − min)), B − 1)      (B buckets of equal width)
  /// ```
  /// b is non-decreasing in x in floating point too (a subtraction, a multiplication by a
  /// positive constant and rounding to an integer are all monotone under round-to-nearest), so
  /// every value of bucket b is ≤ every value of bucket b + 1: the histogram's prefix counts
  /// give each rank's bucket and its rank within the bucket exactly, and the order statistic
  /// found inside the bucket is the one a full sort would put there. Three passes over the values (range, bucket counts, gathering the
  /// few wanted buckets) instead of a quickselect's repeated partitions; the result does not
  /// depend on the order of the values. The idea is that of distributive partitioning
  /// (Dobosiewicz W, Inf Process Lett 1978;7(1):1-6) applied to selection.
  ///
  /// - Complexity: O(N + B) time, N bytes · 2 + B · 8 of scratch memory.
  static func _bucketOrderStatistics(_ values: UnsafeBufferPointer<Double>, ranks: [Int]) -> [Double]? {
    let n = values.count
    guard n > 0, let first = ranks.first, let last = ranks.last, first >= 0, last < n else { return nil }
    // The range in four lanes (one comparison chain each), then across them: with one chain
    // each value waited on the comparison before it. The values are not NaN, so the result
    // does not depend on the lanes.
    var lows = SIMD4<Double>(repeating: values[0])
    var highs = lows
    var i = 0
    while i &+ 4 <= n {
      let x = SIMD4<Double>(values[i], values[i &+ 1], values[i &+ 2], values[i &+ 3])
      lows = lows.replacing(with: x, where: x .< lows)
      highs = highs.replacing(with: x, where: x .> highs)
      i &+= 4
    }
    while i < n {
      lows[0] = Swift.min(lows[0], values[i])
      highs[0] = Swift.max(highs[0], values[i])
      i &+= 1
    }
    let low = lows.min()
    let high = highs.max()
    if low == high { return ranks.map { _ in low } }
    let bucketCount = Swift.min(4096, Swift.max(16, n / 2))
    let scale = Double(bucketCount) / (high - low)
    guard (high - low).isFinite, scale.isFinite, scale > 0 else { return nil }
    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: bucketCount + 1)
    let bucketOf = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: n)
    // A wanted bucket's slot, or −1 (32 bits: half the cache lines of Int).
    let slotOf = UnsafeMutableBufferPointer<Int32>.allocate(capacity: bucketCount)
    defer {
      counts.deallocate()
      bucketOf.deallocate()
      slotOf.deallocate()
    }
    counts.initialize(repeating: 0)
    let top = bucketCount - 1
    // round(f) for 0 ≤ f ≤ B < 2⁵¹ from the low bits of f + 2⁵² (rounded to nearest by the
    // addition itself): no conversion with its range checks.
    let magic = 0x1p52
    for i in 0..<n {
      let f = (values[i] - low) * scale
      let b = Swift.min(Int(truncatingIfNeeded: (f + magic).bitPattern & 0xFFFF), top)
      bucketOf[i] = UInt16(truncatingIfNeeded: b)
      counts[b] &+= 1
    }
    // counts[b] becomes the number of values in buckets before b (prefix sums).
    var before = 0
    for b in 0...bucketCount {
      let c = counts[b]
      counts[b] = before
      before += c
    }
    // Each rank's bucket; the wanted buckets in ascending order with their gather offsets.
    var wanted: [(bucket: Int, start: Int, count: Int, offset: Int)] = []
    var rankBucket: [Int] = []
    var b = 0
    var gathered = 0
    for r in ranks {
      while counts[b + 1] <= r { b += 1 }
      if wanted.last?.bucket != b {
        let size = counts[b + 1] - counts[b]
        wanted.append((b, counts[b], size, gathered))
        gathered += size
      }
      rankBucket.append(wanted.count - 1)
    }
    slotOf.initialize(repeating: -1)
    for (slot, w) in wanted.enumerated() { slotOf[w.bucket] = Int32(slot) }
    var fill = wanted.map(\.offset)
    var pool = [Double](repeating: 0, count: gathered)
    var result = [Double](repeating: 0, count: ranks.count)
    pool.withUnsafeMutableBufferPointer { p in
      for i in 0..<n {
        let slot = Int(slotOf[Int(bucketOf[i])])
        if slot >= 0 {
          p[fill[slot]] = values[i]
          fill[slot] += 1
        }
      }
      // Within each wanted bucket, select its wanted ranks (positions in the pool).
      var k = 0
      for (slot, w) in wanted.enumerated() {
        var positions: [Int] = []
        var owners: [Int] = []
        while k < ranks.count && rankBucket[k] == slot {
          positions.append(w.offset + ranks[k] - w.start)
          owners.append(k)
          k += 1
        }
        _select(p, ranks: positions[...], from: w.offset, to: w.offset + w.count)
        for (q, position) in zip(owners, positions) { result[q] = p[position] }
      }
    }
    return result
  }
}
