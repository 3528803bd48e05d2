/// A fully mergeable quantile sketch whose percentiles have a guaranteed relative accuracy.
///
/// Values are counted in logarithmic buckets; the magnitudes in one bucket have a ratio of at
/// most γ, and the bucket stands for the value that is within α of all of them:
/// ```
/// γ = (1 + α) / (1 − α)
/// i(x) = ⌈m · ℓ(x)⌉                          (x ≥ minimumIndexableValue)
/// ℓ(x) ≈ log₂ x, cubic between powers of two, m = 7 / (10 ln γ)   (see `_index(_:)`)
/// v(i) = 2·lo·hi / (lo + hi)                  |v(i) − x| ≤ α·x  for every x in (lo, hi]
/// ```
/// Positive values go to one bucket store, negative values to a mirrored store of their
/// magnitudes, and values with |x| < `minimumIndexableValue` (including ±0.0) to a zero count.
/// Each store is a dense array of `UInt64` counts with an offset, grown only when a new bucket
/// index falls outside it. The exact minimum and maximum are kept as well.
///
/// ## Mathematical properties
/// - Order-independent and exactly mergeable: the state is a function of the multiset of values
///   alone (counts per bucket, zero count, minimum, maximum), so adding values in any order, in
///   any batches, or to shards that are `merge(_:)`d later gives sketches that are `==`, and the
///   same percentiles bit for bit. The bucket index is computed with a logarithm built from IEEE
///   754 +, −, ×, ÷ only (no platform `log`), so it is also the same on every platform.
/// - Accuracy: `percentile(p)` is within relative error α of the exact order statistic x_j at the
///   0-based rank j = ⌊(N − 1) · p / 100⌋ (see `percentile(_:)`), up to rounding of order 10⁻¹³
///   relative; that is, |result − x_j| ≤ α·|x_j|. When |x_j| < `minimumIndexableValue` (x_j
///   counted as zero), |result − x_j| < `minimumIndexableValue` instead.
///
/// Reference: C. Masson, J. E. Rim, H. K. Lee, "DDSketch: a fast and fully-mergeable quantile
/// sketch with relative-error guarantees", PVLDB 2019;12(12):2195–2205 (the unbounded dense
/// store, without bucket collapsing, and the cubically interpolated index mapping of Datadog's
/// implementations).
///
/// - Complexity: `add(_:)` is O(1) and allocates only when the range of bucket indices grows;
///   memory is O(range of log|x|) = O(ln(max|x| / min|x|) / α) counters, independent of the
///   number of values (a million log-normal values with σ = 1 at α = 0.001 span about 4,800
///   buckets, held in under 6,000 counters, 48 kB, with the growth slack). `merge(_:)` and
///   `percentile(_:)` are O(number of buckets).
public struct DDSketch: Sendable, Equatable {
  /// The relative accuracy α of every percentile.
  public let relativeAccuracy: Double
  /// The smallest magnitude that gets a bucket; smaller magnitudes count as zero.
  public let minimumIndexableValue: Double
  /// m = 7 / (10 · ln γ), γ = (1 + α) / (1 − α): buckets per unit of the interpolated log₂
  /// (`_index(_:)`), from the portable `_logarithm` so that it is the same on every platform.
  let _multiplier: Double
  /// The counts of the positive values.
  var _positive = Store()
  /// The counts of the magnitudes of the negative values.
  var _negative = Store()
  /// The number of values with |x| < `minimumIndexableValue`.
  var _zeroCount: UInt64 = 0
  /// The smallest value added (+infinity while empty); −0.0 is recorded as +0.0.
  var _minimum = Double.infinity
  /// The largest value added (−infinity while empty); −0.0 is recorded as +0.0.
  var _maximum = -Double.infinity

  /// Creates an empty sketch.
  ///
  /// - Parameters:
  ///   - relativeAccuracy: α, the relative error allowed in every percentile; 0.001 (0.1 %) by
  ///     default, well below the precision of any concentration assay, at about 1,160 buckets
  ///     per factor of 10 in the values.
  ///   - minimumIndexableValue: magnitudes below this count as zero (in the units of the
  ///     values); by default the smallest normal double, so that only subnormal values and
  ///     zeros do. A larger value (such as a limit far below any concentration of interest)
  ///     bounds the memory when values may decay towards zero over many orders of magnitude.
  /// - Precondition: 0 < α < 1, and `minimumIndexableValue` is finite and at least
  ///   `Double.leastNormalMagnitude`.
  public init(relativeAccuracy: Double = 0.001, minimumIndexableValue: Double = .leastNormalMagnitude) {
    precondition(
      relativeAccuracy > 0 && relativeAccuracy < 1,
      "DDSketch needs a relative accuracy in (0, 1), got \(relativeAccuracy).")
    precondition(
      minimumIndexableValue.isFinite && minimumIndexableValue >= .leastNormalMagnitude,
      "DDSketch needs a finite minimumIndexableValue ≥ \(Double.leastNormalMagnitude), got \(minimumIndexableValue)."
    )
    let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    precondition(gamma > 1, "DDSketch: relative accuracy \(relativeAccuracy) is too small to resolve.")
    self.relativeAccuracy = relativeAccuracy
    self.minimumIndexableValue = minimumIndexableValue
    // Two units up: rounding in m must not widen a bucket beyond γ.
    _multiplier = (7 / (10 * Self._logarithm(gamma))).nextUp.nextUp
  }

  /// The number of values added.
  public var count: Int { Int(_positive.total + _negative.total + _zeroCount) }

  /// The number of values counted as zero: those with |x| < `minimumIndexableValue`.
  public var zeroCount: Int { Int(_zeroCount) }

  /// Whether no value has been added.
  public var isEmpty: Bool { count == 0 }

  /// The smallest value added, or nil while empty.
  public var minimum: Double? { isEmpty ? nil : _minimum }

  /// The largest value added, or nil while empty.
  public var maximum: Double? { isEmpty ? nil : _maximum }

  /// The number of bucket counters allocated (8 bytes each), including slack; a measure of the
  /// memory the sketch holds.
  public var bucketCount: Int { _positive.counts.count + _negative.counts.count }

  /// Counts `x`.
  ///
  /// ```
  /// |x| < minimumIndexableValue → zero count;  x > 0 → positive bucket i(x);
  /// x < 0 → negative bucket i(|x|)
  /// ```
  /// - Precondition: `x` is finite.
  public mutating func add(_ x: Double) {
    precondition(x.isFinite, "DDSketch.add needs a finite value, got \(x).")
    let magnitude = x.magnitude
    if magnitude < minimumIndexableValue {
      _zeroCount += 1
    } else if x > 0 {
      _positive.add(index: _index(magnitude))
    } else {
      _negative.add(index: _index(magnitude))
    }
    let canonical = x == 0 ? 0 : x
    if canonical < _minimum { _minimum = canonical }
    if canonical > _maximum { _maximum = canonical }
  }

  /// Counts every value of `values`: the same sketch as `add(_:)` for each, with the positive
  /// store's counters held open over each run of positive values whose buckets it already has
  /// (the usual case once a time point has seen a few subjects); any other value (zero, negative,
  /// or needing the store to grow) goes through `add(_:)`.
  ///
  /// - Precondition: every value is finite.
  public mutating func add(contentsOf values: UnsafeBufferPointer<Double>) {
    let n = values.count
    let multiplier = _multiplier
    let smallest = minimumIndexableValue
    var i = 0
    while i < n {
      let offset = _positive.offset
      var lowest = _positive.minIndex
      var highest = _positive.maxIndex
      var minimum = _minimum
      var maximum = _maximum
      let start = i
      _positive.counts.withUnsafeMutableBufferPointer { counts in
        while i < n {
          let x = values[i]
          guard x >= smallest && x < .infinity else { break }
          let index = Self._index(x, multiplier: multiplier)
          let slot = index &- offset
          guard slot >= 0 && slot < counts.count else { break }
          counts[slot] &+= 1
          if index < lowest { lowest = index }
          if index > highest { highest = index }
          if x < minimum { minimum = x }
          if x > maximum { maximum = x }
          i &+= 1
        }
      }
      _positive.total += UInt64(i - start)
      _positive.minIndex = lowest
      _positive.maxIndex = highest
      _minimum = minimum
      _maximum = maximum
      if i < n {
        add(values[i])
        i += 1
      }
    }
  }

  /// Adds every value counted by `other`, so that the result is `==` to one sketch of all the
  /// values.
  ///
  /// - Precondition: both sketches have the same `relativeAccuracy` and
  ///   `minimumIndexableValue`.
  public mutating func merge(_ other: DDSketch) {
    precondition(
      relativeAccuracy == other.relativeAccuracy
        && minimumIndexableValue == other.minimumIndexableValue,
      "DDSketch.merge needs sketches with the same relativeAccuracy and minimumIndexableValue.")
    _positive.merge(other._positive)
    _negative.merge(other._negative)
    _zeroCount += other._zeroCount
    _minimum = Swift.min(_minimum, other._minimum)
    _maximum = Swift.max(_maximum, other._maximum)
  }

  /// The p-th percentile, within relative error α of the order statistic at 0-based rank
  /// ⌊(N − 1) · p / 100⌋; NaN while empty.
  ///
  /// The rank is the paper's r = q(N − 1) with q = p/100, rounded down: the result estimates
  /// the lower of the two order statistics that Hyndman & Fan type 7 (`ExactQuantiles`)
  /// interpolates between,
  /// ```
  /// j = ⌊(N − 1) · p / 100⌋   (the same expression as ExactQuantiles)
  /// result = v(i) for the first bucket i, in increasing value order (negative buckets from the
  ///          largest magnitude down, then the zero count, then positive buckets up), whose
  ///          cumulative count exceeds j; then clamped to [minimum, maximum]
  /// result = minimum for j = 0 and maximum for j = N − 1 (kept exactly)
  /// ```
  /// So |result − x_j| ≤ α·|x_j|. For positive values (1 − α)·x_j ≤ result ≤ (1 + α)·x_j ≤
  /// (1 + α)·x_{j+1}: the result is within α of the bracket [x_j, x_{j+1}] that holds the type-7
  /// percentile, though not necessarily within α of the interpolated value itself. The lowest and
  /// highest ranks (p = 0, p = 100, and any p with (N − 1)·p/100 < 1) give the exact extremes.
  ///
  /// - Parameter p: the percentile in percent, 0 … 100.
  /// - Precondition: 0 ≤ p ≤ 100.
  public func percentile(_ p: Double) -> Double {
    precondition(p >= 0 && p <= 100, "A percentile must lie in 0…100, got \(p).")
    let n = count
    guard n > 0 else { return .nan }
    let rank = ExactQuantiles._rank(percent: p, count: n).index
    if rank == 0 { return _minimum }
    if rank == n - 1 { return _maximum }
    return Swift.min(Swift.max(_value(atRank: UInt64(rank)), _minimum), _maximum)
  }

  /// The bucket value of the order statistic at 0-based `rank` (< count), before clamping.
  func _value(atRank rank: UInt64) -> Double {
    var cumulative: UInt64 = 0
    if !_negative.isEmpty {
      for i in stride(from: _negative.maxIndex, through: _negative.minIndex, by: -1) {
        cumulative += _negative.count(at: i)
        if cumulative > rank { return -_bucketValue(i) }
      }
    }
    cumulative += _zeroCount
    if cumulative > rank { return 0 }
    if !_positive.isEmpty {
      for i in _positive.minIndex..._positive.maxIndex {
        cumulative += _positive.count(at: i)
        if cumulative > rank { return _bucketValue(i) }
      }
    }
    preconditionFailure("DDSketch: rank \(rank) is beyond the count \(count).")
  }
}
