/// The shortest decimal that reads back as the same double, for the magnitudes a concentration
/// curve is made of, written as Swift's `description` writes it: exact integer arithmetic in
/// 128 bits, no tables beyond the powers of ten, no String.
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
/// millions of doubles. Anything else (other magnitudes, whole numbers, zero, subnormals,
/// infinities, NaN) returns nil and goes to the standard library.
enum _ShortestDecimal {
  /// Writes the shortest form of `x` at `p` (room for 24 bytes) and returns the number of bytes,
  /// or nil (writing nothing useful) when `x` is outside the fast path.
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
    let ten = UInt128(_powersOfTen[q])
    let s = 54 &- e  // 5 … 63
    let mask = (UInt128(1) << s) &- 1
    let low = UInt128(4 &* m &- (fraction == 0 ? 1 : 2)) &* ten
    let exact = UInt128(4 &* m) &* ten
    let high = UInt128(4 &* m &+ 2) &* ten
    let lowFloor = UInt64(truncatingIfNeeded: low >> s)
    let highFloor = UInt64(truncatingIfNeeded: high >> s)
    var minimum = (low & mask) == 0 && inclusive ? lowFloor : lowFloor &+ 1
    var maximum = (high & mask) == 0 && !inclusive ? highFloor &- 1 : highFloor
    guard minimum <= maximum else { return nil }
    // The shortest: strip trailing digits while an integer of the interval has them all zero.
    var r = 0
    var scale: UInt64 = 1
    while true {
      let quotient = minimum / 10
      let ceiling = quotient &* 10 == minimum ? quotient : quotient &+ 1
      let floor = maximum / 10
      if ceiling > floor { break }
      minimum = ceiling
      maximum = floor
      r &+= 1
      scale &*= 10
    }
    // The closest to x at that length: x · 10^(q − r) rounded, ties to even.
    let whole = UInt64(truncatingIfNeeded: exact >> s)
    var d = whole
    for _ in 0..<r { d /= 10 }  // divisions by a constant, not by the variable `scale`
    let remainder = whole &- d &* scale
    let twice = (UInt128(remainder) << (s &+ 1)) &+ ((exact & mask) << 1)
    let half = UInt128(scale) << s
    if twice > half || (twice == half && d & 1 == 1) { d &+= 1 }
    if d < minimum { d = minimum } else if d > maximum { d = maximum }
    // The digits of d, then the point: x ≈ d · 10^(r − q). d < 2·10¹⁷: written as 2 + 8 + 8
    // digits (independent chains, two digits per step), leading zeros then skipped.
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
    return withUnsafeMutableBytes(of: &digits) { scratch -> Int? in
      let buffer = scratch.baseAddress!.assumingMemoryBound(to: UInt8.self)
      let upper = d / 100_000_000
      let top = upper / 100_000_000
      _two(top, buffer + 6)
      _eight(upper &- top &* 100_000_000, buffer + 8)
      _eight(d &- upper &* 100_000_000, buffer + 16)
      var end = 6
      while buffer[end] == UInt8(ascii: "0") { end &+= 1 }
      let count = 24 &- end
      let point = count &+ r &- q  // digits before the decimal point
      guard point < count else { return nil }  // a whole number: the standard library's form
      var n = 0
      if x.sign == .minus {
        p[0] = UInt8(ascii: "-")
        n = 1
      }
      // Byte loops: at most 18 digits, cheaper than a call to memmove.
      if point > 0 {
        for i in 0..<point { p[n &+ i] = buffer[end &+ i] }
        n &+= point
        p[n] = UInt8(ascii: ".")
        n &+= 1
        for i in point..<count { p[n &+ i &- point] = buffer[end &+ i] }
        n &+= count &- point
      } else {
        p[n] = UInt8(ascii: "0")
        p[n &+ 1] = UInt8(ascii: ".")
        n &+= 2
        for _ in 0..<(0 &- point) {
          p[n] = UInt8(ascii: "0")
          n &+= 1
        }
        for i in 0..<count { p[n &+ i] = buffer[end &+ i] }
        n &+= count
      }
      return n
    }
  }

  /// Writes the 8 digits of x < 10⁸ (with leading zeros) at p.
  @inline(__always)
  static func _eight(_ x: UInt64, _ p: UnsafeMutablePointer<UInt8>) {
    let high = x / 10_000
    _four(high, p)
    _four(x &- high &* 10_000, p + 4)
  }

  /// Writes the 4 digits of x < 10⁴ at p: ⌊x/100⌋ = (x · 5243) >> 19 for x < 43,699.
  @inline(__always)
  static func _four(_ x: UInt64, _ p: UnsafeMutablePointer<UInt8>) {
    let high = (x &* 5243) >> 19
    _two(high, p)
    _two(x &- high &* 100, p + 2)
  }

  /// Writes the 2 digits of x < 100 at p: ⌊x/10⌋ = (x · 103) >> 10 for x < 100.
  @inline(__always)
  static func _two(_ x: UInt64, _ p: UnsafeMutablePointer<UInt8>) {
    let tens = (x &* 103) >> 10
    p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: tens)
    p[1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: x &- tens &* 10)
  }

  /// 10⁰ … 10¹⁹.
  static let _powersOfTen: [UInt64] = {
    var powers: [UInt64] = [1]
    for _ in 1...19 { powers.append(powers.last! &* 10) }
    return powers
  }()
}
