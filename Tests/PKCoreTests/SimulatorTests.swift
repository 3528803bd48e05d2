import RealModule
import Testing
import _PKTestSupport

@testable import PKCore

/// `Simulator.run` against the closed-form polyexponential solutions, plus mass balance and
/// independence of the output grid.
@Suite struct SimulatorTests {
  /// A regimen written twice: in PKCore's terms and independently for the reference.
  struct Regimen: Sendable, CustomTestStringConvertible {
    var name: String
    var doses: [Dose]
    var reference: [ReferenceDose]
    var testDescription: String { name }
  }

  static func mg(_ x: Double) -> DoseAmount { DoseAmount(milligrams: x) }

  static let regimens: [Regimen] = [
    Regimen(
      name: "bolus 100 mg at 0 h",
      doses: [Dose(delivery: .bolus(mg(100)))],
      reference: [.bolus(time: 0, amount: 100)]),
    Regimen(
      name: "bolus 80 mg at 1.5 h",
      doses: [Dose(time: 1.5, delivery: .bolus(mg(80)))],
      reference: [.bolus(time: 1.5, amount: 80)]),
    Regimen(
      name: "infusion 50 mg over 0.5 h from 0.25 h (by duration)",
      doses: [Dose(time: 0.25, delivery: .infusion(mg(50), hours: 0.5))],
      reference: [.infusion(start: 0.25, rate: 50 / 0.5, duration: 0.5)]),
    Regimen(
      name: "infusion 30 mg/h for 2 h (by rate)",
      doses: [Dose(delivery: .infusionAtRate(DoseRate(milligramsPerHour: 30), hours: 2))],
      reference: [.infusion(start: 0, rate: 30, duration: 2)]),
    Regimen(
      name: "bolus 40 mg every 6 h × 4",
      doses: [Dose(delivery: .bolus(mg(40)), interval: 6, count: 4)],
      reference: ReferenceDose.bolus(time: 0, amount: 40).repeated(every: 6, count: 4)),
    Regimen(
      name: "infusion 20 mg over 1 h every 8 h × 3 from 0.5 h",
      doses: [Dose(time: 0.5, delivery: .infusion(mg(20), hours: 1), interval: 8, count: 3)],
      reference: ReferenceDose.infusion(start: 0.5, rate: 20, duration: 1).repeated(
        every: 8, count: 3)),
    Regimen(
      name: "bolus, overlapping infusions and a bolus during an infusion",
      doses: [
        Dose(delivery: .bolus(mg(35))),
        Dose(delivery: .infusionAtRate(DoseRate(milligramsPerHour: 12), hours: 3)),
        Dose(time: 1, delivery: .infusion(mg(0.4), hours: 4)),
        Dose(time: 2.2, delivery: .bolus(mg(5))),
      ],
      reference: [
        .bolus(time: 0, amount: 35), .infusion(start: 0, rate: 12, duration: 3),
        .infusion(start: 1, rate: 0.4 / 4, duration: 4), .bolus(time: 2.2, amount: 5),
      ]),
  ]

  /// Every minute for 24 h, built as i/60 (1441 points).
  static let minuteGrid = (0...1440).map { Double($0) / 60.0 }

  /// Relative error allowed between the engine and the closed form: the engine is exact up to
  /// the matrix exponential's rounding (a few u per step, u ≈ 1.1e-16); over 1441 steps that
  /// stays below about 1e-12, so 1e-10 leaves room for the reference's own evaluation.
  static let closedFormTolerance = 1e-10

  @Test(arguments: MammillaryModel.examples, regimens)
  func matchesTheClosedForm(_ model: MammillaryModel, _ regimen: Regimen) throws {
    let result = try model.simulate(doses: regimen.doses, outputTimes: Self.minuteGrid)
    let expected = model.concentrations(at: Self.minuteGrid, after: regimen.reference)
    #expect(result.outputs.count == 1)
    // A reference value of exactly 0 (before a dose, or at the instant an infusion starts)
    // requires exactly 0.
    expectClose(result.curve(0), expected, relativeTolerance: Self.closedFormTolerance)
  }

  /// Σ states (compartments and `eliminated`) = amount given so far, at every output, to 1e-10
  /// of the total dose.
  @Test(arguments: MammillaryModel.examples, regimens)
  func conservesMass(_ model: MammillaryModel, _ regimen: Regimen) throws {
    let result = try model.simulate(doses: regimen.doses, outputTimes: Self.minuteGrid)
    let total = regimen.reference.map(\.amount).reduce(0, +)
    expectClose(result.totalDose, total, relativeTolerance: 4 * Double.ulpOfOne, "total dose")
    #expect(result.stateCount == model.compartmentCount + 1)
    #expect(result.stateNames.last == "eliminated")
    let sums = Self.minuteGrid.indices.map { k in
      (0..<result.stateCount).map { result.amount($0, at: k) }.reduce(0, +)
    }
    let given = Self.minuteGrid.map { t in
      regimen.reference.map { $0.administered(by: t) }.reduce(0, +)
    }
    expectClose(sums, given, relativeTolerance: 0, absoluteTolerance: 1e-10 * total)
  }

  /// Adding output times (every 7 s, and every dose start and infusion end) does not change the
  /// values at the original times beyond 1e-12 relative.
  ///
  /// The dense grid takes about 13 800 steps instead of 1440. Each exact step rounds at the
  /// level of u ≈ 1.1e-16, so the requirement holds only while those roundings do not add up
  /// systematically (13 800·u ≈ 1.5e-12) and the time actually advanced stays on the grid.
  @Test(arguments: MammillaryModel.examples, regimens)
  func doesNotDependOnTheOutputGrid(_ model: MammillaryModel, _ regimen: Regimen) throws {
    let base = Self.minuteGrid
    var doseTimes: [Double] = []
    for dose in regimen.reference {
      doseTimes.append(dose.start)
      if case .infusion(let start, _, let duration) = dose { doseTimes.append(start + duration) }
    }
    let everySevenSeconds = (0...(24 * 3600 / 7)).map { Double($0) * 7 / 3600 }
    // The dense grid keeps every base time as the same Double (repeats are allowed), and
    // remembers where each base time went.
    let tagged =
      (base.enumerated().map { ($1, Optional($0)) }
      + (everySevenSeconds + doseTimes).map { ($0, nil) })
      .sorted { $0.0 < $1.0 }
    let fine = tagged.map(\.0)
    var positionOfBase = [Int](repeating: -1, count: base.count)
    for (j, entry) in tagged.enumerated() { if let k = entry.1 { positionOfBase[k] = j } }

    let coarse = try model.simulate(doses: regimen.doses, outputTimes: base)
    let dense = try model.simulate(doses: regimen.doses, outputTimes: fine)
    let n = coarse.stateCount
    var coarseAmounts: [Double] = []
    var denseAmounts: [Double] = []
    var denseCurve: [Double] = []
    for k in base.indices {
      let j = positionOfBase[k]
      for i in 0..<n {
        coarseAmounts.append(coarse.amount(i, at: k))
        denseAmounts.append(dense.amount(i, at: j))
      }
      denseCurve.append(dense.concentration(0, at: j))
    }
    expectClose(denseAmounts, coarseAmounts, relativeTolerance: 1e-12, "amounts")
    expectClose(denseCurve, coarse.curve(0), relativeTolerance: 1e-12, "concentrations")
  }

  /// Outputs before the first dose are exactly zero in every state.
  @Test(arguments: MammillaryModel.examples)
  func beforeTheFirstDoseEverythingIsExactlyZero(_ model: MammillaryModel) throws {
    let times = [0, 0.5, 1.0, 1.5]
    let result = try model.simulate(
      doses: [Dose(time: 1.5, delivery: .bolus(Self.mg(10)))], outputTimes: times)
    let n = result.stateCount
    expectClose(
      Array(result.amounts[0..<(3 * n)]), [Double](repeating: 0, count: 3 * n), relativeTolerance: 0
    )
    expectClose(result.amount(0, at: 3), 10, relativeTolerance: 0, "the dose is in at its own time")
  }

  /// Concentration = amount / V × 1000 (mg/L → ng/mL).
  @Test func concentrationIsAmountOverVolumeInNanogramsPerMillilitre() throws {
    let model = MammillaryModel.twoCompartmentExample
    let result = try model.simulate(
      doses: [Dose(delivery: .bolus(Self.mg(100)))], outputTimes: [0, 1, 2])
    expectClose(
      result.curve(0), (0..<3).map { result.amount(0, at: $0) / model.volume * 1000 },
      relativeTolerance: 2 * Double.ulpOfOne)
    expectClose(
      result.concentration(0, at: 0), 100 / model.volume * 1000,
      relativeTolerance: 2 * Double.ulpOfOne)
  }

  /// A per-kg dose is the absolute dose for the subject's weight.
  @Test func perKilogramDosesMatchTheirAbsoluteEquivalent() throws {
    let model = MammillaryModel.threeCompartmentExample
    let subject = Subject(weight: 80)
    let perKg = [
      Dose(delivery: .bolus(DoseAmount(milligrams: 0.5, perKilogram: true))),
      Dose(
        time: 1,
        delivery: .infusionAtRate(DoseRate(milligramsPerHour: 0.25, perKilogram: true), hours: 2)),
      Dose(
        time: 4, delivery: .infusion(DoseAmount(milligrams: 0.1, perKilogram: true), hours: 0.5)),
    ]
    let absolute: [ReferenceDose] = [
      .bolus(time: 0, amount: 40), .infusion(start: 1, rate: 20, duration: 2),
      .infusion(start: 4, rate: 8 / 0.5, duration: 0.5),
    ]
    let result = try model.simulate(doses: perKg, outputTimes: Self.minuteGrid, subject: subject)
    expectClose(result.totalDose, 40 + 40 + 8, relativeTolerance: 4 * Double.ulpOfOne)
    expectClose(
      result.curve(0), model.concentrations(at: Self.minuteGrid, after: absolute),
      relativeTolerance: Self.closedFormTolerance)
  }

  @Test func perKilogramDoseWithoutWeightIsAModelError() {
    let model = MammillaryModel.oneCompartmentExample
    let dose = Dose(delivery: .bolus(DoseAmount(milligrams: 0.5, perKilogram: true)))
    #expect(throws: ModelError.missingCovariate(name: "weight", reason: "a dose is given per kg")) {
      try model.simulate(doses: [dose], outputTimes: [0, 1])
    }
  }

  /// Repeated runs of one simulator give identical results (the propagator cache is reused).
  @Test func repeatedRunsAgree() throws {
    let definition = MammillaryModel.twoCompartmentExample.modelDefinition()
    var simulator = Simulator(model: try definition.instantiate(for: Subject()), subject: Subject())
    let doses = [Dose(delivery: .bolus(Self.mg(10)), interval: 4, count: 3)]
    let first = try simulator.run(doses: doses, outputTimes: Self.minuteGrid)
    let second = try simulator.run(doses: doses, outputTimes: Self.minuteGrid)
    expectClose(second.amounts, first.amounts, relativeTolerance: 0)
  }

  /// No doses: everything stays exactly zero; no output times: an empty result.
  @Test func emptyRegimenAndEmptyGrid() throws {
    let model = MammillaryModel.twoCompartmentExample
    let none = try model.simulate(doses: [], outputTimes: [0, 1, 2])
    expectClose(none.amounts, [Double](repeating: 0, count: 9), relativeTolerance: 0)
    expectClose(none.totalDose, 0, relativeTolerance: 0)
    let empty = try model.simulate(doses: [Dose(delivery: .bolus(Self.mg(1)))], outputTimes: [])
    #expect(empty.amounts.isEmpty && empty.concentrations.isEmpty)
  }

  /// The order check of the output times: equal neighbours pass, a decrease or a NaN fails.
  @Test func outputTimesOrderCheck() {
    #expect(Simulator._nonDecreasing([]))
    #expect(Simulator._nonDecreasing([3]))
    #expect(Simulator._nonDecreasing([0, 1, 1, 2.5]))
    #expect(!Simulator._nonDecreasing([0, 2, 1]))
    #expect(!Simulator._nonDecreasing([0, .nan, 1]))
    #expect(!Simulator._nonDecreasing([0, 1, -.infinity]))
    // Longer grids go four pairs at a time, then the rest one by one: a fault anywhere counts.
    let grid = (0..<1441).map { Double($0) / 60 }
    #expect(Simulator._nonDecreasing(grid))
    for k in [1, 2, 3, 4, 5, 700, 1437, 1438, 1439, 1440] {
      var decreasing = grid
      decreasing[k] = decreasing[k - 1].nextDown
      #expect(!Simulator._nonDecreasing(decreasing), "a decrease at \(k)")
      var notANumber = grid
      notANumber[k] = .nan
      #expect(!Simulator._nonDecreasing(notANumber), "a NaN at \(k)")
    }
  }
}
