import Foundation

/// Appends numbers to a byte buffer as CSV text, without building a String per number.
///
/// Whole numbers below 10¹⁵ are written as integers (`1440`, not `1440.0`); other values in the
/// shortest form that reads back as the same double (Swift's `description`), or with `digits`
/// significant digits (C's `%.Ng`, as `String(format:)` gives it). Zero (also −0) is written `0`.
///
/// Finite numbers are formatted without allocating. The shortest form of magnitudes from 2⁻⁹ to
/// 2⁵⁰ comes from `_ShortestDecimal` (checked byte for byte against `description`), of other
/// magnitudes from the standard library's own formatter through `Double.write(to:)`, which
/// hands its digits to a stream's `_writeASCII(_:)` without making a String (`_PointerStream`),
/// so the text is `description`'s by construction. `%.Ng` for 1 ≤ N ≤ 15 is derived from those shortest digits (see
/// `writeSignificant(_:digits:to:)` for why that is exact); other cases use `String(format:)`.
enum _CSVNumber {
  /// The room each number is given: a shortest form or an integer takes at most 24 bytes
  /// (`-2.2250738585072014e-308`), but `_ShortestDecimal` moves its text in 8-byte words and
  /// needs `_ShortestDecimal.room` (40).
  static let maximumLength = 40

  /// The most bytes one number takes with `digits`: a sign, N digits, a point and `e-308`, or
  /// `-0.000` and N digits, are at most N + 8 bytes.
  static func capacity(digits: Int?) -> Int { Swift.max(maximumLength, (digits ?? 0) + 8) }

  static func append(_ x: Double, digits: Int?, to out: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity(digits: digits)) { buffer in
      let count = write(x, digits: digits, to: buffer.baseAddress!)
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
    }
  }

  static func append(_ n: Int64, to out: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumLength) { buffer in
      let count = write(n, to: buffer.baseAddress!)
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
    }
  }

  /// Writes `x` at `p` (room for `capacity(digits:)` bytes) and returns the number of bytes
  /// written.
  static func write(_ x: Double, digits: Int?, to p: UnsafeMutablePointer<UInt8>) -> Int {
    if x == 0 {
      p.pointee = UInt8(ascii: "0")
      return 1
    }
    if let digits { return writeSignificant(x, digits: digits, to: p) }
    // Whole numbers below 10¹⁵ survive Int64 and back; this spares the libm `round` call that
    // `x == x.rounded()` makes.
    if abs(x) < 1e15 {
      let n = Int64(x)
      if Double(n) == x { return write(n, to: p) }
    }
    return writeShortest(x, to: p)
  }

  /// Writes `n` at `p` (room for `maximumLength` bytes) and returns the number of bytes written.
  static func write(_ n: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int {
    // Below 10⁸ (ids, whole minutes): the digits in one word, leading zeros shifted out, one
    // 8-byte store.
    if n >= 0 && n < 100_000_000 {
      let v = UInt64(n)
      let count = v == 0 ? 1 : _ShortestDecimal._digitCount(v)
      let word = _ShortestDecimal._eightDigits(v) >> (64 &- 8 &* UInt64(count))
      UnsafeMutableRawPointer(p).storeBytes(of: word, as: UInt64.self)
      return count
    }
    var v = n.magnitude
    var count = 0
    if n < 0 {
      p.pointee = UInt8(ascii: "-")
      count = 1
    }
    var length = 1
    var power: UInt64 = 10
    while length < 20, v >= power {
      length += 1
      power &*= 10
    }
    count += length
    var i = count
    repeat {
      i -= 1
      p[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
      v /= 10
    } while v > 0
    return count
  }

  /// Writes `x.description`'s bytes at `p` and returns their count.
  static func writeShortest(_ x: Double, to p: UnsafeMutablePointer<UInt8>) -> Int {
    // `write(to:)` spells out a NaN's sign and payload (as `debugDescription` does);
    // `description` does not.
    if let count = _ShortestDecimal.write(x, to: p) { return count }
    if x.isNaN { return copy(x.description, to: p, limit: maximumLength) }
    var stream = _PointerStream(p)
    x.write(to: &stream)
    if stream.overflowed { return copy(x.description, to: p, limit: maximumLength) }
    return stream.count
  }

  /// Writes `String(format: "%.\(digits)g", x)`'s bytes at `p` (room for `capacity(digits:)`
  /// bytes), for `x` ≠ 0, and returns their count.
  ///
  /// For a normal `x` and 1 ≤ N ≤ 15 the result comes from the shortest round-trip digits S
  /// (k significant digits) of `x`, which lie within half an ulp (≤ 2⁻⁵³, about 1.1·10⁻¹⁶,
  /// relative) of its exact value:
  /// - k ≤ N: S is itself an N-digit decimal, closer to `x` than half a unit in its N-th digit
  ///   (at least 5·10⁻¹⁵ relative), so rounding `x` to N digits gives S.
  /// - k > N: a midpoint M between two N-digit decimals lying strictly between `x` and S would
  ///   read back as `x`, have at most k digits and be closer to `x` than S, contradicting S being
  ///   the shortest form and, among the shortest, the closest. So rounding S to N digits rounds
  ///   `x` the same way, unless S is such a midpoint (k = N + 1, last digit 5): then the exact
  ///   value decides, and that case goes to `String(format:)`, as do subnormals, infinities,
  ///   NaN and other N.
  static func writeSignificant(_ x: Double, digits: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
    if x.isNormal, (1...15).contains(digits) {
      let count = writeShortest(x, to: p)
      if let s = _Decimal(parsing: p, count: count),
        let r = s.rounded(toSignificant: digits)
      {
        return r.writeG(precision: digits, negative: x.sign == .minus, to: p)
      }
    }
    return copy(String(format: "%.\(digits)g", x), to: p, limit: capacity(digits: digits))
  }

  /// Copies at most `limit` bytes of `text` to `p` and returns their count.
  private static func copy(_ text: String, to p: UnsafeMutablePointer<UInt8>, limit: Int) -> Int {
    var count = 0
    for byte in text.utf8.prefix(limit) {
      p[count] = byte
      count += 1
    }
    return count
  }
}

/// A text stream that writes the ASCII the standard library hands it at a pointer, with room for
/// `_CSVNumber.maximumLength` bytes; `overflowed` is set when more arrive.
///
/// `Double.write(to:)` passes its digits to `_writeASCII(_:)` (a `TextOutputStream` requirement
/// whose default makes a String), so no String is built; `write(_:)` is the general fallback.
private struct _PointerStream: TextOutputStream {
  let base: UnsafeMutablePointer<UInt8>
  var count = 0
  var overflowed = false

  init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }

  mutating func write(_ string: String) {
    var string = string
    string.withUTF8 { _writeASCII($0) }
  }

  mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
    guard count + buffer.count <= _CSVNumber.maximumLength else {
      overflowed = true
      return
    }
    if let source = buffer.baseAddress { (base + count).update(from: source, count: buffer.count) }
    count += buffer.count
  }
}

/// A positive decimal d₁.d₂…dₖ × 10^exponent with d₁ ≠ 0 and dₖ ≠ 0, k ≤ 17: `digits` is the
/// integer d₁d₂…dₖ and `count` is k.
private struct _Decimal {
  var digits: UInt64
  var count: Int
  var exponent: Int

  init(digits: UInt64, count: Int, exponent: Int) {
    self.digits = digits
    self.count = count
    self.exponent = exponent
  }

  /// Reads the magnitude of Swift's text of a finite, non-zero double (`123.45`, `0.0001`,
  /// `-1.5e-05`, `1e+16`, `1440.0`). Swift writes no leading zero before the point except the
  /// `0` of `0.…`.
  init?(parsing p: UnsafePointer<UInt8>, count: Int) {
    let zero = UInt8(ascii: "0")
    let start = p[0] == UInt8(ascii: "-") ? 1 : 0
    var i = start
    var value: UInt64 = 0
    var significant = 0  // digits in `value`; leading zeros are skipped
    var pendingZeros = 0  // zeros after the last non-zero digit, not yet in `value`
    var integerDigits = 0  // digits before the point
    var zerosAfterPoint = 0  // zeros between the point and the first significant digit
    var seenPoint = false
    while i < count {
      let c = p[i]
      if c == UInt8(ascii: ".") {
        seenPoint = true
      } else if c >= zero, c <= UInt8(ascii: "9") {
        if !seenPoint { integerDigits += 1 }
        if c != zero {
          for _ in 0..<pendingZeros { value &*= 10 }
          significant += pendingZeros + 1
          pendingZeros = 0
          value = value &* 10 &+ UInt64(c &- zero)
        } else if significant > 0 {
          pendingZeros += 1
        } else if seenPoint {
          zerosAfterPoint += 1
        }
      } else {
        break
      }
      i += 1
    }
    guard significant > 0, significant <= 17, i > start else { return nil }
    var exponent = integerDigits == 1 && p[start] == zero ? -(zerosAfterPoint + 1) : integerDigits - 1
    if i < count {
      guard p[i] == UInt8(ascii: "e"), i + 2 < count else { return nil }
      var e = 0
      for j in (i + 2)..<count {
        guard p[j] >= zero, p[j] <= UInt8(ascii: "9") else { return nil }
        e = e * 10 + Int(p[j] &- zero)
      }
      exponent += p[i + 1] == UInt8(ascii: "-") ? -e : e
    }
    self.init(digits: value, count: significant, exponent: exponent)
  }

  /// 10ⁿ for 0 ≤ n ≤ 19.
  private static func power(_ n: Int) -> UInt64 {
    var p: UInt64 = 1
    for _ in 0..<n { p &*= 10 }
    return p
  }

  /// This value rounded to `n` significant digits (trailing zeros dropped), or nil when it lies
  /// exactly halfway between two n-digit decimals.
  func rounded(toSignificant n: Int) -> _Decimal? {
    if count <= n { return self }
    let unit = Self.power(count - n)
    var kept = digits / unit
    let rest = digits % unit
    let half = unit / 2
    if rest == half { return nil }
    if rest > half {
      kept += 1
      if kept == Self.power(n) { return _Decimal(digits: 1, count: 1, exponent: exponent + 1) }
    }
    var keptCount = n
    while kept % 10 == 0 {
      kept /= 10
      keptCount -= 1
    }
    return _Decimal(digits: kept, count: keptCount, exponent: exponent)
  }

  /// Writes C's `%.{precision}g` of this value (already rounded to `precision` digits) at `p` and
  /// returns the number of bytes: fixed notation when −4 ≤ exponent < precision, otherwise
  /// `d.ddde±XX`; trailing zeros are removed.
  func writeG(precision: Int, negative: Bool, to p: UnsafeMutablePointer<UInt8>) -> Int {
    let zero = UInt8(ascii: "0")
    var n = 0
    func put(_ byte: UInt8) {
      p[n] = byte
      n += 1
    }
    // The k digits, most significant first, at the end of the `maximumLength` bytes (at most
    // 17 + 7 in front).
    let text = p + (_CSVNumber.maximumLength - count)
    var v = digits
    for i in stride(from: count - 1, through: 0, by: -1) {
      text[i] = zero &+ UInt8(truncatingIfNeeded: v % 10)
      v /= 10
    }
    if negative { put(UInt8(ascii: "-")) }
    if exponent >= -4, exponent < precision {
      if exponent >= 0 {
        for i in 0...exponent { put(i < count ? text[i] : zero) }
        if count > exponent + 1 {
          put(UInt8(ascii: "."))
          for i in (exponent + 1)..<count { put(text[i]) }
        }
      } else {
        put(zero)
        put(UInt8(ascii: "."))
        for _ in 0..<(-exponent - 1) { put(zero) }
        for i in 0..<count { put(text[i]) }
      }
    } else {
      put(text[0])
      if count > 1 {
        put(UInt8(ascii: "."))
        for i in 1..<count { put(text[i]) }
      }
      put(UInt8(ascii: "e"))
      put(UInt8(ascii: exponent < 0 ? "-" : "+"))
      let e = exponent.magnitude
      if e >= 100 { put(zero &+ UInt8(e / 100)) }
      put(zero &+ UInt8(e / 10 % 10))
      put(zero &+ UInt8(e % 10))
    }
    return n
  }
}
