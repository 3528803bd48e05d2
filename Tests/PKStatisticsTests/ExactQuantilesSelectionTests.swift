import Testing

@testable import PKStatistics

/// Percentiles by selection equal those of a full sort, bit for bit, on random samples with
/// ties, duplicates and every size from 1 up.
@Suite struct ExactQuantilesSelectionTests {
  @Test func selectionEqualsSorting() {
    var state: UInt64 = 42
    func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
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
}
