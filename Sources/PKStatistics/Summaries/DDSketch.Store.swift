extension DDSketch {
  /// Bucket counts for one sign: a dense array of `UInt64` starting at bucket index `offset`.
  ///
  /// ```
  /// count of bucket i = counts[i − offset]   for offset ≤ i < offset + counts.count, else 0
  /// ```
  /// The array grows (with slack, so that growth is rare) only when an index falls outside it, so
  /// adding never allocates otherwise. Memory is O(maxIndex − minIndex), the range of the
  /// logarithms seen, never O(number of values). Equality and encoding look only at the buckets
  /// from `minIndex` to `maxIndex`, never at the slack.
  struct Store: Sendable {
    /// The bucket index of `counts[0]`.
    var offset = 0
    /// The counts, including empty slack buckets at both ends.
    var counts: [UInt64] = []
    /// The lowest bucket index with a nonzero count (`Int.max` while empty).
    var minIndex = Int.max
    /// The highest bucket index with a nonzero count (`Int.min` while empty).
    var maxIndex = Int.min
    /// The sum of the counts.
    var total: UInt64 = 0

    /// Whether no value has been counted.
    var isEmpty: Bool { total == 0 }

    /// Counts one more value in bucket `index`.
    mutating func add(index: Int) {
      if index < offset || index >= offset + counts.count { reserve(index, index) }
      counts[index - offset] += 1
      total += 1
      if index < minIndex { minIndex = index }
      if index > maxIndex { maxIndex = index }
    }

    /// Adds the counts of `other`, bucket by bucket.
    mutating func merge(_ other: Store) {
      if other.isEmpty { return }
      reserve(other.minIndex, other.maxIndex)
      for i in other.minIndex...other.maxIndex {
        counts[i - offset] += other.counts[i - other.offset]
      }
      total += other.total
      minIndex = Swift.min(minIndex, other.minIndex)
      maxIndex = Swift.max(maxIndex, other.maxIndex)
    }

    /// The count of bucket `index` (0 outside the array).
    func count(at index: Int) -> UInt64 {
      let i = index - offset
      return i >= 0 && i < counts.count ? counts[i] : 0
    }

    /// Grows `counts` so that it covers the bucket indices `low…high`, with slack of at least 32
    /// buckets or a quarter of the current length on each side that grows (geometric growth, so
    /// a range of R buckets costs O(log R) reallocations and at most about 1.5·R + 64 counters).
    mutating func reserve(_ low: Int, _ high: Int) {
      if counts.isEmpty {
        let slack = 32
        offset = low - slack
        counts = Array(repeating: 0, count: high - low + 1 + 2 * slack)
        return
      }
      let currentHigh = offset + counts.count - 1
      if low >= offset && high <= currentHigh { return }
      let slack = Swift.max(32, counts.count / 4)
      let newLow = low < offset ? low - slack : offset
      let newHigh = high > currentHigh ? high + slack : currentHigh
      var grown = [UInt64](repeating: 0, count: newHigh - newLow + 1)
      let shift = offset - newLow
      for i in counts.indices { grown[i + shift] = counts[i] }
      counts = grown
      offset = newLow
    }
  }
}

extension DDSketch.Store: Equatable {
  /// Equal when every bucket holds the same count, whatever the slack around them.
  static func == (lhs: DDSketch.Store, rhs: DDSketch.Store) -> Bool {
    guard lhs.total == rhs.total else { return false }
    if lhs.isEmpty { return true }
    guard lhs.minIndex == rhs.minIndex && lhs.maxIndex == rhs.maxIndex else { return false }
    for i in lhs.minIndex...lhs.maxIndex where lhs.counts[i - lhs.offset] != rhs.counts[i - rhs.offset] {
      return false
    }
    return true
  }
}
