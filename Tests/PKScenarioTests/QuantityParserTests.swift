import PKCore
import RealModule
import Testing

@testable import PKScenario

@Suite struct QuantityParserTests {
  @Test func weights() throws {
    #expect(try QuantityParser.weight("70kg") == 70)
    #expect(try QuantityParser.weight(" 70 kg ") == 70)
    #expect(throws: QuantityError.self) { try QuantityParser.weight("0kg") }
    #expect(throws: QuantityError.self) { try QuantityParser.weight("70") }
    #expect(throws: QuantityError.self) { try QuantityParser.weight("70 lb") }
    #expect(throws: QuantityError.self) { try QuantityParser.weight("seventy") }
  }

  @Test func ages() throws {
    #expect(try QuantityParser.age("40y") == 40)
    #expect(try QuantityParser.age("18 months") == 1.5)
    #expect(throws: QuantityError.self) { try QuantityParser.age("-3 y") }
    #expect(throws: QuantityError.self) { try QuantityParser.age("40") }
  }

  @Test func times() throws {
    #expect(try QuantityParser.time("24h") == (24, .hour))
    #expect(try QuantityParser.time("1min") == (1, .minute))
    #expect(try QuantityParser.time("90 s") == (90, .second))
    #expect(try QuantityParser.time("2 days") == (2, .day))
    #expect(
      try QuantityParser.positiveDuration("30 s").isApproximatelyEqual(
        to: 30.0 / 3600, relativeTolerance: 1e-15))
    #expect(throws: QuantityError.self) { try QuantityParser.positiveDuration("0 min") }
    #expect(throws: QuantityError.self) { try QuantityParser.time("40 mg") }
  }

  @Test func exponentNotation() throws {
    #expect(try QuantityParser.split("1e-3 mg") == (1e-3, "mg"))
    #expect(try QuantityParser.split("2.5E2mg/kg") == (250, "mg/kg"))
  }

  @Test func sexes() throws {
    #expect(try QuantityParser.sex("female") == .female)
    #expect(try QuantityParser.sex("M") == .male)
    #expect(throws: QuantityError.self) { try QuantityParser.sex("x") }
  }

  @Test func doseQuantities() throws {
    #expect(try QuantityParser.dose("1 g") == .amount(DoseAmount(milligrams: 1000)))
    #expect(try QuantityParser.dose("2 mg/kg") == .amount(DoseAmount(milligrams: 2, perKilogram: true)))
    #expect(try QuantityParser.dose("60 mg/min") == .rate(DoseRate(milligramsPerHour: 3600)))
    #expect(throws: QuantityError.self) { try QuantityParser.dose("5 mg/kg/kg") }
    #expect(throws: QuantityError.self) { try QuantityParser.dose("5 L") }
  }
}
