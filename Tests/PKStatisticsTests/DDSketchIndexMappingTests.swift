import Testing
import _PKTestSupport

@testable import PKStatistics

/// The cubically interpolated index mapping of `DDSketch`: the slope bound its multiplier rests
/// on, buckets no wider than γ, bucket values within α of every magnitude they hold, and indices
/// that never decrease as x grows.
@Suite struct DDSketchIndexMappingTests {
  static let a = DDSketch._cubicA
  static let b = DDSketch._cubicB
  static let c = DDSketch._cubicC

  /// ℓ is exact at powers of two and continuous across them: the cubic is 0 at s = 0 and 1 at
  /// s = 1.
  @Test func interpolationIsExactAtPowersOfTwo() {
    #expect(((Self.a + Self.b) + Self.c) == 1)
    for e in [-1022, -300, -1, 0, 1, 7, 300, 1023] {
      let x = Double(sign: .plus, exponent: e, significand: 1)
      #expect(DDSketch._log2Interpolation(x) == Double(e))
    }
  }

  /// d ℓ / d ln x = (1 + s)·(3A s² + 2B s + C) = (18s³ − 24s² + 8s + 50)/35 ≥ 10/7 on [0, 1],
  /// with equality at s = 0 and s = 2/3 (the roots of the derivative are 2/9, a maximum, and
  /// 2/3, a minimum): the bound behind m = 7 / (10 ln γ).
  @Test func slopeInLogarithmIsAtLeastTenSevenths() {
    var smallest = Double.infinity
    for k in 0...100_000 {
      let s = Double(k) / 100_000
      let slope = (1 + s) * ((3 * Self.a * s + 2 * Self.b) * s + Self.c)
      smallest = Swift.min(smallest, slope)
    }
    #expect(smallest >= 10.0 / 7 * (1 - 1e-14))
    #expect(abs(smallest - 10.0 / 7) < 1e-12)
  }

  /// For every bucket from 10⁻¹² to 10¹²: hi/lo ≤ γ, and the bucket's value is within α of both
  /// ends (so of every magnitude between them).
  @Test(arguments: [0.001, 0.01, 0.05])
  func bucketsAreNoWiderThanGamma(alpha: Double) {
    let sketch = DDSketch(relativeAccuracy: alpha)
    let gamma = (1 + alpha) / (1 - alpha)
    let first = sketch._index(1e-12)
    let last = sketch._index(1e12)
    var worst = 0.0
    for i in first...last {
      let lo = DDSketch._log2InterpolationInverse(Double(i - 1) / sketch._multiplier)
      let hi = DDSketch._log2InterpolationInverse(Double(i) / sketch._multiplier)
      #expect(lo < hi)
      #expect(hi / lo <= gamma * (1 + 1e-13), "bucket \(i): \(hi / lo) > γ = \(gamma)")
      let v = sketch._bucketValue(i)
      worst = Swift.max(worst, relativeError(v, lo), relativeError(v, hi))
    }
    #expect(worst <= alpha * (1 + 1e-12), "worst relative error \(worst)")
    #expect(worst >= alpha * 0.99, "buckets much narrower than needed: \(worst)")
  }

  /// Random magnitudes over 600 decades, and runs of consecutive doubles around bucket
  /// boundaries: x lies in its bucket (up to rounding), its bucket value is within α, and the
  /// index never decreases as x grows.
  @Test func valuesFallInTheirBucketAndIndicesAreMonotone() {
    let alpha = 0.001
    let sketch = DDSketch(relativeAccuracy: alpha)
    var g = SeededGenerator(seed: 42)
    var xs: [Double] = []
    for _ in 0..<200_000 {
      let e = Int(g.next() % 2000) - 1000
      let significand = 1 + Double(g.next() >> 12) * 0x1p-52
      xs.append(Double(sign: .plus, exponent: e, significand: significand))
    }
    for i in stride(from: sketch._index(1e-6), to: sketch._index(1e6), by: 97) {
      var x = DDSketch._log2InterpolationInverse(Double(i) / sketch._multiplier)
      for _ in 0..<8 { x = x.nextDown }
      for _ in 0..<16 {
        xs.append(x)
        x = x.nextUp
      }
    }
    xs.sort()
    var previous = Int.min
    for x in xs {
      let i = sketch._index(x)
      #expect(i >= previous, "index decreased at \(x)")
      previous = i
      #expect(relativeError(sketch._bucketValue(i), x) <= alpha * (1 + 1e-12), "x = \(x)")
    }
  }

  /// The ceiling by truncation equals ⌈y⌉ for both signs, integers and values next to them.
  @Test func indexIsTheCeilingOfTheScaledInterpolation() {
    let sketch = DDSketch(relativeAccuracy: 0.01)
    var g = SeededGenerator(seed: 3)
    for _ in 0..<100_000 {
      let x = Double(
        sign: .plus, exponent: Int(g.next() % 400) - 200, significand: 1 + Double(g.next() >> 12) * 0x1p-52)
      let y = DDSketch._log2Interpolation(x) * sketch._multiplier
      #expect(sketch._index(x) == Int(y.rounded(.up)))
    }
  }
}
