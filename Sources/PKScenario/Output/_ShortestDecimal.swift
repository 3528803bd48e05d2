/// The shortest decimal that reads back as the same double, for the magnitudes a concentration
/// curve is made of, written as Swift's `description` writes it: exact integer arithmetic in
/// 128 bits, no tables beyond the powers of ten, no String, and no branch that goes either way
/// at random on such values.
///
/// ```
/// x = m · 2^(E − 52),  2⁵² ≤ m < 2⁵³,  −9 ≤ E ≤ 49            (2⁻⁹ ≤ |x| < 2⁵⁰)
/// rounding interval of x (what reads back as x, ends included when m is even):
///   [ (4m − g) · 2^(E − 54),  (4m + 2) · 2^(E − 54) ],  g = 1 if m = 2⁵² (a power of two), else 2
/// scaled by 10^q, q = 16 − ⌊E · log₁₀ 2⌋, so that x · 10^q ∈ [10¹⁶, 2 · 10¹⁷) and the interval,
///   at least 1.1 units wide there, holds an integer:  Y = ⌈low · 10^q⌉ … ⌊high · 10^q⌋
/// r = the most trailing zeros of an integer in Y: the shortest candidates are d · 10^r, d in
///   ⌈Y_min / 10^r⌉ … ⌊Y_max / 10^r⌋
/// d = x · 10^(q − r) rounded to nearest (ties to even), clamped into that range: the shortest,
///   and of the shortest the closest to x
/// x ≈ d · 10^(r − q), written positionally ("123.45", "0.0123")
/// ```
/// This is the "shortest, then closest" rule of Steele & White (PLDI 1990) and of Swift's own
/// formatter (SwiftDtoa), computed here by the interval's integer endpoints rather than by
/// digit generation; `_ShortestDecimalTests` checks it byte for byte against `description` on
/// millions of doubles. The interval is about 1.7 to 22 units wide, so r is 0, 1 or 2 for all
/// but a few values (0.5, 1.25): those three candidates are computed side by side and the one
/// wanted is loaded by index, and the rounding and the text are made with arithmetic and word
/// stores (digits eight at a time in one word), since on curve values which of the ways a
/// branch goes is random (a mispredicted branch costs about as much as the arithmetic here).
/// Anything else (other magnitudes, whole numbers, zero, subnormals,
/// infinities, NaN) returns nil and goes to the standard library.
enum _ShortestDecimal {
  /// The room `write` needs at its pointer: the text is at most 23 bytes, but it is moved in
  /// 8-byte words that may write up to 34 bytes.
  static let room = 40

  /// Writes the shortest form of `x` at `p` (room for `room` bytes) and returns the number of
  /// bytes, or nil (writing nothing useful) when `x` is outside the fast path.
  @inline(__always)
  static func write(_ x: Double, to p: UnsafeMutablePointer<UInt8>) -> Int? {
    let bits = x.bitPattern
    let e = Int(truncatingIfNeeded: (bits >> 52) & 0x7FF) - 1023
    guard e >= -9 && e <= 49 else { return nil }
    let fraction = bits & 0x000F_FFFF_FFFF_FFFF
    let m = fraction | (1 << 52)
    let inclusive = m & 1 == 0
    // ⌊e · log₁₀ 2⌋ (exact for |e| ≤ 1650; the shift floors negative products too).
    let k = (e &* 1_262_611) >> 22
    let q = 16 &- k
    let ten = _powersOfTen[q]
    let s = 54 &- e  // 5 … 63
    // x and the interval's ends, times 10^q · 2^s, in 128 bits (4m < 2⁵⁵, 10^q < 2⁶⁴).
    // Selections below are arithmetic or loads by index rather than branches: on curve values
    // they go either way at random.
    let exact = UInt128(4 &* m) &* UInt128(ten)
    let up = exact &+ UInt128(ten) &+ UInt128(ten)
    let down = exact &- UInt128(ten) &- UInt128(fraction == 0 ? 0 : ten)
    let mask: UInt64 = (1 << s) &- 1
    let lowFloor = _shift(down, s)
    let highFloor = _shift(up, s)
    let inclusiveBit: UInt64 = inclusive ? 1 : 0
    let downExact: UInt64 = UInt64(truncatingIfNeeded: down) & mask == 0 ? 1 : 0
    let upExact: UInt64 = UInt64(truncatingIfNeeded: up) & mask == 0 ? 1 : 0
    let minimum = lowFloor &+ 1 &- (downExact & inclusiveBit)
    let maximum = highFloor &- (upExact & (inclusiveBit ^ 1))
    guard minimum <= maximum else { return nil }
    // The shortest: the most trailing zeros r of an integer in [minimum, maximum]; r ≤ 2 by
    // two tests and a load by index, a loop beyond.
    let ceiling1 = (minimum &+ 9) / 10
    let ceiling2 = (minimum &+ 99) / 100
    let floor1 = maximum / 10
    let floor2 = maximum / 100
    let has1 = ceiling1 <= floor1 ? 1 : 0
    let has2 = ceiling2 <= floor2 ? 1 : 0
    var r = has1 &+ has2  // has2 implies has1
    let whole = _shift(exact, s)
    var table:
      (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
        minimum, ceiling1, ceiling2, maximum, floor1, floor2, 1, 10, 100, whole, whole / 10, whole / 100
      )
    var (low, high, scale, d) = withUnsafeBytes(of: &table) { t in
      (
        t.load(fromByteOffset: r &* 8, as: UInt64.self),
        t.load(fromByteOffset: 24 &+ r &* 8, as: UInt64.self),
        t.load(fromByteOffset: 48 &+ r &* 8, as: UInt64.self),
        t.load(fromByteOffset: 72 &+ r &* 8, as: UInt64.self)
      )
    }
    // (With r below 2, this test is the one that just failed.)
    if (low &+ 9) / 10 <= high / 10 {
      while true {
        let ceiling = (low &+ 9) / 10
        let floor = high / 10
        if ceiling > floor { break }
        low = ceiling
        high = floor
        r &+= 1
        scale &*= 10
      }
      d = whole / scale
    }
    // The closest to x at that length: x · 10^(q − r) rounded, ties to even. With R the
    // remainder of ⌊x · 10^q⌋ by 10^r and F the fraction below it, 2(R + F) against 10^r is
    // T = 2R + ⌊2F⌋ against 10^r, the rest of 2F (nonzero or not) breaking a tie.
    let exactLow = UInt64(truncatingIfNeeded: exact)
    let remainder = whole &- d &* scale
    let twice = (remainder << 1) | ((exactLow >> (s &- 1)) & 1)
    let above: UInt64 = twice > scale ? 1 : 0
    let tie: UInt64 = twice == scale ? 1 : 0
    let tieUp = (exactLow & (mask >> 1) != 0 ? 1 : 0) | (d & 1)  // above the tie, or d odd
    d &+= above | (tie & tieUp)
    d = Swift.min(Swift.max(d, low), high)
    // The digits of d (at most 17), right-aligned in a 24-byte field of a 48-byte scratch, from
    // two 8-digit words (`_eightDigits`) and a leading digit; then moved with fixed-size word
    // copies (the caller gives `room` bytes), the point written over the copy.
    let count = _digitCount(d)
    let point = count &+ r &- q  // digits before the decimal point
    guard point < count else { return nil }  // a whole number: the standard library's form
    let upper = d / 100_000_000
    let top = upper / 100_000_000
    var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
      0, UInt64(truncatingIfNeeded: top &+ 0x30) << 56, _eightDigits(upper &- top &* 100_000_000),
      _eightDigits(d &- upper &* 100_000_000), 0, 0
    )
    return withUnsafeBytes(of: &scratch) { raw -> Int in
      let start = 32 &- count
      var n = 0
      if x.sign == .minus {
        p[0] = UInt8(ascii: "-")
        n = 1
      }
      let out = UnsafeMutableRawPointer(p + n)
      if point > 0 {
        // Integer part (≤ 16 digits), then the fraction (≤ 16 digits) one byte further on.
        _copy16(raw, start, out)
        out.storeBytes(of: UInt8(ascii: "."), toByteOffset: point, as: UInt8.self)
        _copy16(raw, start &+ point, out + (point &+ 1))
        return n &+ count &+ 1
      }
      // "0.", then up to two zeros (|x| ≥ 2⁻⁹), then the digits.
      out.storeBytes(of: 0x3030_3030_3030_2E30 as UInt64, as: UInt64.self)
      let lead = 2 &- point
      _copy16(raw, start, out + lead)
      out.storeBytes(
        of: raw.loadUnaligned(fromByteOffset: start &+ 16, as: UInt8.self), toByteOffset: lead &+ 16,
        as: UInt8.self)
      return n &+ lead &+ count
    }
  }

  /// ⌊a / 2^s⌋ for 1 ≤ s ≤ 63, when it is below 2⁶⁴.
  @inline(__always)
  static func _shift(_ a: UInt128, _ s: Int) -> UInt64 {
    (UInt64(truncatingIfNeeded: a >> 64) &<< (64 &- s)) | (UInt64(truncatingIfNeeded: a) &>> s)
  }

  /// Copies 16 bytes from `raw + offset` to `out`, as two unaligned words.
  @inline(__always)
  static func _copy16(_ raw: UnsafeRawBufferPointer, _ offset: Int, _ out: UnsafeMutableRawPointer) {
    let base = raw.baseAddress!
    out.storeBytes(of: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self), as: UInt64.self)
    out.storeBytes(
      of: base.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
  }

  /// The number of decimal digits of d (1 ≤ d < 10¹⁹): ⌊log₁₀ d⌋ + 1 from the bit length
  /// (1233/4096 ≈ log₁₀ 2) and one comparison.
  @inline(__always)
  static func _digitCount(_ d: UInt64) -> Int {
    let bits = 64 &- d.leadingZeroBitCount
    let t = (bits &* 1233) >> 12
    return d >= _powersOfTen[t] ? t &+ 1 : t
  }

  /// The 8 digits of x < 10⁸ (leading zeros included) as ASCII bytes in one little-endian
  /// word, first digit in the lowest byte: x splits into two 4-digit halves (32-bit lanes),
  /// each into two 2-digit quarters (16-bit lanes), each into tens and units (bytes);
  /// ⌊y/100⌋ = (y · 5243) >> 19 for y < 43,699 and ⌊y/10⌋ = (y · 103) >> 10 for y < 100.
  @inline(__always)
  static func _eightDigits(_ x: UInt64) -> UInt64 {
    let high = x / 10_000
    let halves = high | ((x &- high &* 10_000) << 32)
    let hundreds = ((halves &* 5243) >> 19) & 0x0000_007F_0000_007F
    let quarters = hundreds | ((halves &- hundreds &* 100) << 16)
    let tens = ((quarters &* 103) >> 10) & 0x000F_000F_000F_000F
    let bytes = tens | ((quarters &- tens &* 10) << 8)
    return bytes | 0x3030_3030_3030_3030
  }

  /// 10⁰ … 10¹⁹.
  static let _powersOfTen: [UInt64] = [
    1, 10, 100, 1000, 10000, 100000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
    100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
    10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
  ]
}
