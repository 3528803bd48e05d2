import Foundation
import Testing
import _PKTestSupport

@testable import PKScenario

/// `_ShortestDecimal`, the CSV writers' formatter for magnitudes from 2⁻⁹ to 2⁵⁰: byte for byte
/// Swift's `description` wherever it answers, and it answers for every non-whole value there.
@Suite struct ShortestDecimalTests {
  static func fast(_ x: Double) -> String? {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: _ShortestDecimal.room) { buffer in
      _ShortestDecimal.write(x, to: buffer.baseAddress!).map {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[..<$0]), as: UTF8.self)
      }
    }
  }

  /// Checks `x` and −x; returns whether the fast path answered.
  @discardableResult
  static func check(_ x: Double) -> Bool {
    var answered = false
    for v in [x, -x] {
      guard let text = fast(v) else { continue }
      answered = true
      #expect(text == v.description, "\(v.bitPattern): \(text) vs \(v.description)")
    }
    return answered
  }

  static var inRange: ClosedRange<Int> { -9...49 }

  /// Random significands at every exponent of the range and just outside it.
  @Test func randomSignificandsAtEveryExponent() {
    var g = SeededGenerator(seed: 2026)
    var answered = 0
    var total = 0
    for e in -12...52 {
      for _ in 0..<20_000 {
        let x = Double(sign: .plus, exponent: e, significand: 1 + Double(g.next() >> 12) * 0x1p-52)
        total += 1
        if Self.check(x) { answered += 1 }
        if Self.inRange.contains(e) && x != x.rounded() {
          #expect(Self.fast(x) != nil, "not answered: \(x)")
        }
        if !Self.inRange.contains(e) { #expect(Self.fast(x) == nil) }
      }
    }
    #expect(answered > total / 2)
  }

  /// Short decimals (few significant digits: the shortest form strips many digits), halves,
  /// powers of two and of ten and their neighbours, the smallest and largest significands.
  @Test func shortDecimalsPowersAndNeighbours() {
    var g = SeededGenerator(seed: 7)
    var values: [Double] = []
    for _ in 0..<100_000 {
      let digits = Int(g.next() % 17) + 1
      let mantissa = Double(g.next() % UInt64(pow(10, Double(digits))))
      let exponent = Int(g.next() % 22) - 4
      values.append(mantissa / pow(10, Double(exponent)))
      values.append(Double(g.next() % 1_000_000) + 0.5)
      values.append(Double(g.next() % 1_000_000) / 1024)
    }
    for e in -10...50 {
      let p = Double(sign: .plus, exponent: e, significand: 1)
      var a = p
      var b = p
      for _ in 0..<50 {
        values += [a, b]
        a = a.nextUp
        b = b.nextDown
      }
      values.append(Double(sign: .plus, exponent: e, significand: 2.nextDown))
    }
    for k in -3...15 {
      let p = pow(10, Double(k))
      var a = p
      var b = p
      for _ in 0..<50 {
        values += [a, b, 1.5 * a, 3.3 * b]
        a = a.nextUp
        b = b.nextDown
      }
    }
    for x in values where x.isFinite && x != 0 { Self.check(x) }
  }

  /// Concentrations as the CSV writers see them: a kamp-2020 infusion's curve, every minute.
  @Test func concentrationLikeValues() {
    var x = 32.45388114023665
    var answered = 0
    for i in 0..<200_000 {
      x = x * (1 + 1e-4 * Double(i % 13 - 6)) + 1e-9 * Double(i % 7)
      if Self.check(x) { answered += 1 }
    }
    #expect(answered == 200_000)
  }

  /// The text is moved in 8-byte words: nothing is written past `room` bytes, and the bytes
  /// after the text are left for the next field (the writers write over them).
  @Test func writesWithinItsRoom() {
    var g = SeededGenerator(seed: 11)
    let sentinel: UInt8 = 0xA5
    for k in 0..<100_000 {
      let e = Int(g.next() % 59) - 9
      let x = Double(
        sign: k % 2 == 0 ? .plus : .minus, exponent: e, significand: 1 + Double(g.next() >> 12) * 0x1p-52)
      var bytes = [UInt8](repeating: sentinel, count: _ShortestDecimal.room + 16)
      let count = bytes.withUnsafeMutableBufferPointer { _ShortestDecimal.write(x, to: $0.baseAddress!) }
      guard let count else { continue }
      #expect(count <= 24)
      #expect(bytes[_ShortestDecimal.room...].allSatisfy { $0 == sentinel }, "\(x)")
    }
  }
}
