import Foundation
import Testing

@testable import PKStatistics

/// Percentiles by selection equal those of a full sort, bit for bit, on random samples with
/// ties, duplicates and every size from 1 up.
@Suite struct ExactQuantilesSelectionTests {
  /// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): a seeded stream of test values.
  static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @Test func selectionEqualsSorting() {
    var state: UInt64 = 42
    func next() -> UInt64 { Self.splitMix(&state) }
    let ps: [Double] = [95, 5, 50, 25, 75, 0, 100, 99.9, 0.1, 33.3]
    for n in Array(1...40) + [97, 1000, 10_001] {
      for ties in [false, true] {
        let values = (0..<n).map { _ in
          ties ? Double(next() % 7) : Double(next() >> 11) / 9_007_199_254_740_992 * 1000
        }
        var work = values
        let selected = ExactQuantiles.percentiles(ps, selectingIn: &work)
        let exact = ExactQuantiles(values)
        for (k, p) in ps.enumerated() {
          #expect(selected[k] == exact.percentile(p), "n \(n), ties \(ties), p \(p)")
        }
        #expect(work.sorted() == values.sorted(), "selection keeps the values")
      }
    }
    var empty: [Double] = []
    #expect(ExactQuantiles.percentiles([50], selectingIn: &empty)[0].isNaN)
  }

  /// The histogram narrowing (from 256 values on) on the samples that could trip it: skewed
  /// over many decades, infinities (quickselect then), signed zeros and subnormals, a range that
  /// overflows, a range too small to divide, a few distinct values, negative values.
  @Test func bucketNarrowingEqualsSorting() {
    var state: UInt64 = 7
    func uniform() -> Double { Double(Self.splitMix(&state) >> 11) / 9_007_199_254_740_992 }
    let ps: [Double] = [5, 25, 50, 75, 95, 0, 100, 0.1, 99.9, 50.05]
    let samples: [(String, (Int) -> Double)] = [
      ("log-normal over 17 decades", { _ in exp(40 * uniform() - 20) }),
      ("with infinities", { i in i % 97 == 0 ? (i % 2 == 0 ? .infinity : -.infinity) : uniform() }),
      ("signed zeros and subnormals", { i in [0.0, -0.0, 0x1p-1074, -0x1p-1074, 0x1p-1030][i % 5] }),
      ("range overflows", { i in i % 2 == 0 ? 1.7e308 * uniform() : -1.7e308 * uniform() }),
      ("range too small to divide", { i in i % 3 == 0 ? 0x1p-1074 : 0x1p-1073 }),
      ("three values", { i in Double(i % 3) }),
      ("negative, one outlier", { i in i == 17 ? 1e12 : -uniform() }),
    ]
    for (name, draw) in samples {
      for n in [255, 256, 257, 1000, 10_000, 40_001] {
        let values = (0..<n).map(draw)
        var work = values
        let selected = ExactQuantiles.percentiles(ps, selectingIn: &work)
        let exact = ExactQuantiles(values)
        for (k, p) in ps.enumerated() {
          let e = exact.percentile(p)
          #expect(selected[k] == e || (selected[k].isNaN && e.isNaN), "\(name), n \(n), p \(p)")
        }
      }
    }
  }
}
