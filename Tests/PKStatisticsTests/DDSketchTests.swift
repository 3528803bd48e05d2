import Foundation
import PKStatistics
import RealModule
import Testing
import _PKTestSupport

/// `DDSketch`: relative-error percentiles, exact mergeability, compact encoding, bounded memory.
@Suite struct DDSketchTests {
  static let alpha = 0.001
  static let percents: [Double] = [1, 5, 25, 50, 75, 95, 99]
  /// Slack for rounding in the bucket mapping and value (documented as below 10⁻¹³ relative).
  static let roundingSlack = 1e-12

  /// Log-normal values exp(μ + σZ), Z standard normal by Box–Muller from SplitMix64
  /// (`SeededGenerator`), so the sample is the same on every run and platform.
  static func logNormal(_ n: Int, mu: Double = 0.7, sigma: Double = 1, seed: UInt64) -> [Double] {
    var g = SeededGenerator(seed: seed)
    var values: [Double] = []
    values.reserveCapacity(n)
    while values.count < n {
      let u1 = (Double(g.next() >> 11) + 1) * 0x1p-53  // (0, 1]
      let u2 = Double(g.next() >> 11) * 0x1p-53  // [0, 1)
      let r = Double.sqrt(-2 * Double.log(u1))
      let theta = 2 * Double.pi * u2
      values.append(Double.exp(mu + sigma * r * Double.cos(theta)))
      if values.count < n { values.append(Double.exp(mu + sigma * r * Double.sin(theta))) }
    }
    return values
  }

  static let sample = logNormal(100_000, seed: 2019)

  static func sketch(_ values: some Sequence<Double>, alpha: Double = alpha) -> DDSketch {
    var s = DDSketch(relativeAccuracy: alpha)
    for x in values { s.add(x) }
    return s
  }

  /// The order statistics x_j, x_{j+1} that bracket the type-7 percentile.
  static func bracket(_ sorted: [Double], _ p: Double) -> (low: Double, high: Double) {
    let h = Double(sorted.count - 1) * p / 100
    let j = Int(h.rounded(.down))
    return (sorted[j], sorted[Swift.min(j + 1, sorted.count - 1)])
  }

  // MARK: Accuracy

  /// On 100,000 log-normal values each percentile lies in [(1 − α)·x_j, (1 + α)·x_{j+1}], the
  /// α-widened bracket of the exact type-7 percentile.
  @Test(arguments: [0.001, 0.01])
  func percentilesWithinRelativeAccuracyOfExactBracket(alpha: Double) {
    let s = Self.sketch(Self.sample, alpha: alpha)
    let exact = ExactQuantiles(Self.sample)
    #expect(s.count == Self.sample.count)
    for p in Self.percents {
      let (low, high) = Self.bracket(exact.sortedValues, p)
      let q = exact.percentile(p)
      #expect(low <= q && q <= high)
      let v = s.percentile(p)
      let lowerBound = (1 - alpha) * low * (1 - Self.roundingSlack)
      let upperBound = (1 + alpha) * high * (1 + Self.roundingSlack)
      #expect(lowerBound <= v && v <= upperBound, "p \(p): \(v) not in [\(lowerBound), \(upperBound)]")
      // The documented rank: within α of the lower order statistic itself.
      #expect(relativeError(v, low) <= alpha * (1 + Self.roundingSlack), "p \(p)")
    }
  }

  /// Exact extremes at p = 0 and p = 100; NaN while empty.
  @Test func extremesAndEmpty() {
    let s = Self.sketch(Self.sample)
    #expect(s.percentile(0) == Self.sample.min())
    #expect(s.percentile(100) == Self.sample.max())
    #expect(s.minimum == Self.sample.min())
    #expect(DDSketch().percentile(50).isNaN)
    #expect(DDSketch().minimum == nil)
    #expect(DDSketch().isEmpty)
  }

  /// Negative values (mirrored store), exact zeros and subnormals (zero count) mixed with
  /// positive ones: every percentile is within α of the lower order statistic, or 0 when that
  /// statistic is below the minimum indexable value.
  @Test func mixedSignsAndZeros() {
    var g = SeededGenerator(seed: 5)
    let values =
      Self.logNormal(20_000, seed: 6).map { g.next() & 3 == 0 ? -$0 * 1e-3 : $0 }
      + Array(repeating: 0.0, count: 500) + Array(repeating: -0.0, count: 500)
      + [Double.leastNonzeroMagnitude, -0x1p-1030]
    let s = Self.sketch(values)
    #expect(s.zeroCount == 1002)
    let sorted = values.sorted()
    for p in stride(from: 0.0, through: 100, by: 2.5) {
      let (low, _) = Self.bracket(sorted, p)
      let v = s.percentile(p)
      let ok =
        (v - low).magnitude <= Self.alpha * low.magnitude * (1 + Self.roundingSlack)
        || (low.magnitude < s.minimumIndexableValue && v == 0)
      #expect(ok, "p \(p): \(v) vs x_j = \(low)")
    }
  }

  // MARK: Mergeability and order independence

  @Test func mergedSplitsEqualOneSketchInAnyOrder() {
    let whole = Self.sketch(Self.sample)
    let parts = [
      Self.sample[0..<17_000], Self.sample[17_000..<71_234], Self.sample[71_234..<100_000],
    ].map { Self.sketch($0) }
    for order in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
      var merged = DDSketch()
      for i in order { merged.merge(parts[i]) }
      #expect(merged == whole, "merge order \(order)")
      for p in Self.percents { #expect(merged.percentile(p).bitPattern == whole.percentile(p).bitPattern) }
    }
    // Merging into a non-empty sketch and merging an empty one change nothing else.
    var a = parts[2]
    a.merge(parts[0])
    a.merge(DDSketch())
    a.merge(parts[1])
    #expect(a == whole)
  }

  /// Adding runs of values at once gives the sketch of adding them one by one: positive runs,
  /// negatives, zeros, subnormals, and values that make the store grow at either end.
  @Test func bulkAddEqualsOneByOne() {
    var g = SeededGenerator(seed: 91)
    let values =
      Self.sample.prefix(30_000).map { g.next() % 7 == 0 ? -$0 : $0 }
      + [0, -0.0, 0x1p-1030, 1e-300, 1e300, 5, 5, 5] + Self.sample.suffix(1000)
    var one = DDSketch()
    for x in values { one.add(x) }
    var bulk = DDSketch()
    var start = 0
    for length in [1, 7, 0, 1000, 28_000, 5000] where start < values.count {
      let end = Swift.min(values.count, start + length)
      values[start..<end].withUnsafeBufferPointer { bulk.add(contentsOf: $0) }
      start = end
    }
    values[start...].withUnsafeBufferPointer { bulk.add(contentsOf: $0) }
    #expect(bulk == one)
    #expect(bulk.minimum == one.minimum && bulk.maximum == one.maximum)
    for p in Self.percents { #expect(bulk.percentile(p).bitPattern == one.percentile(p).bitPattern) }
  }

  @Test func anyPermutationOfTheInputsGivesAnEqualSketch() {
    var g = SeededGenerator(seed: 77)
    let whole = Self.sketch(Self.sample)
    for _ in 0..<3 {
      let shuffled = Self.sketch(Self.sample.shuffled(using: &g))
      #expect(shuffled == whole)
    }
    // Sorted ascending and descending grow the stores in opposite directions.
    #expect(Self.sketch(Self.sample.sorted()) == whole)
    #expect(Self.sketch(Self.sample.sorted(by: >)) == whole)
  }

  // MARK: Codable

  @Test func codableRoundTripGivesAnEqualSketch() throws {
    var g = SeededGenerator(seed: 3)
    let mixed = Self.sample.prefix(5000).map { g.next() & 1 == 0 ? -$0 : $0 } + [0, 0]
    for s in [Self.sketch(Self.sample), Self.sketch(mixed), DDSketch(), DDSketch(relativeAccuracy: 0.02)] {
      let data = try JSONEncoder().encode(s)
      let decoded = try JSONDecoder().decode(DDSketch.self, from: data)
      #expect(decoded == s)
      for p in Self.percents {
        #expect(decoded.percentile(p).bitPattern == s.percentile(p).bitPattern)
      }
      // Decoded sketches keep merging like the original.
      var a = decoded
      a.merge(s)
      var b = s
      b.merge(s)
      #expect(a == b)
    }
  }

  @Test func decodingRejectsBadParametersAndCounts() throws {
    let good = #""positive":{"offset":0,"counts":[1]},"negative":{"offset":0,"counts":[]}"#
    let m = #"{"mapping":"cubic","#
    // The well-formed sketch decodes, so each failure below is due to its one bad field.
    let valid =
      m + #""relativeAccuracy":0.01,"minimumIndexableValue":1e-300,"zeroCount":0,"minimum":1,"maximum":1,"#
      + good + "}"
    #expect(try JSONDecoder().decode(DDSketch.self, from: Data(valid.utf8)).count == 1)
    for json in [
      m + #""relativeAccuracy":1.5,"minimumIndexableValue":1e-300,"zeroCount":0,"minimum":1,"maximum":1,"#
        + good
        + "}",
      m + #""relativeAccuracy":0.01,"minimumIndexableValue":0,"zeroCount":0,"minimum":1,"maximum":1,"# + good
        + "}",
      m + #""relativeAccuracy":0.01,"minimumIndexableValue":1e-300,"zeroCount":0,"# + good + "}",
      m + #""relativeAccuracy":0.01,"minimumIndexableValue":1e-300,"zeroCount":0,"minimum":2,"maximum":1,"#
        + good
        + "}",
      m + #""relativeAccuracy":0.01,"minimumIndexableValue":1e-300,"zeroCount":1,"minimum":0,"maximum":1,"#
        + #""positive":{"offset":0,"counts":[18446744073709551615]},"negative":{"offset":0,"counts":[]}}"#,
      // A sketch of the earlier logarithmic mapping (no mapping named), and an unknown mapping.
      #"{"relativeAccuracy":0.01,"minimumIndexableValue":1e-300,"zeroCount":0,"minimum":1,"maximum":1,"#
        + good + "}",
      #"{"mapping":"logarithmic","relativeAccuracy":0.01,"minimumIndexableValue":1e-300,"zeroCount":0,"minimum":1,"maximum":1,"#
        + good + "}",
    ] {
      #expect(throws: DecodingError.self, "\(json)") {
        try JSONDecoder().decode(DDSketch.self, from: Data(json.utf8))
      }
    }
  }

  // MARK: Memory

  /// A million log-normal values need a few thousand counters: memory follows the range of
  /// log x (≈ 10σ / (2α) buckets), not the number of values.
  @Test func memoryFollowsTheRangeNotTheCount() {
    let values = Self.logNormal(1_000_000, seed: 2020)
    let s = Self.sketch(values)
    #expect(s.count == 1_000_000)
    #expect(s.bucketCount < 20_000, "\(s.bucketCount) buckets")
  }

  /// A minimum indexable value bounds the memory when values decay over many decades.
  @Test func minimumIndexableValueBoundsTheRange() {
    var s = DDSketch(minimumIndexableValue: 1e-9)
    var all = DDSketch()
    var below = 0
    for e in stride(from: -300.0, through: 2, by: 0.01) {
      let x = Double.exp10(e)
      s.add(x)
      all.add(x)
      if x < 1e-9 { below += 1 }
    }
    #expect(s.zeroCount == below)
    #expect(below > 29_000)
    #expect(s.bucketCount < all.bucketCount / 20, "\(s.bucketCount) vs \(all.bucketCount)")
    #expect(s.percentile(99).isApproximatelyEqual(to: all.percentile(99), relativeTolerance: 2 * Self.alpha))
  }
}
