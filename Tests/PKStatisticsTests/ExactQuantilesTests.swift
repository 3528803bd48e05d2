import PKStatistics
import RealModule
import Testing
import _PKTestSupport

/// `ExactQuantiles`: Hyndman & Fan type 7 percentiles, as R's `quantile()` and NumPy's
/// `percentile()` compute them by default.
@Suite struct ExactQuantilesTests {
  /// R: `quantile(1:10, c(.05, .25, .5, .75, .95))` prints 1.45 3.25 5.50 7.75 9.55
  /// (h = 9p: 0.45, 2.25, 4.5, 6.75, 8.55, and consecutive integers differ by 1).
  @Test func matchesRForOneToTen() {
    let q = ExactQuantiles((1...10).map(Double.init).reversed())
    let ps = [5.0, 25, 50, 75, 95]
    expectClose(ps.map(q.percentile), [1.45, 3.25, 5.5, 7.75, 9.55], relativeTolerance: 4 * .ulpOfOne)
  }

  /// NumPy: `np.percentile([1, 2, 3, 4], 40)` is 2.2 (h = 1.2); `np.percentile([10, 20, 30, 40,
  /// 50], 90)` is 46 (h = 3.6); R gives the same.
  @Test func matchesNumPyExamples() {
    expectClose(ExactQuantiles([4, 1, 3, 2]).percentile(40), 2.2, relativeTolerance: 4 * .ulpOfOne)
    expectClose(ExactQuantiles([50, 10, 40, 20, 30]).percentile(90), 46, relativeTolerance: 4 * .ulpOfOne)
  }

  /// p = 0 and p = 100 give the exact extremes, p on an order statistic gives it exactly, and a
  /// single value is every percentile.
  @Test func endpointsAndExactRanks() {
    let q = ExactQuantiles([3.5, -2, 7.25, 0.125, 9])
    #expect(q.percentile(0) == -2)
    #expect(q.percentile(100) == 9)
    #expect(q.percentile(50) == 3.5)  // h = 2
    #expect(q.percentile(25) == 0.125)  // h = 1
    for p in [0.0, 1, 50, 99.9, 100] { #expect(ExactQuantiles([4.5]).percentile(p) == 4.5) }
    #expect(ExactQuantiles([]).percentile(50).isNaN)
    #expect(q.count == 5)
  }

  /// Against a direct computation on `sorted()`, written as (1 − f)·x_j + f·x_{j+1}.
  @Test func matchesDirectSort() {
    var g = SeededGenerator(seed: 11)
    for n in [2, 3, 10, 101, 1000] {
      let values = (0..<n).map { _ in Double.random(in: -50...150, using: &g) }
      let sorted = values.sorted()
      let q = ExactQuantiles(values)
      for p in [0.0, 0.5, 1, 5, 10, 25, 33.3, 50, 66.7, 75, 90, 95, 99, 99.9, 100] {
        let h = Double(n - 1) * p / 100
        let j = Int(h.rounded(.down))
        let f = h - Double(j)
        let expected = j + 1 < n ? (1 - f) * sorted[j] + f * sorted[j + 1] : sorted[j]
        expectClose(
          q.percentile(p), expected, relativeTolerance: 1e-14, absoluteTolerance: 1e-13, "n \(n), p \(p)")
      }
    }
  }

  /// Shuffled inputs, ties, and zeros of both signs give the same Double bit for bit.
  @Test func orderIndependentToTheBit() {
    var g = SeededGenerator(seed: 12)
    let values: [Double] =
      [0.0, -0.0, -0.0, 0.0, 1, 1, 1, -3, 2.5, 2.5, -0.0]
      + (0..<200).map { _ in Double(Int.random(in: -5...5, using: &g)) * 0.25 }
    let reference = ExactQuantiles(values)
    let ps = stride(from: 0.0, through: 100, by: 0.5).map { $0 }
    for _ in 0..<20 {
      let q = ExactQuantiles(values.shuffled(using: &g))
      #expect(q == reference)
      for p in ps { #expect(q.percentile(p).bitPattern == reference.percentile(p).bitPattern, "p \(p)") }
    }
    // Total order puts −0.0 before +0.0.
    #expect(ExactQuantiles([0.0, -0.0]).sortedValues.map(\.sign) == [.minus, .plus])
  }

  /// `percentile(_:ofSorted:)` works on slices of a sorted array.
  @Test func percentileOfSortedSlice() {
    var values = [9.0, 1, 8, 2, 7, 3]
    ExactQuantiles.sort(&values)
    #expect(values == [1, 2, 3, 7, 8, 9])
    let median = ExactQuantiles.percentile(50, ofSorted: values[1...4])  // 2, 3, 7, 8
    expectClose(median, 5, relativeTolerance: 4 * .ulpOfOne)
  }
}
