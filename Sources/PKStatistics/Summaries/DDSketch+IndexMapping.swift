extension DDSketch {
  /// The bucket index of a magnitude: the smallest i with γⁱ ≥ x.
  ///
  /// ```
  /// i(x) = ⌈ln x / ln γ⌉
  /// ```
  /// - Precondition (unchecked): `minimumIndexableValue` ≤ x < ∞.
  func _index(_ x: Double) -> Int {
    Int((Self._logarithm(x) / _logGamma).rounded(.up))
  }

  /// The value bucket `index` stands for: within α of every magnitude in (γⁱ⁻¹, γⁱ].
  ///
  /// ```
  /// v(i) = γⁱ · 2 / (γ + 1)
  /// ```
  /// γⁱ is computed by binary powering (≤ 2·log₂|i| roundings, about 10⁻¹⁴ relative at the
  /// extremes of the double range); above the largest double it is +infinity, which
  /// `percentile(_:)` then clamps to the maximum.
  func _bucketValue(_ index: Int) -> Double {
    Self._power(_gamma, index) * _valueFactor
  }

  /// The natural logarithm of a positive normal double from IEEE 754 +, −, ×, ÷ alone, so that
  /// bucket indices are the same on every platform and C library.
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

  /// bⁿ by binary powering (repeated squaring); 1/b⁻ⁿ for negative n.
  static func _power(_ base: Double, _ n: Int) -> Double {
    var result = 1.0
    var square = base
    var e = n.magnitude
    while e != 0 {
      if e & 1 == 1 { result *= square }
      e >>= 1
      if e != 0 { square *= square }
    }
    return n < 0 ? 1 / result : result
  }
}
