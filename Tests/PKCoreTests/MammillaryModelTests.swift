import RealModule
import Testing
import _PKTestSupport

/// The closed-form reference solutions themselves, checked against identities that do not
/// involve the engine: Vieta's formulas, initial values and slopes, areas, and reductions to
/// fewer compartments.
@Suite struct MammillaryModelTests {
  static let u = Double.ulpOfOne / 2

  /// The exponents are the roots of the characteristic polynomial: their sum, pairwise
  /// products and product are a2, a1 and a0.
  @Test func threeCompartmentExponentsSatisfyVieta() {
    let m = MammillaryModel.threeCompartmentExample
    let (k10, k12, k21) = (m.k10, m.peripherals[0].fromCentral, m.peripherals[0].toCentral)
    let (k13, k31) = (m.peripherals[1].fromCentral, m.peripherals[1].toCentral)
    let l = m.exponents
    #expect(l.count == 3 && l[0] > l[1] && l[1] > l[2] && l[2] > 0)
    let a0 = k10 * k21 * k31
    let a1 = k10 * k31 + k21 * k31 + k21 * k13 + k10 * k21 + k31 * k12
    let a2 = k10 + k12 + k13 + k21 + k31
    expectClose(l[0] + l[1] + l[2], a2, relativeTolerance: 8 * Self.u, "a2")
    expectClose(l[0] * l[1] + l[0] * l[2] + l[1] * l[2], a1, relativeTolerance: 16 * Self.u, "a1")
    expectClose(l[0] * l[1] * l[2], a0, relativeTolerance: 16 * Self.u, "a0")
  }

  @Test func twoCompartmentExponentsSatisfyVieta() {
    let m = MammillaryModel.twoCompartmentExample
    let (k12, k21) = (m.peripherals[0].fromCentral, m.peripherals[0].toCentral)
    let l = m.exponents
    expectClose(l[0] + l[1], m.k10 + k12 + k21, relativeTolerance: 8 * Self.u)
    expectClose(l[0] * l[1], m.k10 * k21, relativeTolerance: 8 * Self.u)
  }

  /// C(0) = D/V: the coefficients per unit dose sum to 1/V.
  @Test(arguments: MammillaryModel.examples)
  func initialConcentrationIsDoseOverVolume(_ m: MammillaryModel) {
    expectClose(m.unitCoefficients.reduce(0, +), 1 / m.volume, relativeTolerance: 64 * Self.u)
    expectClose(m.unitBolusResponse(at: 0), 1 / m.volume, relativeTolerance: 64 * Self.u)
  }

  /// C'(0) = −(k10 + Σ k1p)·D/V: only the central compartment holds drug at 0.
  @Test(arguments: MammillaryModel.examples)
  func initialSlopeIsTheOutflowFromTheCentralCompartment(_ m: MammillaryModel) {
    let slope = -zip(m.unitCoefficients, m.exponents).map { $0 * $1 }.reduce(0, +)
    let outflow = m.k10 + m.peripherals.map(\.fromCentral).reduce(0, +)
    expectClose(slope, -outflow / m.volume, relativeTolerance: 256 * Self.u)
  }

  /// AUC = D / CL = D / (k10·V).
  @Test(arguments: MammillaryModel.examples)
  func areaIsDoseOverClearance(_ m: MammillaryModel) {
    expectClose(m.unitArea, 1 / (m.k10 * m.volume), relativeTolerance: 256 * Self.u)
  }

  /// A long infusion approaches Css = R / CL, and the infusion response is continuous at its end.
  @Test(arguments: MammillaryModel.examples)
  func infusionReachesSteadyStateAndIsContinuous(_ m: MammillaryModel) {
    let slowest = m.exponents.last!
    let long = 60 / slowest  // e^{−60} of the slowest phase is left
    expectClose(
      m.unitInfusionResponse(at: long, duration: 2 * long), 1 / (m.k10 * m.volume),
      relativeTolerance: 1e-13)
    let end = 1.25
    let before = m.unitInfusionResponse(at: end, duration: end)
    let after = m.unitInfusionResponse(at: end.nextUp, duration: end)
    expectClose(after, before, relativeTolerance: 1e-14)
  }

  /// With k13 = 0 the third compartment is never filled: the 3-compartment solution is the
  /// 2-compartment one, and with k12 = 0 the 2-compartment solution is the 1-compartment one.
  @Test func reducesToFewerCompartments() {
    let two = MammillaryModel.twoCompartmentExample
    let (k12, k21) = (two.peripherals[0].fromCentral, two.peripherals[0].toCentral)
    let three = MammillaryModel.threeCompartment(
      k10: two.k10, k12: k12, k21: k21, k13: 0, k31: 0.05, volume: two.volume)
    let times = (0...48).map { Double($0) / 2 }
    expectClose(
      times.map { three.unitBolusResponse(at: $0) }, times.map { two.unitBolusResponse(at: $0) },
      relativeTolerance: 1e-13, "3 → 2 compartments")

    let one = MammillaryModel.oneCompartment(k10: 0.45, volume: 150)
    let twoWithoutExchange = MammillaryModel.twoCompartment(
      k10: 0.45, k12: 0, k21: 0.9, volume: 150)
    expectClose(
      times.map { twoWithoutExchange.unitBolusResponse(at: $0) },
      times.map { 1 / 150 * Double.exp(-0.45 * $0) }, relativeTolerance: 1e-14, "2 → 1 compartment")
    expectClose(
      times.map { one.unitBolusResponse(at: $0) },
      times.map { 1 / 150 * Double.exp(-0.45 * $0) }, relativeTolerance: 4 * Self.u, "1 compartment"
    )
  }

  /// Superposition: before a dose nothing, at a bolus the full jump, and doses add.
  @Test func superpositionOfDoses() {
    let m = MammillaryModel.twoCompartmentExample
    let doses: [ReferenceDose] = [
      .bolus(time: 1, amount: 10), .infusion(start: 2, rate: 5, duration: 3),
    ]
    expectClose(m.concentration(at: 0.5, after: doses), 0, relativeTolerance: 0)
    expectClose(
      m.concentration(at: 1, after: doses), 10 / m.volume * 1000, relativeTolerance: 64 * Self.u)
    let t = 3.5
    let sum =
      10 * m.unitBolusResponse(at: t - 1) + 5 * m.unitInfusionResponse(at: t - 2, duration: 3)
    expectClose(m.concentration(at: t, after: doses), 1000 * sum, relativeTolerance: 4 * Self.u)
  }

  @Test func repeatedDosesAndAdministeredAmounts() {
    let doses = ReferenceDose.infusion(start: 0.5, rate: 20, duration: 1).repeated(
      every: 8, count: 3)
    expectClose(doses.map(\.start), [0.5, 8.5, 16.5], relativeTolerance: 0)
    let given = [0.0, 0.5, 1.0, 1.5, 9.0, 24].map { t in
      doses.map { $0.administered(by: t) }.reduce(0, +)
    }
    expectClose(given, [0, 0, 10, 20, 30, 60], relativeTolerance: 4 * Self.u)
    let boluses = ReferenceDose.bolus(time: 0, amount: 40).repeated(every: 6, count: 4)
    expectClose(boluses.map { $0.administered(by: 6) }, [40, 40, 0, 0], relativeTolerance: 0)
  }

  /// The programmatic definition has the structure the closed forms assume.
  @Test(arguments: MammillaryModel.examples)
  func modelDefinitionHasTheSameStructure(_ m: MammillaryModel) throws {
    let definition = m.modelDefinition()
    try definition.validate()
    #expect(definition.compartments.count == m.compartmentCount)
    #expect(definition.flows.count == 1 + 2 * m.peripherals.count)
    #expect(
      definition.parameters.allSatisfy {
        $0.factor.isApproximatelyEqual(to: 1, absoluteTolerance: 0)
      })
    #expect(
      definition.parameters.filter { $0.dimension == .rateConstant }.count == 1 + 2
        * m.peripherals.count)
  }
}
