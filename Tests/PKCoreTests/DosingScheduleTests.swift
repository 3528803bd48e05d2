import PKCore
import PKSolver
import RealModule
import Testing
import _PKTestSupport

/// `DosingSchedule`: expansion of doses into integrator events, and rejection of impossible doses.
@Suite struct DosingScheduleTests {
  static let model = try! MammillaryModel.twoCompartmentExample.modelDefinition().instantiate(
    for: Subject())
  static let noWeight = Subject()

  static func schedule(_ doses: [Dose], subject: Subject = noWeight) throws(ModelError)
    -> DosingSchedule
  {
    try DosingSchedule(doses: doses, model: model, subject: subject)
  }

  static func mg(_ x: Double) -> DoseAmount { DoseAmount(milligrams: x) }
  static func mgPerHour(_ x: Double) -> DoseRate { DoseRate(milligramsPerHour: x) }

  /// Runs `body`, expecting `ModelError.invalidDose` whose message contains `fragment`.
  static func expectInvalidDose(
    _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation, _ doses: [Dose]
  ) {
    do {
      _ = try schedule(doses)
      Issue.record("expected ModelError.invalidDose", sourceLocation: sourceLocation)
    } catch {
      guard case .invalidDose(let message) = error else {
        Issue.record("expected invalidDose, got \(error)", sourceLocation: sourceLocation)
        return
      }
      #expect(message.contains(fragment), "message: \(message)", sourceLocation: sourceLocation)
    }
  }

  // MARK: Errors

  @Test func zeroAmountIsInvalid() {
    Self.expectInvalidDose("amount 0.0 mg", [Dose(delivery: .bolus(Self.mg(0)))])
    Self.expectInvalidDose("amount 0.0 mg", [Dose(delivery: .infusion(Self.mg(0), hours: 1))])
  }

  @Test func negativeAmountIsInvalid() {
    Self.expectInvalidDose("amount -5.0 mg", [Dose(delivery: .bolus(Self.mg(-5)))])
  }

  @Test func nonFiniteAmountIsInvalid() {
    Self.expectInvalidDose(
      "expected an amount above 0", [Dose(delivery: .bolus(Self.mg(.infinity)))])
    Self.expectInvalidDose("expected an amount above 0", [Dose(delivery: .bolus(Self.mg(.nan)))])
  }

  @Test func zeroOrNegativeDurationIsInvalid() {
    Self.expectInvalidDose("lasts 0.0 h", [Dose(delivery: .infusion(Self.mg(10), hours: 0))])
    Self.expectInvalidDose(
      "lasts 0.0 h", [Dose(delivery: .infusionAtRate(Self.mgPerHour(10), hours: 0))])
    Self.expectInvalidDose("lasts -1.0 h", [Dose(delivery: .infusion(Self.mg(10), hours: -1))])
  }

  @Test func zeroOrNegativeRateIsInvalid() {
    Self.expectInvalidDose(
      "rate 0.0 mg/h", [Dose(delivery: .infusionAtRate(Self.mgPerHour(0), hours: 1))])
    Self.expectInvalidDose(
      "rate -2.0 mg/h", [Dose(delivery: .infusionAtRate(Self.mgPerHour(-2), hours: 1))])
  }

  @Test func countZeroIsInvalid() {
    Self.expectInvalidDose(
      "given 0 times", [Dose(delivery: .bolus(Self.mg(10)), interval: 6, count: 0)])
    Self.expectInvalidDose("given -1 times", [Dose(delivery: .bolus(Self.mg(10)), count: -1)])
  }

  @Test func repeatsWithoutAPositiveIntervalAreInvalid() {
    Self.expectInvalidDose("needs an interval", [Dose(delivery: .bolus(Self.mg(10)), count: 2)])
    Self.expectInvalidDose(
      "needs an interval", [Dose(delivery: .bolus(Self.mg(10)), interval: 0, count: 2)])
    Self.expectInvalidDose(
      "needs an interval", [Dose(delivery: .bolus(Self.mg(10)), interval: -6, count: 3)])
    Self.expectInvalidDose(
      "needs an interval", [Dose(delivery: .bolus(Self.mg(10)), interval: .infinity, count: 3)])
  }

  @Test func negativeOrNonFiniteStartIsInvalid() {
    Self.expectInvalidDose("starts at -1.0 h", [Dose(time: -1, delivery: .bolus(Self.mg(10)))])
    Self.expectInvalidDose("starts at nan h", [Dose(time: .nan, delivery: .bolus(Self.mg(10)))])
  }

  /// With several doses the message names the one at fault.
  @Test func messagesNameTheDose() {
    Self.expectInvalidDose(
      "dose 2 has amount 0.0 mg",
      [Dose(delivery: .bolus(Self.mg(10))), Dose(time: 1, delivery: .bolus(Self.mg(0)))])
    Self.expectInvalidDose(
      "the dose lasts 0.0 h", [Dose(delivery: .infusion(Self.mg(10), hours: 0))])
  }

  @Test func perKilogramDoseWithoutWeightIsMissingCovariate() {
    #expect(throws: ModelError.missingCovariate(name: "weight", reason: "a dose is given per kg")) {
      try Self.schedule([Dose(delivery: .bolus(DoseAmount(milligrams: 1, perKilogram: true)))])
    }
    #expect(
      throws: ModelError.missingCovariate(
        name: "weight", reason: "an infusion rate is given per kg")
    ) {
      try Self.schedule([
        Dose(delivery: .infusionAtRate(DoseRate(milligramsPerHour: 1, perKilogram: true), hours: 1))
      ])
    }
  }

  /// A route the model does not declare is an error listing the routes it does.
  @Test func unsupportedRouteListsTheSupportedOnes() {
    #expect(throws: ModelError.unsupportedRoute(.oral, supported: [.iv])) {
      try Self.schedule([Dose(route: .oral, delivery: .bolus(Self.mg(10)))])
    }
    #expect(
      ModelError.unsupportedRoute(.oral, supported: [.iv, .nasal]).description
        == "route 'oral' is not supported by this model; it supports: iv, nasal")
  }

  // MARK: Expansion into dose records

  @Test func noDosesGiveNoRecords() throws {
    let s = try Self.schedule([])
    #expect(s.records.isEmpty)
    expectClose(s.totalAmount, 0, relativeTolerance: 0)
  }

  /// A repeated bolus becomes one record with II and ADDL = count − 1, into compartment 1.
  @Test func repeatedBolusBecomesADDL() throws {
    let s = try Self.schedule([Dose(time: 1, delivery: .bolus(Self.mg(40)), interval: 6, count: 4)])
    #expect(
      s.records == [
        DataRecord(id: 1, time: 1, evid: 1, amount: 40, compartment: 1, interval: 6, additional: 3)
      ])
    expectClose(s.totalAmount, 160, relativeTolerance: 0)
  }

  /// An infusion by amount and duration becomes AMT with RATE = AMT / duration.
  @Test func infusionByDurationGivesTheRate() throws {
    let s = try Self.schedule([Dose(time: 0.25, delivery: .infusion(Self.mg(50), hours: 0.5))])
    #expect(s.records == [DataRecord(id: 1, time: 0.25, evid: 1, amount: 50, rate: 100, compartment: 1)])
    expectClose(s.totalAmount, 50, relativeTolerance: 0)
  }

  /// An infusion by rate becomes RATE with AMT = RATE × duration.
  @Test func infusionByRateGivesRateTimesDuration() throws {
    let s = try Self.schedule([
      Dose(delivery: .infusionAtRate(Self.mgPerHour(30), hours: 2), interval: 12, count: 2)
    ])
    #expect(
      s.records == [
        DataRecord(
          id: 1, time: 0, evid: 1, amount: 60, rate: 30, compartment: 1, interval: 12, additional: 1)
      ])
    expectClose(s.totalAmount, 120, relativeTolerance: 0)
  }

  /// Records come out in time order whatever the order of the doses; equal times keep the
  /// order given.
  @Test func recordsAreSortedStably() throws {
    let s = try Self.schedule([
      Dose(time: 5, delivery: .bolus(Self.mg(1))),
      Dose(time: 0.5, delivery: .infusion(Self.mg(2), hours: 0.25)),
      Dose(time: 5, delivery: .bolus(Self.mg(3))),
      Dose(time: 3, delivery: .bolus(Self.mg(1))),
    ])
    expectClose(s.records.map(\.time), [0.5, 3, 5, 5], relativeTolerance: 0)
    expectClose(s.records.map(\.amount), [2, 1, 1, 3], relativeTolerance: 0)
  }

  /// Per-kg amounts and rates are multiplied by the weight.
  @Test func perKilogramDosesUseTheWeight() throws {
    let s = try Self.schedule(
      [
        Dose(delivery: .bolus(DoseAmount(milligrams: 0.5, perKilogram: true))),
        Dose(
          time: 1,
          delivery: .infusionAtRate(DoseRate(milligramsPerHour: 0.25, perKilogram: true), hours: 2)),
      ],
      subject: Subject(weight: 80))
    expectClose(s.records.map(\.amount), [40, 40], relativeTolerance: 0)
    expectClose(s.records.map(\.rate), [0, 20], relativeTolerance: 0)
    expectClose(s.totalAmount, 80, relativeTolerance: 0)
  }
}
