import PKCore
import RealModule
import Testing

@testable import PKScenario

@Suite struct RegimenParserTests {
  @Test func bolusPerKilogram() throws {
    let d = try RegimenParser.parse("2 mg/kg iv")
    #expect(d.delivery == .bolus(DoseAmount(milligrams: 2, perKilogram: true)))
    #expect(d.route == .iv)
    #expect(d.time == 0)
    #expect(d.count == 1)
  }

  @Test func infusionByDuration() throws {
    let d = try RegimenParser.parse("0.5 mg/kg iv over 40 min")
    guard case .infusion(let amount, let hours) = d.delivery else {
      Issue.record("not an infusion")
      return
    }
    #expect(amount == DoseAmount(milligrams: 0.5, perKilogram: true))
    #expect(hours.isApproximatelyEqual(to: 40.0 / 60.0, relativeTolerance: 1e-15))
  }

  @Test func infusionByRate() throws {
    let d = try RegimenParser.parse("1 mg/kg/h iv for 60 min")
    guard case .infusionAtRate(let rate, let hours) = d.delivery else {
      Issue.record("not a rate")
      return
    }
    #expect(rate == DoseRate(milligramsPerHour: 1, perKilogram: true))
    #expect(hours.isApproximatelyEqual(to: 1, relativeTolerance: 1e-15))
  }

  @Test func repeatedInfusion() throws {
    let d = try RegimenParser.parse("0.35 mg/kg/h iv for 4 h every 24 h x 3")
    #expect(d.interval == 24)
    #expect(d.count == 3)
    #expect(d.startTimes == [0, 24, 48])
  }

  @Test func startTime() throws {
    let d = try RegimenParser.parse("20 mg iv at 6 h")
    #expect(d.delivery == .bolus(DoseAmount(milligrams: 20)))
    #expect(d.time == 6)
  }

  @Test(arguments: [
    ("20mg", 20.0), ("20 mg", 20.0), ("0.02 g", 20.0), ("500 µg", 0.5), ("500 μg", 0.5),
    ("500 ug", 0.5), ("500 mcg", 0.5),
  ])
  func massUnits(text: String, milligrams: Double) throws {
    let d = try RegimenParser.parse(text)
    guard case .bolus(let a) = d.delivery else {
      Issue.record("not a bolus")
      return
    }
    #expect(a.milligrams.isApproximatelyEqual(to: milligrams, relativeTolerance: 1e-15))
  }

  @Test func ratePerMinute() throws {
    let d = try RegimenParser.parse("41 µg/kg/min for 30 min")
    guard case .infusionAtRate(let rate, _) = d.delivery else {
      Issue.record("not a rate")
      return
    }
    #expect(rate.perKilogram)
    #expect(rate.milligramsPerHour.isApproximatelyEqual(to: 41e-3 * 60, relativeTolerance: 1e-14))
  }

  @Test func routeDefaultsToIV() throws {
    #expect(try RegimenParser.parse("20 mg").route == .iv)
  }

  @Test func compactForms() throws {
    let d = try RegimenParser.parse("10 mg every 8h x4")
    #expect(d.count == 4)
    #expect(d.interval == 8)
  }

  @Test(arguments: [
    ("", "found nothing"),
    ("iv", "expected an amount"),
    ("0 mg iv", "above 0"),
    ("-5 mg iv", "above 0"),
    ("5 mg/h iv", "needs a duration"),
    ("5 mg/h", "needs a duration"),
    ("5 mg iv over 40 mg", "found '40 mg'"),
    ("5 mg iv for 40 min", "'for' goes with a rate"),
    ("5 mg/h iv over 40 min", "'over' goes with an amount"),
    ("5 mg sc", "route 'sc' is not simulated by KetaSim"),
    ("5 mg oral nasal", "'route' appears twice"),
    ("5 mg teleport", "unknown word 'teleport'"),
    ("5 mg every 24 h", "needs a count"),
    ("5 mg x 3", "needs an interval"),
    ("5 mg every 24 h x 0", "1 or more"),
    ("5 mg every 24 h x two", "whole number"),
    ("5 kg iv", "expected an amount"),
    ("abc mg", "expected an amount"),
    ("5 mg at -1 h", "0 or later"),
    ("5 mg over", "found the end"),
    ("5 mg over 10 min over 20 min", "appears twice"),
    ("nan mg", "expected an amount"),
  ])
  func badRegimens(text: String, message: String) {
    #expect {
      _ = try RegimenParser.parse(text)
    } throws: { error in
      (error as? QuantityError)?.message.contains(message) == true
    }
  }
}
