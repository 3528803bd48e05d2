extension DDSketch {
  /// The bucket index of a magnitude: the first multiple of 1/m at or above ℓ(x), a cubic
  /// interpolation of log₂ x.
  ///
  /// ```
  /// x = 2ᵉ · (1 + s),  s ∈ [0, 1)              (exact: exponent and significand bits of x)
  /// ℓ(x) = e + ((A·s + B)·s + C)·s,  A = 6/35, B = −3/5, C = 10/7
  /// i(x) = ⌈m · ℓ(x)⌉,  m = 7 / (10 · ln γ)
  /// ```
  /// ℓ is exact at powers of two, continuous and increasing, and d ℓ / d ln x ≥ 10/7 (equality
  /// at s = 0 and s = 2/3), so a bucket (ℓ in an interval of width 1/m) spans magnitudes whose
  /// ratio is at most e^{(1/m)·(7/10)} = γ: every value in it is within α of the bucket's value.
  /// That costs about 1 % more buckets than ⌈log_γ x⌉ and needs no logarithm, division or
  /// library call: a few multiplications on the bits of x. This is DDSketch's "cubically
  /// interpolated" index mapping (Masson, Rim & Lee 2019, and the documentation of Datadog's
  /// sketches-go `CubicallyInterpolatedMapping`); the bound on the slope is derived in
  /// `DDSketchTests`.
  ///
  /// The ceiling is taken by truncation (`Int(y)`, then one up if that lies below y), which
  /// rounds the same as ⌈y⌉ for both signs of y without a call to the C library.
  /// - Precondition (unchecked): `minimumIndexableValue` ≤ x < ∞ (x is normal).
  @inline(__always)
  func _index(_ x: Double) -> Int {
    Self._index(x, multiplier: _multiplier)
  }

  /// `_index(_:)` for the multiplier m.
  @inline(__always)
  static func _index(_ x: Double, multiplier: Double) -> Int {
    let y = _log2Interpolation(x) * multiplier
    let truncated = Int(y)
    return Double(truncated) < y ? truncated + 1 : truncated
  }

  /// ℓ(x), the cubic interpolation of log₂ x between powers of two (see `_index(_:)`).
  /// - Precondition (unchecked): x is positive, normal and finite.
  @inline(__always)
  static func _log2Interpolation(_ x: Double) -> Double {
    let bits = x.bitPattern
    let e = Double(Int(truncatingIfNeeded: bits >> 52) - 1023)
    let s = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000) - 1
    return e + ((_cubicA * s + _cubicB) * s + _cubicC) * s
  }

  static let _cubicA = 6.0 / 35
  static let _cubicB = -3.0 / 5
  static let _cubicC = 10.0 / 7

  /// The smallest magnitude ℓ maps to `y`: ℓ⁻¹(y) = 2ᵉ·(1 + s) with e = ⌊y⌋ and s ∈ [0, 1] the
  /// root of (A·s + B)·s² + C·s = y − e, by Newton's method (the cubic's slope is at least
  /// 26/35 on [0, 1], so eight steps from s = (y − e)·7/10 reach rounding).
  static func _log2InterpolationInverse(_ y: Double) -> Double {
    let e = y.rounded(.down)
    let r = y - e
    var s = r * 0.7
    for _ in 0..<8 {
      let p = ((_cubicA * s + _cubicB) * s + _cubicC) * s - r
      let slope = (3 * _cubicA * s + 2 * _cubicB) * s + _cubicC
      s = Swift.min(Swift.max(s - p / slope, 0), 1)
    }
    guard e < 1024 else { return .infinity }
    return Double(sign: .plus, exponent: Int(e), significand: 1 + s)
  }

  /// The value bucket `index` stands for: within α of every magnitude in it.
  ///
  /// ```
  /// lo = ℓ⁻¹((i − 1)/m),  hi = ℓ⁻¹(i/m),  hi/lo ≤ γ
  /// v(i) = 2·lo·hi / (lo + hi)          |v − x| / x ≤ (hi − lo)/(hi + lo) ≤ α  for lo < x ≤ hi
  /// ```
  /// Above the largest double it is +infinity, which `percentile(_:)` then clamps to the
  /// maximum.
  func _bucketValue(_ index: Int) -> Double {
    let lo = Self._log2InterpolationInverse(Double(index - 1) / _multiplier)
    let hi = Self._log2InterpolationInverse(Double(index) / _multiplier)
    guard hi.isFinite else { return .infinity }
    return 2 * lo / (1 + lo / hi)  // 2·lo·hi / (lo + hi), without over- or underflow of lo·hi
  }

  /// The natural logarithm of a positive normal double from IEEE 754 +, −, ×, ÷ alone, so that
  /// ln γ, and with it the multiplier m of the bucket indices, is the same on every platform and
  /// C library.
  ///
  /// ```
  /// x = 2ᵏ · m,  m ∈ [√½, √2)          (exact: exponent and significand of x)
  /// s = (m − 1) / (m + 1),  |s| ≤ 0.1716
  /// ln m = 2 atanh s = 2s · Σ_{j=0}^{10} s²ʲ / (2j + 1)   (truncation < 2.4·10⁻¹⁷ relative)
  /// ln x = k · ln2_hi + (k · ln2_lo + ln m)             (Cody–Waite split of ln 2)
  /// ```
  /// The error is a few units in the last place. The ln 2 split is the one of fdlibm's `e_log.c`
  /// (ln2_hi has 32 trailing zero bits, so k · ln2_hi is exact).
  ///
  /// - Precondition (unchecked): x is positive, normal and finite.
  static func _logarithm(_ x: Double) -> Double {
    var k = Double(x.exponent)
    var m = x.significand  // [1, 2), exact
    if m > 1.414_213_562_373_095_1 {
      m *= 0.5
      k += 1
    }
    let s = (m - 1) / (m + 1)  // m − 1 is exact (Sterbenz)
    let z = s * s
    var series = 1.0 / 21
    series = series * z + 1.0 / 19
    series = series * z + 1.0 / 17
    series = series * z + 1.0 / 15
    series = series * z + 1.0 / 13
    series = series * z + 1.0 / 11
    series = series * z + 1.0 / 9
    series = series * z + 1.0 / 7
    series = series * z + 1.0 / 5
    series = series * z + 1.0 / 3
    let logM = 2 * s + 2 * s * (series * z)
    let ln2Hi = 6.931_471_803_691_238_164_90e-01  // 0x1.62e42feep-1
    let ln2Lo = 1.908_214_929_270_587_700_02e-10  // 0x1.a39ef35793c76p-33
    return k * ln2Hi + (k * ln2Lo + logM)
  }
}
