/// An exact, order-independent sum of finite `Double`s, read back correctly rounded.
///
/// Every finite double is an integer multiple of 2⁻¹⁰⁷⁴, so the running sum is kept exactly as
/// one big fixed-point integer S (a "superaccumulator") in 67 signed 64-bit limbs of 32 bits each:
/// ```
/// sum = S · 2⁻¹⁰⁷⁴,   S = Σₖ limbₖ · 2³²ᵏ,   k = 0 … 66
/// x = m · 2ᵉ (m < 2⁵³ an integer)  ⇒  S += m · 2^(e + 1074), which touches at most 3 limbs
/// value = round-to-nearest-even(S · 2⁻¹⁰⁷⁴)
/// ```
/// Limbs 0 … 65 cover bit positions 0 … 2111, all of the doubles from the smallest subnormal
/// (2⁻¹⁰⁷⁴) to the largest finite (< 2¹⁰²⁴); limb 66 takes the carries above. Additions go into
/// the limbs with signed arithmetic and no carries; carries are propagated ("normalisation") every
/// 2³⁰ additions, which keeps each limb below 2⁶² in magnitude, and before merging or reading.
///
/// ## Mathematical properties
/// - The state is the exact sum, so `value` is the same Double, bit for bit, for any order of
///   `add(_:)` calls and any way of splitting the values into sums that are `merge(_:)`d later.
///   `value / Double(n)` is therefore an order-independent mean (rounded twice: |error| ≤ 1 ulp).
/// - `value` is the exact sum rounded once to the nearest double, ties to even (IEEE 754
///   `roundTiesToEven`); a sum at or beyond 2¹⁰²⁴ (after rounding) reads as ±infinity.
/// - An exact sum of zero reads as +0.0, also when every term was −0.0.
///
/// The idea is Kulisch's long accumulator: U. Kulisch, *Computer Arithmetic and Validity*,
/// de Gruyter 2008 (2nd ed. 2013), ch. 8; the deferred-carry, split-limb variant follows
/// R. M. Neal, "Fast exact summation using small and large superaccumulators",
/// arXiv:1505.05571, 2015.
///
/// - Complexity: `add(_:)` is O(1) (three limb updates) and never allocates; `merge(_:)` and
///   `value` are O(67). Each sum holds one 536-byte array.
public struct ExactSum: Sendable {
  /// The limbs of S, least significant first; `_limbCount` of them.
  @usableFromInline var _limbs: [Int64]
  /// The number of `add(_:)` calls since the limbs were last normalised.
  @usableFromInline var _pendingAdditions: Int

  /// The number of limbs: 66 for the bit positions of finite doubles and 1 for carries.
  static let _limbCount = 67
  /// The number of bits each normalised limb holds.
  static let _limbBits = 32
  /// Normalise after this many additions: each adds less than 2³² to a limb, so a limb stays
  /// below 2³² + 2³⁰ · 2³² < 2⁶³ in magnitude.
  @usableFromInline static let _normalizationInterval = 1 << 30
  /// The mask of one limb's 32 bits.
  static let _limbMask: Int64 = 0xFFFF_FFFF

  /// Creates an empty sum (value +0.0).
  public init() {
    _limbs = Array(repeating: 0, count: Self._limbCount)
    _pendingAdditions = 0
  }

  /// Creates the exact sum of `values`.
  public init<S: Sequence<Double>>(_ values: S) {
    self.init()
    for x in values { add(x) }
  }

  /// Adds `x` to the sum exactly.
  ///
  /// ```
  /// x = (−1)ˢ · m · 2^(p − 1074),  p = max(biased exponent − 1, 0),  m = significand with the
  ///     hidden bit (0 for subnormals)
  /// S ± m · 2ᵖ: limb ⌊p/32⌋ and the two above it, each receiving < 2³²
  /// ```
  /// - Parameter x: a finite value; ±0.0 leaves the sum unchanged.
  /// - Precondition: `x` is finite (NaN or infinity is a caller bug: filter or flag it first).
  public mutating func add(_ x: Double) {
    precondition(x.isFinite, "ExactSum.add needs a finite value, got \(x).")
    _limbs.withUnsafeMutableBufferPointer { Self._add(x, to: $0.baseAddress!) }
    _pendingAdditions += 1
    if _pendingAdditions >= Self._normalizationInterval { _normalize() }
  }

  /// Adds every value of `values` exactly: the same sum as `add(_:)` for each, in one pass with
  /// the limbs held open (no check per value that they are not shared).
  ///
  /// - Precondition: every value is finite.
  @inlinable
  public mutating func add(contentsOf values: some Sequence<Double>) {
    var pending = _pendingAdditions
    _limbs.withUnsafeMutableBufferPointer { buffer in
      let limbs = buffer.baseAddress!
      for x in values {
        precondition(x.isFinite, "ExactSum.add needs a finite value, got \(x).")
        Self._add(x, to: limbs)
        pending &+= 1
        if pending >= Self._normalizationInterval {
          Self._normalize(limbs)
          pending = 0
        }
      }
    }
    _pendingAdditions = pending
  }

  /// Adds every value of `values` exactly, by error-free extraction for the values near the
  /// largest: the same exact sum as `add(_:)` for each.
  ///
  /// ```
  /// |x| < 2^(E+1) for every x of a run of n ≤ 2¹⁴ values,   σ₁ = 2^(E+16),   σ₂ = 2⁻³⁸·σ₁
  /// q₁ = fl(fl(σ₁ + x) − σ₁),  r₁ = x − q₁,  q₂ = fl(fl(σ₂ + r₁) − σ₂),  r₂ = r₁ − q₂
  /// x = q₁ + q₂ + r₂ exactly;  Σ q₁ and Σ q₂ exact in floating point
  /// S += Σ q₁ + Σ q₂ (two doubles into the limbs), then each r₂ ≠ 0 one by one
  /// ```
  /// With σ a power of two and |x| ≤ 2⁻¹⁵·σ, q is a multiple of 2⁻⁵³·σ with
  /// |q| ≤ |x| + 2⁻⁵³·σ and the remainder x − q is exact with |x − q| ≤ 2⁻⁵³·σ; a sum of at most
  /// 2¹⁴ such q stays below σ, so every partial sum is a multiple of 2⁻⁵³·σ below σ, a double,
  /// in any order (S. M. Rump, T. Ogita, S. Oishi, "Accurate floating-point summation part I:
  /// faithful rounding", SIAM J. Sci. Comput. 2008;31(1):189–224, Lemma 3.3 and Algorithm 3.2,
  /// ExtractVector). σ₂ = 2¹⁵ · 2⁻⁵³·σ₁ bounds r₁ in the same way. Each q₁ takes the bits down to
  /// 2^(E−37) and each q₂ those down to 2^(E−75), so r₂ = 0 for every value within 2²³ of the
  /// largest: a column of concentrations sums in one vectorised pass of eight floating-point
  /// operations a value, instead of three read-modify-writes of limbs that wait on one another.
  /// A run whose largest value lies beyond 2¹⁰⁰⁰ or below 2⁻⁹⁴⁰ (σ₁ near overflow, or 2⁻⁵³·σ₂
  /// near the subnormals) takes the plain path.
  ///
  /// - Precondition: every value is finite.
  public mutating func add(contentsOf values: UnsafeBufferPointer<Double>) {
    var pending = _pendingAdditions
    _limbs.withUnsafeMutableBufferPointer { buffer in
      let limbs = buffer.baseAddress!
      var start = 0
      while start < values.count {
        let end = Swift.min(values.count, start &+ Self._extractionRun)
        // The largest magnitude and a sum of x·0 (NaN exactly when a value is not finite), four
        // lanes each: the finiteness check once per run, not a branch per value, in
        // floating-point operations the x86-64 baseline has (a maximum of 64-bit integer
        // exponent fields needs several instructions a pair there).
        var top = (0.0, 0.0, 0.0, 0.0)
        var probe = (0.0, 0.0, 0.0, 0.0)
        var i = start
        while i &+ 4 <= end {
          let (a, b, c, d) = (values[i], values[i &+ 1], values[i &+ 2], values[i &+ 3])
          top.0 = top.0 < a.magnitude ? a.magnitude : top.0
          top.1 = top.1 < b.magnitude ? b.magnitude : top.1
          top.2 = top.2 < c.magnitude ? c.magnitude : top.2
          top.3 = top.3 < d.magnitude ? d.magnitude : top.3
          probe.0 += a * 0
          probe.1 += b * 0
          probe.2 += c * 0
          probe.3 += d * 0
          i &+= 4
        }
        while i < end {
          top.0 = top.0 < values[i].magnitude ? values[i].magnitude : top.0
          probe.0 += values[i] * 0
          i &+= 1
        }
        if ((probe.0 + probe.1) + (probe.2 + probe.3)).isNaN {
          let x = values[start..<end].first { !$0.isFinite }!
          preconditionFailure("ExactSum.add needs a finite value, got \(x).")
        }
        let largest = Swift.max(Swift.max(top.0, top.1), Swift.max(top.2, top.3))
        // The unbiased exponent of the largest value (−1023 for zeros, below for subnormals:
        // both take the plain path).
        let e = largest == 0 ? -1023 : Int(largest.exponent)
        if e < -940 || e > 1000 {
          for i in start..<end { Self._add(values[i], to: limbs) }
          pending &+= end &- start
        } else {
          let run = UnsafeBufferPointer(rebasing: values[start..<end])
          pending &+= Self._extract(
            run, sigma: Double(sign: .plus, exponent: e &+ 16, significand: 1), to: limbs)
        }
        if pending >= Self._normalizationInterval {
          Self._normalize(limbs)
          pending = 0
        }
        start = end
      }
    }
    _pendingAdditions = pending
  }

  /// Adds a run's values to the limbs by two levels of extraction (see `add(contentsOf:)` for
  /// buffers), four values at a time; returns the number of limb additions made.
  ///
  /// - Precondition: `run.count` ≤ 2¹⁴, every |x| ≤ 2⁻¹⁵·σ₁, σ₁ a power of two.
  static func _extract(
    _ run: UnsafeBufferPointer<Double>, sigma s1: Double, to limbs: UnsafeMutablePointer<Int64>
  ) -> Int {
    let s2 = s1 * 0x1p-38
    let sigma1 = SIMD4<Double>(repeating: s1)
    let sigma2 = SIMD4<Double>(repeating: s2)
    var sum1 = SIMD4<Double>()
    var sum2 = SIMD4<Double>()
    // The bits of every r₂ (the sign bit masked below): nonzero when some value needs the limbs.
    var rest = SIMD4<UInt64>()
    let n = run.count
    let raw = UnsafeRawPointer(run.baseAddress!)
    var i = 0
    while i &+ 4 <= n {
      let x = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<Double>.self)
      let q1 = (sigma1 + x) - sigma1
      let r1 = x - q1
      let q2 = (sigma2 + r1) - sigma2
      sum1 += q1
      sum2 += q2
      rest |= unsafeBitCast(r1 - q2, to: SIMD4<UInt64>.self)
      i &+= 4
    }
    var tail1 = 0.0
    var tail2 = 0.0
    var tailRest: UInt64 = 0
    while i < n {
      let x = run[i]
      let q1 = (s1 + x) - s1
      let r1 = x - q1
      let q2 = (s2 + r1) - s2
      tail1 += q1
      tail2 += q2
      tailRest |= (r1 - q2).bitPattern
      i &+= 1
    }
    _add(sum1.sum() + tail1, to: limbs)
    _add(sum2.sum() + tail2, to: limbs)
    var additions = 2
    let mask: UInt64 = 0x7FFF_FFFF_FFFF_FFFF
    if (rest & mask) != .zero || tailRest & mask != 0 {
      // The values more than 2²³ below the largest: their remainders r₂, exact, one by one.
      for x in run {
        let q1 = (s1 + x) - s1
        let r1 = x - q1
        let r2 = r1 - ((s2 + r1) - s2)
        if r2 != 0 {
          _add(r2, to: limbs)
          additions &+= 1
        }
      }
    }
    return additions
  }

  /// The most values of one extraction run (see `add(contentsOf:)` for buffers): 2¹⁴, so that
  /// a run's extracted parts sum below σ.
  static let _extractionRun = 1 << 14

  /// S ± m·2ᵖ (m < 2⁵³, 0 ≤ p ≤ 2046 + 32) into limbs ⌊p/32⌋ … ⌊p/32⌋ + 2; no carries.
  @inlinable @inline(__always)
  static func _add(_ m: UInt64, at p: Int, negative: Bool, to limbs: UnsafeMutablePointer<Int64>) {
    let k = p &>> 5
    let s = UInt64(p & 31)
    // Each part is below 2³², and a limb stays below 2⁶² between normalisations, so the
    // wrapping operations never wrap. `m &<< s` keeps the low 64 bits (masked anyway); for
    // s = 0, `m &>> (64 − s)` would shift by 0 (&>> masks the count), hence the explicit 0.
    let c0 = Int64(truncatingIfNeeded: (m &<< s) & 0xFFFF_FFFF)
    let c1 = Int64(truncatingIfNeeded: (m &>> (32 &- s)) & 0xFFFF_FFFF)
    let c2 = s == 0 ? 0 : Int64(truncatingIfNeeded: m &>> (64 &- s))
    if negative {
      limbs[k] &-= c0
      limbs[k &+ 1] &-= c1
      limbs[k &+ 2] &-= c2
    } else {
      limbs[k] &+= c0
      limbs[k &+ 1] &+= c1
      limbs[k &+ 2] &+= c2
    }
  }

  /// S ± m·2ᵖ into limbs ⌊p/32⌋ … ⌊p/32⌋ + 2 (see `add(_:)`), for a finite x; no carries.
  @inlinable @inline(__always)
  static func _add(_ x: Double, to limbs: UnsafeMutablePointer<Int64>) {
    if x == 0 { return }
    let biased = Int(x.exponentBitPattern)
    let fraction = x.significandBitPattern
    let m: UInt64 = biased == 0 ? fraction : fraction | (1 << 52)
    let p = biased == 0 ? 0 : biased &- 1
    _add(m, at: p, negative: x.sign == .minus, to: limbs)
  }

  /// Adds the exact sum held by `other` to this one.
  ///
  /// Limb-wise addition of the two normalised accumulators, so that adding values to shards and
  /// merging the shards gives the same state as adding every value to one sum.
  public mutating func merge(_ other: ExactSum) {
    var other = other
    other._normalize()
    _normalize()
    for i in 0..<Self._limbCount { _limbs[i] += other._limbs[i] }
    _normalize()
  }

  /// The sum rounded to the nearest double, ties to even; ±infinity if that is beyond the
  /// largest finite double.
  public var value: Double {
    var d = _limbs
    Self._normalize(&d)
    let top = Self._limbCount - 1
    let negative = d[top] < 0
    if negative {
      for i in d.indices { d[i] = -d[i] }
      Self._normalize(&d)
    }
    // Now d holds |S|: digits 0 … 65 in [0, 2³²) and d[66] ≥ 0.
    let signBit: UInt64 = negative ? 1 << 63 : 0
    let infinity = Double(bitPattern: 0x7FF0_0000_0000_0000 | signBit)
    if d[top] != 0 { return infinity }  // |S| ≥ 2²¹¹² ⇒ |sum| ≥ 2¹⁰³⁸
    guard let k = d.lastIndex(where: { $0 != 0 }) else { return 0 }
    let dk = UInt64(d[k])
    let b = 63 - dk.leadingZeroBitCount  // the leading bit within limb k, 0 … 31
    let t = 32 * k + b  // the leading bit of |S|
    if t <= 52 {
      // |S| < 2⁵³: exactly representable, and a double's bit pattern is then |S| itself
      // (subnormal for t < 52, biased exponent 1 for t = 52).
      let low = UInt64(d[0]) | (k >= 1 ? UInt64(d[1]) << 32 : 0)
      return Double(bitPattern: low | signBit)
    }
    if t >= 1074 + 1024 { return infinity }
    // The 64 bits t … t − 63 of |S|, left-aligned, and whether any bit below them is set.
    let d1 = k >= 1 ? UInt64(d[k - 1]) : 0
    let d2 = k >= 2 ? UInt64(d[k - 2]) : 0
    let window = ((dk << 32 | d1) << (31 - b)) | (d2 >> (b + 1))
    var sticky = d2 & ((1 << (b + 1)) - 1) != 0
    if !sticky && k >= 3 { sticky = d[0..<(k - 2)].contains { $0 != 0 } }
    // Keep 53 bits and round on the 11 below (plus the sticky bit): ties to even.
    var significand = window >> 11
    let rest = window & 0x7FF
    if rest > 0x400 || (rest == 0x400 && (sticky || significand & 1 == 1)) { significand += 1 }
    // Biased exponent t − 1074 + 1023 over the hidden bit: bits = (t − 52)·2⁵² + significand. A
    // round-up to 2⁵³ carries into the exponent field by itself.
    let bits = UInt64(t - 52) << 52 + significand
    if bits >= 0x7FF0_0000_0000_0000 { return infinity }
    return Double(bitPattern: bits | signBit)
  }

  /// Propagates the carries so that limbs 0 … 65 lie in [0, 2³²); limb 66 keeps the sign.
  mutating func _normalize() {
    Self._normalize(&_limbs)
    _pendingAdditions = 0
  }

  /// Propagates the carries of `limbs` (see `_normalize()`); the represented integer is unchanged.
  static func _normalize(_ limbs: inout [Int64]) {
    limbs.withUnsafeMutableBufferPointer { _normalize($0.baseAddress!) }
  }

  /// Propagates the carries of the `_limbCount` limbs at `limbs` (see `_normalize()`).
  @usableFromInline
  static func _normalize(_ limbs: UnsafeMutablePointer<Int64>) {
    var carry: Int64 = 0
    for i in 0..<(_limbCount - 1) {
      let v = limbs[i] + carry
      carry = v >> _limbBits  // arithmetic shift: ⌊v / 2³²⌋, also for negative v
      limbs[i] = v & _limbMask
    }
    limbs[_limbCount - 1] += carry
  }
}

extension ExactSum: Equatable {
  /// Two sums are equal when they hold the same exact value (however many carries are pending).
  public static func == (lhs: ExactSum, rhs: ExactSum) -> Bool {
    var l = lhs._limbs
    var r = rhs._limbs
    _normalize(&l)
    _normalize(&r)
    return l == r
  }
}
