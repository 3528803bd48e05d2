import Foundation
import PKStatistics
import Testing
import _PKTestSupport

/// `ExactSum`: exact, correctly rounded, order-independent summation.
///
/// Exactness is the point here, so results are compared bit for bit (`bitPattern`), not with a
/// tolerance.
@Suite struct ExactSumTests {
  /// The correctly rounded sum by an independent method: Shewchuk's error-free partials
  /// (J. R. Shewchuk, "Adaptive precision floating-point arithmetic and fast robust geometric
  /// predicates", Discrete Comput. Geom. 1997;18:305–363), rounded half-way-correctly as in
  /// Python's `math.fsum`. Valid while no partial overflows (inputs well below 2¹⁰²³).
  static func referenceSum(_ values: [Double]) -> Double {
    var partials: [Double] = []
    for value in values {
      var x = value
      var i = 0
      for j in partials.indices {
        var y = partials[j]
        if x.magnitude < y.magnitude { swap(&x, &y) }
        let hi = x + y
        let lo = y - (hi - x)
        if lo != 0 {
          partials[i] = lo
          i += 1
        }
        x = hi
      }
      partials.removeSubrange(i...)
      partials.append(x)
    }
    guard var n = partials.indices.last else { return 0 }
    var hi = partials[n]
    var lo = 0.0
    while n > 0 {
      let x = hi
      n -= 1
      let y = partials[n]
      hi = x + y
      lo = y - (hi - x)
      if lo != 0 { break }
    }
    // If the rest continues in the direction of `lo`, a tie in `hi + lo` is not a tie.
    if n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0)) {
      let y = lo * 2
      let x = hi + y
      if y == x - hi { hi = x }
    }
    return hi
  }

  /// Finite doubles with random signs, exponents over most of the range (subnormals included,
  /// magnitudes below 2⁹⁰⁰ so that the reference cannot overflow) and random significands.
  static func wideValues(_ n: Int, seed: UInt64) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<n).map { _ in
      let exponent = UInt64.random(in: 0...1923, using: &g)
      let fraction = g.next() & ((1 << 52) - 1)
      let sign: UInt64 = g.next() & 1 == 0 ? 0 : 1 << 63
      return Double(bitPattern: sign | exponent << 52 | fraction)
    }
  }

  /// Values that cancel almost entirely: pairs ±x at many scales plus a few small remainders.
  static func cancellingValues(_ n: Int, seed: UInt64) -> [Double] {
    var g = SeededGenerator(seed: seed)
    var values: [Double] = []
    for _ in 0..<(n / 2) {
      let x =
        Double.random(in: 1...2, using: &g)
        * Double(sign: .plus, exponent: Int.random(in: -60...60, using: &g), significand: 1)
      values.append(x)
      values.append(-x)
    }
    for _ in 0..<5 { values.append(Double.random(in: -1...1, using: &g) * 0x1p-70) }
    return values
  }

  static func naiveSum(_ values: [Double]) -> Double { values.reduce(0, +) }

  static func expectBitEqual(
    _ actual: Double, _ expected: Double, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(
      actual.bitPattern == expected.bitPattern,
      "\(comment.map { "\($0): " } ?? "")\(actual) (\(actual.bitPattern)) vs \(expected) (\(expected.bitPattern))",
      sourceLocation: sourceLocation)
  }

  // MARK: Known answers

  /// 1e16 + 1 − 1e16 is 1, and 10,000 × fl(0.1) = 1000 + 5.55·10⁻¹⁴ exactly, so the sum rounds to
  /// 1001; naive left-to-right addition loses the 1 (1e16 + 1 rounds to 1e16) and accumulates
  /// the error of 0.1 as well.
  @Test func cancellationOfLargeTermsKeepsTheSmallOnes() {
    let values = [1e16, 1, -1e16] + Array(repeating: 0.1, count: 10_000)
    #expect(Self.naiveSum(values) != 1001)
    Self.expectBitEqual(ExactSum(values).value, 1001)
  }

  /// 1000 rounds of (1e300, 1e-300, −1e300): the huge terms cancel and the sum is
  /// 1000 · fl(1e-300), which a single correctly rounded multiplication gives.
  @Test func alternatingHugeAndTinyTerms() {
    var values: [Double] = []
    for _ in 0..<1000 { values += [1e300, 1e-300, -1e300] }
    #expect(Self.naiveSum(values) != 1000 * 1e-300)
    Self.expectBitEqual(ExactSum(values).value, 1000 * 1e-300)
    Self.expectBitEqual(ExactSum(values.map { -$0 }).value, -1000 * 1e-300)
  }

  /// Subnormal terms are summed exactly, including across the subnormal/normal boundary.
  @Test func subnormals() {
    let tiny = Double.leastNonzeroMagnitude
    Self.expectBitEqual(ExactSum(Array(repeating: tiny, count: 1000)).value, 1000 * tiny)
    Self.expectBitEqual(ExactSum([Double.leastNormalMagnitude.nextDown, tiny]).value, .leastNormalMagnitude)
    Self.expectBitEqual(
      ExactSum([Double.leastNormalMagnitude, -tiny]).value, Double.leastNormalMagnitude.nextDown)
    Self.expectBitEqual(ExactSum([1, tiny, -1]).value, tiny)
    Self.expectBitEqual(ExactSum([-tiny]).value, -tiny)
  }

  /// Ties round to even; anything beyond the tie, however far below, rounds away.
  @Test func roundsToNearestEven() {
    let two53 = 0x1p53
    Self.expectBitEqual(ExactSum([two53, 1]).value, two53)  // tie, 2⁵³ is even
    Self.expectBitEqual(ExactSum([two53, 1, 0x1p-1000]).value, two53 + 2)  // just above the tie
    Self.expectBitEqual(ExactSum([two53, 1, -0x1p-1000]).value, two53)  // just below it
    Self.expectBitEqual(ExactSum([two53 + 2, 1]).value, two53 + 4)  // tie, 2⁵³ + 4 is even
    Self.expectBitEqual(ExactSum([-two53, -1]).value, -two53)
    Self.expectBitEqual(ExactSum([-two53 - 2, -1]).value, -two53 - 4)
    Self.expectBitEqual(ExactSum([1, 0x1p-53]).value, 1)  // tie below 1 + ulp
    Self.expectBitEqual(ExactSum([1, 0x1p-53, Double.leastNonzeroMagnitude]).value, 1 + 0x1p-52)
    // A round-up that carries into the exponent: (2⁵³ − 1) + 1/2 ties to 2⁵³.
    Self.expectBitEqual(ExactSum([two53 - 1, 0.5]).value, two53)
  }

  /// Signs, zeros, and sums that leave the range of finite doubles.
  @Test func signsZerosAndOverflow() {
    let max = Double.greatestFiniteMagnitude
    Self.expectBitEqual(ExactSum().value, 0)
    Self.expectBitEqual(ExactSum([-0.0, -0.0]).value, 0)  // documented: an exact zero is +0.0
    Self.expectBitEqual(ExactSum([1, -2]).value, -1)
    Self.expectBitEqual(ExactSum([3, -3]).value, 0)
    Self.expectBitEqual(ExactSum([max, max, -max]).value, max)
    Self.expectBitEqual(ExactSum([max, max]).value, .infinity)
    Self.expectBitEqual(ExactSum([-max, -max]).value, -.infinity)
    // max + ulp(max)/2 is a tie between max (odd significand) and 2¹⁰²⁴: rounds to infinity.
    Self.expectBitEqual(ExactSum([max, 0x1p970]).value, .infinity)
    Self.expectBitEqual(ExactSum([max, 0x1p969]).value, max)
    var many = ExactSum()
    for _ in 0..<1000 { many.add(max) }
    for _ in 0..<999 { many.add(-max) }
    Self.expectBitEqual(many.value, max)
  }

  /// Random values over the whole exponent range, and heavily cancelling ones, against the
  /// independent reference.
  @Test(arguments: [1 as UInt64, 2, 3])
  func matchesIndependentReference(seed: UInt64) {
    for values in [Self.wideValues(2000, seed: seed), Self.cancellingValues(2000, seed: seed)] {
      let expected = Self.referenceSum(values)
      let actual = ExactSum(values).value
      if expected == 0 {
        #expect(actual == 0)
      } else {
        Self.expectBitEqual(actual, expected)
      }
    }
  }

  /// `add(contentsOf:)` (the limbs held open) gives the same state as one `add(_:)` per value,
  /// over the whole exponent range including subnormals and ±0.0 (c₂ = 0 at shift 0).
  @Test func bulkAddEqualsOneByOne() {
    let values =
      Self.wideValues(3000, seed: 5) + Self.cancellingValues(3000, seed: 6)
      + [0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, 1, 0x1p-1022, 0x1.fffffffffffffp-1022]
    var one = ExactSum()
    for x in values { one.add(x) }
    var bulk = ExactSum()
    bulk.add(contentsOf: values[..<1000])
    bulk.add(contentsOf: values[1000...])
    #expect(bulk == one)
    Self.expectBitEqual(bulk.value, Self.referenceSum(values))
  }

  /// `add(contentsOf:)` from a buffer (two levels of error-free extraction for values near the
  /// largest, the remainders one by one) gives the state of one `add(_:)` per value:
  /// concentration-like columns, columns with values far below the largest (nonzero
  /// remainders), signs that cancel, zeros and subnormals, runs longer than one extraction run,
  /// a full run of the largest values of one sign (the bound that keeps the extracted sums
  /// exact), values at the edges of binades, lengths that leave a tail of 1 … 3 values, and the
  /// plain path at both ends of the exponent range.
  @Test func bufferAddEqualsOneByOne() {
    var g = SeededGenerator(seed: 9)
    var columns: [[Double]] = []
    // Concentrations: a few powers of two, positive; with zeros; longer than one extraction run.
    columns.append((0..<40_000).map { _ in Double.random(in: 0.01...2000, using: &g) })
    columns.append((0..<5_000).map { k in k % 7 == 0 ? 0 : Double.random(in: 1e-3...1e3, using: &g) })
    // Values far below the largest (below the window), and cancelling pairs.
    columns.append(
      (0..<5_000).map { k in
        let x =
          Double.random(in: 1...2, using: &g) * Double(sign: .plus, exponent: k % 90 - 60, significand: 1)
        return k % 2 == 0 ? x : -x
      })
    columns.append(Self.cancellingValues(6_000, seed: 10))
    columns.append(Self.wideValues(6_000, seed: 11))
    // Subnormals and ±0 with normal values; tiny sums (plain path); huge values (plain path).
    columns.append([0, -0.0, .leastNonzeroMagnitude, 0x1p-1022, -0x1.8p-1030, 1e-300, 3.5, -2.25])
    columns.append((0..<1_000).map { _ in Double.random(in: -1...1, using: &g) * 0x1p-1040 })
    columns.append((0..<1_000).map { _ in Double.random(in: -1...1, using: &g) * 0x1p1000 })
    columns.append([.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0x1p990, 1])
    columns.append([])
    // A full run (2¹⁴) of the largest significand below a power of two, each sign, and one
    // value more (a second run); the binade's edges and halfway points in a tail of 1 … 3.
    for sign in [1.0, -1.0] {
      columns.append(Array(repeating: sign * 0x1.fffffffffffffp3, count: (1 << 14) + 1))
    }
    let edges: [Double] = [
      0x1p4, 0x1.fffffffffffffp3, 0x1.0000000000001p-20, 0x1.fffffffffffffp-24, 0x1p-24,
      0x1.8000000000001p-38, -0x1.7ffffffffffffp-38, 0x1p-60, -0x1.fffffffffffffp-61,
    ]
    for extra in 0..<4 { columns.append(Array(edges.prefix(4 + extra)) + edges.prefix(extra)) }
    // Random significands with exponents 0 … 60 below the largest: remainders in some runs.
    columns.append(
      (0..<9_999).map { k in
        let x =
          Double.random(in: 1..<2, using: &g) * Double(sign: .plus, exponent: -(k % 61), significand: 1)
        return k % 3 == 0 ? -x : x
      })
    for (c, column) in columns.enumerated() {
      var one = ExactSum()
      for x in column { one.add(x) }
      var bulk = ExactSum()
      column.withUnsafeBufferPointer { bulk.add(contentsOf: $0) }
      #expect(bulk == one, "column \(c)")
      Self.expectBitEqual(bulk.value, one.value, "column \(c)")
      if column.allSatisfy({ $0.magnitude < 0x1p1000 }) {
        Self.expectBitEqual(bulk.value, Self.referenceSum(column), "column \(c)")
      }
    }
  }

  // MARK: Order independence and merging

  @Test func anyOrderAndAnySplitGiveTheSameBits() {
    var g = SeededGenerator(seed: 42)
    let values = Self.wideValues(3000, seed: 7) + Self.cancellingValues(3000, seed: 8)
    let whole = ExactSum(values)
    let expected = whole.value
    Self.expectBitEqual(expected, Self.referenceSum(values))
    for trial in 0..<10 {
      let shuffled = values.shuffled(using: &g)
      Self.expectBitEqual(ExactSum(shuffled).value, expected, "shuffle \(trial)")
      // Split at random cut points into 1 … 8 shards, sum each, merge in a random order.
      let cuts = (0..<Int.random(in: 0...7, using: &g)).map { _ in
        Int.random(in: 0...shuffled.count, using: &g)
      }
      let bounds = [0] + cuts.sorted() + [shuffled.count]
      var shards = (0..<(bounds.count - 1)).map { ExactSum(shuffled[bounds[$0]..<bounds[$0 + 1]]) }
      shards.shuffle(using: &g)
      var merged = ExactSum()
      for shard in shards { merged.merge(shard) }
      Self.expectBitEqual(merged.value, expected, "split \(trial)")
      #expect(merged == whole)
    }
  }

  /// Many additions of the largest magnitudes (limbs filling towards their bounds) stay exact.
  @Test func manyLargeAdditionsStayExact() {
    let max = Double.greatestFiniteMagnitude
    var sum = ExactSum()
    for i in 0..<200_000 { sum.add(i.isMultiple(of: 2) ? max : -max.nextDown) }
    // 100,000 · (max − max.nextDown) = 100,000 · 2⁹⁷¹.
    Self.expectBitEqual(sum.value, 100_000 * 0x1p971)
  }

  // MARK: Codable

  @Test func codableRoundTripIsExactAndCompact() throws {
    for values in [[], [1e16, 1, -1e16], [-1.0], Self.wideValues(500, seed: 9)] {
      let sum = ExactSum(values)
      let data = try JSONEncoder().encode(sum)
      let decoded = try JSONDecoder().decode(ExactSum.self, from: data)
      #expect(decoded == sum)
      Self.expectBitEqual(decoded.value, sum.value)
    }
    let one = try JSONEncoder().encode(ExactSum([1.0]))
    // 1 = 2¹⁰⁷⁴ · 2⁻¹⁰⁷⁴: bit 1074 = limb 33, bit 18.
    #expect(String(decoding: one, as: UTF8.self) == #"{"limbs":[[33,262144]]}"#)
  }

  @Test func decodingRejectsNonCanonicalLimbs() {
    for json in [
      #"{"limbs":[[67,1]]}"#, #"{"limbs":[[3,-1]]}"#, #"{"limbs":[[3,4294967296]]}"#,
      #"{"limbs":[[4,1],[3,1]]}"#, #"{"limbs":[[4]]}"#,
    ] {
      #expect(throws: DecodingError.self, "\(json)") {
        try JSONDecoder().decode(ExactSum.self, from: Data(json.utf8))
      }
    }
  }
}
