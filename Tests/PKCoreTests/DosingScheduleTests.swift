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

  /// Only `iv` exists, so an unsupported route is made by a compartment model that maps no
  /// route to a compartment (a model file without routes is rejected earlier, by `validate()`).
  @Test func routeTheModelDoesNotSupportIsUnsupportedRoute() throws {
    let full = try MammillaryModel.oneCompartmentExample.modelDefinition().instantiate(for: Subject())
    let model = CompartmentModel(
      name: full.name, compartmentNames: full.compartmentNames, volumes: full.volumes,
      system: full.system, outputs: full.outputs, outputCompartments: full.outputCompartments,
      routeCompartments: [:])
    #expect(throws: ModelError.unsupportedRoute(.iv, supported: [])) {
      try DosingSchedule(
        doses: [Dose(delivery: .bolus(Self.mg(1)))], model: model, subject: Subject())
    }
  }

  // MARK: Expansion

  @Test func noDosesGiveNoEvents() throws {
    let s = try Self.schedule([])
    #expect(s.events.isEmpty)
    expectClose(s.totalAmount, 0, relativeTolerance: 0)
    expectClose(s.lastEventTime, 0, relativeTolerance: 0)
  }

  /// A repeated bolus becomes one impulse per dose, at time + k·interval, into the central state.
  @Test func repeatedBolusExpandsIntoImpulses() throws {
    let s = try Self.schedule([Dose(time: 1, delivery: .bolus(Self.mg(40)), interval: 6, count: 4)])
    expectClose(s.events.map(\.time), [1, 7, 13, 19], relativeTolerance: 0)
    #expect(
      s.events.allSatisfy {
        $0.input == nil && $0.impulses.count == 1 && $0.impulses[0].component == 0
      })
    expectClose(s.events.map { $0.impulses[0].amount }, [40, 40, 40, 40], relativeTolerance: 0)
    expectClose(s.totalAmount, 160, relativeTolerance: 0)
    expectClose(s.lastEventTime, 19, relativeTolerance: 0)
  }

  /// An infusion by amount and duration switches the rate amount/duration on, then all inputs off.
  @Test func infusionByDurationSwitchesOnAndOff() throws {
    let s = try Self.schedule([Dose(time: 0.25, delivery: .infusion(Self.mg(50), hours: 0.5))])
    expectClose(s.events.map(\.time), [0.25, 0.75], relativeTolerance: 0)
    #expect(s.events.allSatisfy { $0.impulses.isEmpty })
    expectClose(s.events[0].input ?? [], [100, 0, 0], relativeTolerance: 0)
    expectClose(s.events[1].input ?? [], [0, 0, 0], relativeTolerance: 0)
    expectClose(s.totalAmount, 50, relativeTolerance: 0)
    expectClose(s.lastEventTime, 0.75, relativeTolerance: 0)
  }

  @Test func infusionByRateGivesRateTimesDuration() throws {
    let s = try Self.schedule([
      Dose(delivery: .infusionAtRate(Self.mgPerHour(30), hours: 2), interval: 12, count: 2)
    ])
    expectClose(s.events.map(\.time), [0, 2, 12, 14], relativeTolerance: 0)
    expectClose(
      s.events.compactMap(\.input).flatMap { $0 }, [30, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0],
      relativeTolerance: 0)
    expectClose(s.totalAmount, 120, relativeTolerance: 0)
  }

  /// Overlapping infusions of 0.1 and 0.2 mg/h: the input is summed afresh at every change, so
  /// it returns to exactly zero at the end (a running sum would leave 0.1 + 0.2 − 0.1 − 0.2 ≈ 3e-17).
  @Test func overlappingInfusionsReturnToExactlyZero() throws {
    let s = try Self.schedule([
      Dose(time: 0, delivery: .infusionAtRate(Self.mgPerHour(0.1), hours: 2)),
      Dose(time: 1, delivery: .infusionAtRate(Self.mgPerHour(0.2), hours: 3)),
    ])
    expectClose(s.events.map(\.time), [0, 1, 2, 4], relativeTolerance: 0)
    let central = s.events.map { $0.input?[0] ?? .nan }
    expectClose(central, [0.1, 0.1 + 0.2, 0.2, 0], relativeTolerance: 0)
    expectClose(s.events.last?.input ?? [], [0, 0, 0], relativeTolerance: 0)
    expectClose(s.totalAmount, 0.1 * 2 + 0.2 * 3, relativeTolerance: 2 * Double.ulpOfOne)
  }

  /// Back-to-back infusions (one stops when the next starts) give one event at the junction.
  @Test func backToBackInfusionsShareTheJunctionEvent() throws {
    let s = try Self.schedule([
      Dose(delivery: .infusion(Self.mg(10), hours: 1), interval: 1, count: 3)
    ])
    expectClose(s.events.map(\.time), [0, 1, 2, 3], relativeTolerance: 0)
    expectClose(s.events.map { $0.input?[0] ?? .nan }, [10, 10, 10, 0], relativeTolerance: 0)
  }

  /// Boluses at the same time keep the order of the doses, and share an event with an infusion
  /// that starts then.
  @Test func equalTimesMergeIntoOneEventInDoseOrder() throws {
    let s = try Self.schedule([
      Dose(time: 2, delivery: .bolus(Self.mg(3))),
      Dose(time: 2, delivery: .infusionAtRate(Self.mgPerHour(5), hours: 1)),
      Dose(time: 2, delivery: .bolus(Self.mg(7))),
    ])
    expectClose(s.events.map(\.time), [2, 3], relativeTolerance: 0)
    expectClose(s.events[0].impulses.map(\.amount), [3, 7], relativeTolerance: 0)
    expectClose(s.events[0].input ?? [], [5, 0, 0], relativeTolerance: 0)
    expectClose(s.totalAmount, 15, relativeTolerance: 0)
  }

  /// Events come out in time order whatever the order of the doses.
  @Test func eventsAreSortedByTime() throws {
    let s = try Self.schedule([
      Dose(time: 5, delivery: .bolus(Self.mg(1))),
      Dose(time: 0.5, delivery: .infusion(Self.mg(2), hours: 0.25)),
      Dose(time: 3, delivery: .bolus(Self.mg(1))),
    ])
    expectClose(s.events.map(\.time), [0.5, 0.75, 3, 5], relativeTolerance: 0)
    expectClose(s.lastEventTime, 5, relativeTolerance: 0)
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
    expectClose(s.events[0].impulses.map(\.amount), [40], relativeTolerance: 0)
    expectClose(s.events[1].input ?? [], [20, 0, 0], relativeTolerance: 0)
    expectClose(s.totalAmount, 80, relativeTolerance: 0)
  }
}
