import Foundation
import PKCore
import Testing
import _PKTestSupport

@testable import PKScenario

/// The allocation-free number formatting of the CSV writers gives exactly the bytes of the
/// String-based formatting it replaced: `description` for the shortest form, `String(format:)`
/// for `%.Ng`, `String(_:)` for integers.
@Suite struct CSVNumberTests {
  /// What `_CSVNumber` wrote before it stopped building Strings.
  static func reference(_ x: Double, digits: Int?) -> String {
    if x == 0 { return "0" }
    if let digits { return String(format: "%.\(digits)g", x) }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return x.description
  }

  static func text(_ x: Double, digits: Int?) -> String {
    var out: [UInt8] = []
    _CSVNumber.append(x, digits: digits, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  static let edgeCases: [Double] = {
    var values: [Double] = [
      1, -1, 0.5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 9.5, 0.95, 99.5, 999.5, 0.00095, 0.125, 2.5, 0.0625,
      1e-4, 1e-5, 9.99e-5, 0.000099999, 1e15, -1e15, 1e15 + 1, 1e16, 1e17, 1e21, 1e22, 1e23,
      9_007_199_254_740_992, 9_007_199_254_740_994, 123_456_789_012_345_680, 999_999_999_999_999.9,
      99999.5, 12345.678, 9.999999999999999, 1e100, 1e-100, 1e300, 1e-300, 1e-307, 1e308,
      .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude, -.leastNormalMagnitude,
      .leastNonzeroMagnitude, -.leastNonzeroMagnitude, Double("1e-310")!, Double("4.9e-324")!,
      Double("2.225e-308")!, .ulpOfOne, 1 + .ulpOfOne,
      .pi, -.pi, 31746.031746031746, 1440.5, 0.016666666666666666, .infinity, -.infinity,
    ]
    for e in -30...30 {
      let p = pow(10, Double(e))
      values += [p, p.nextUp, p.nextDown, -p, 5 * p, 1.5 * p, 9.5 * p, 0.95 * p]
    }
    for e in stride(from: -1074, through: 1023, by: 7) {
      let p = Double(sign: .plus, exponent: e, significand: 1)
      values += [p, p.nextUp, p.nextDown]
    }
    return values
  }()

  /// Doubles from random bit patterns (all exponents, subnormals; NaNs dropped), random values
  /// in several decades, and short decimals (few significant digits, ties such as `x.5`).
  static func randomValues(count: Int, seed: UInt64) -> [Double] {
    var g = SeededGenerator(seed: seed)
    var values: [Double] = []
    for _ in 0..<count {
      let bits = Double(bitPattern: g.next())
      if !bits.isNaN { values.append(bits) }
      values.append(Double.random(in: -1e6...1e6, using: &g))
      values.append(
        Double.random(in: 0...1, using: &g) * pow(10, Double(Int.random(in: -20...20, using: &g))))
      values.append(
        Double(Int.random(in: 1...99_999, using: &g)) / pow(10, Double(Int.random(in: 0...12, using: &g))))
      values.append(Double(Int.random(in: -9_999...9_999, using: &g)) + 0.5)
    }
    return values
  }

  @Test func shortestFormIsDescription() {
    for x in Self.edgeCases + Self.randomValues(count: 100_000, seed: 1) {
      #expect(Self.text(x, digits: nil) == Self.reference(x, digits: nil), "\(x.bitPattern)")
      if x != 0 && !x.isNaN {
        var bytes = [UInt8](repeating: 0, count: _CSVNumber.maximumLength)
        let count = bytes.withUnsafeMutableBufferPointer { _CSVNumber.writeShortest(x, to: $0.baseAddress!) }
        #expect(String(decoding: bytes[..<count], as: UTF8.self) == x.description, "\(x.bitPattern)")
      }
    }
  }

  @Test func nanAndZeros() {
    for x in [Double.nan, -.nan, .signalingNaN, Double(bitPattern: 0x7FF8_0000_0000_1234)] {
      #expect(Self.text(x, digits: nil) == x.description)
      for digits in [1, 6, 17] { #expect(Self.text(x, digits: digits) == Self.reference(x, digits: digits)) }
    }
    for digits in [nil, 1, 6, 17] {
      #expect(Self.text(0, digits: digits) == "0")
      #expect(Self.text(-0.0, digits: digits) == "0")
    }
  }

  @Test(arguments: Array(1...17) + [25, 40]) func significantDigitsAreStringFormat(digits: Int) {
    for x in Self.edgeCases + Self.randomValues(count: 4_000, seed: UInt64(100 + digits)) {
      #expect(Self.text(x, digits: digits) == Self.reference(x, digits: digits), "\(x.bitPattern)")
    }
  }

  @Test func integers() {
    var g = SeededGenerator(seed: 7)
    var values: [Int64] = [.min, .max, 0, -1, 1, 9, 10, 99, 100, -100, 999_999_999_999_999]
    for _ in 0..<50_000 { values.append(Int64(bitPattern: g.next()) >> Int64.random(in: 0...62, using: &g)) }
    // Below 10⁸ the digits go out in one word: every count of digits and its edges.
    values += (0...20_000).map(Int64.init)
    for k in 1...18 {
      let p = Int64(pow(10, Double(k)))
      values += [p - 1, p, p + 1, -p, 7 * p / 10 + 3]
    }
    for n in values {
      var out: [UInt8] = []
      _CSVNumber.append(n, to: &out)
      #expect(String(decoding: out, as: UTF8.self) == String(n))
    }
  }

  /// A subject's curve rows, wide and long, with amounts and observations, are the rows the
  /// number-by-number writer gave.
  @Test(arguments: [CSVFormat.wide, .long], [nil, 4, 40])
  func curveRows(format: CSVFormat, digits: Int?) throws {
    var g = SeededGenerator(seed: 11)
    let grid = try OutputGrid(times: [0, 0.5, 1, 2.25, 60, 1440, 1e15 + 2], unit: .minute)
    let outputs = [Output(name: "ketamine", compartment: "central"), Output(name: "nk", compartment: "nk")]
    let states = ["central", "peripheral", "eliminated"]
    let t = grid.times.count
    let concentrations = (0..<(t * outputs.count)).map { _ in Double.random(in: 0...1000, using: &g) }
    let amounts = (0..<(t * states.count)).map { k in k % 5 == 0 ? 0 : Double.random(in: 0...50, using: &g) }
    let result = SimulationResult(
      times: grid.hours, stateNames: states, outputs: outputs, amounts: amounts,
      concentrations: concentrations, totalDose: 35)
    let observed = (0..<t).map { _ in Double.random(in: 0...1000, using: &g) }
    let writer = PopulationCSVWriter(format: format, includeAmounts: true, digits: digits)
    // The same rows from a writer with the time column made once for this grid, for another
    // grid (not used here), and for ids whose `id,` is longer than the 16 bytes put in as words.
    let other = try OutputGrid(times: [0, 0.1 + 0.2], unit: .minute)
    let writers = [writer, writer.prepared(for: grid), writer.prepared(for: other)]
    for id in [1_234_567, 1_234_567_890_123_456_789] {
      var expected = ""
      func f(_ x: Double) -> String { Self.reference(x, digits: digits) }
      for k in 0..<t {
        let time = f(grid.times[k])
        let values =
          outputs.indices.map { (outputs[$0].name, f(concentrations[k * 2 + $0]), "ng/mL") }
          + [("nk_obs", f(observed[k]), "ng/mL")]
          + states.indices.map { (states[$0], f(amounts[k * 3 + $0]), "mg") }
        switch format {
        case .wide: expected += "\(id),\(time)," + values.map(\.1).joined(separator: ",") + "\n"
        case .long: for v in values { expected += "\(id),\(time),\(v.0),\(v.1),\(v.2)\n" }
        }
      }
      for (w, writer) in writers.enumerated() {
        var out: [UInt8] = []
        writer.appendCurve(id: id, result: result, grid: grid, observations: ([1], observed), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected, "writer \(w), id \(id)")
      }
    }
  }

  /// A grid whose times all have short texts is made once; one with a longer text (over 16
  /// bytes) is formatted per row: the same bytes either way.
  @Test func timeTextsOfAGrid() throws {
    let short = try OutputGrid(times: [0, 1, 2.5, 1440, 123_456_789_012_345], unit: .minute)
    #expect(_TimeTexts(times: short.times, digits: nil) != nil)
    #expect(_TimeTexts(times: [0, 0.1 + 0.2], digits: nil) == nil)
    let texts = try #require(_TimeTexts(times: short.times, digits: nil))
    for (k, t) in short.times.enumerated() {
      var bytes = [UInt8](repeating: 0, count: 16)
      let count = bytes.withUnsafeMutableBufferPointer { texts.write(k, to: $0.baseAddress!) }
      #expect(String(decoding: bytes[..<count], as: UTF8.self) == Self.reference(t, digits: nil))
    }
  }
}
