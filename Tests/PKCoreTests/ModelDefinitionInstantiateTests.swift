import PKCore
import PKLinearAlgebra
import RealModule
import Testing
import _PKTestSupport

/// `ModelDefinition.value(of:for:)` and `instantiate(for:)`: unit factors, weight scaling, the
/// system matrix and covariate errors.
@Suite struct ModelDefinitionInstantiateTests {
  static let u = Double.ulpOfOne / 2

  /// A 2-compartment model in clearances: V1 in L/kg, V2 in L, CL and Q in L/min with
  /// allometric scaling (WT/70)^0.75.
  static func clearanceModel() -> ModelDefinition {
    func expression(_ text: String) -> Parameter.Definition {
      .expression(try! ExpressionParser.parse(text), text: text)
    }
    var d = MammillaryModel.twoCompartmentExample.modelDefinition(name: "clearance-model")
    d.covariates = [Covariate(name: "WT", unit: "kg", description: "total body weight")]
    d.parameters = [
      Parameter(
        name: "V1KG", value: 0.25, unit: "L/kg", description: "central volume per kg",
        provenance: .printed, dimension: .volume, factor: 1, perKilogram: true),
      Parameter(
        name: "V1", definition: expression("V1KG * WT"), unit: "L", description: "central volume",
        provenance: .derived, dimension: .volume, factor: 1),
      Parameter(
        name: "V2", value: 60, unit: "L", description: "peripheral volume", provenance: .printed,
        dimension: .volume, factor: 1),
      Parameter(
        name: "CL70", value: 0.5, unit: "L/min", description: "clearance at 70 kg",
        provenance: .printed, dimension: .clearance, factor: 60),
      Parameter(
        name: "CL", definition: expression("CL70 * (WT / 70) ^ 0.75"), unit: "L/min",
        description: "clearance", provenance: .derived, dimension: .clearance, factor: 60),
      Parameter(
        name: "Q70", value: 1.2, unit: "L/min", description: "inter-compartmental clearance at 70 kg",
        provenance: .printed, dimension: .clearance, factor: 60),
      Parameter(
        name: "Q", definition: expression("Q70 * (WT / 70) ^ 0.75"), unit: "L/min",
        description: "inter-compartmental clearance", provenance: .derived, dimension: .clearance,
        factor: 60),
    ]
    d.compartments = [
      Compartment(name: "central", volume: "V1"), Compartment(name: "peripheral1", volume: "V2"),
    ]
    d.flows = [
      Flow(from: "central", to: nil, parameter: "CL", kind: .clearance),
      Flow(from: "central", to: "peripheral1", parameter: "Q", kind: .clearance),
      Flow(from: "peripheral1", to: "central", parameter: "Q", kind: .clearance),
    ]
    return d
  }

  @Test func valueAppliesTheUnitFactor() throws {
    var d = MammillaryModel.oneCompartmentExample.modelDefinition()
    d.parameters[1] = Parameter(
      name: "k10", value: 0.0075, unit: "1/min", description: "elimination", provenance: .printed,
      dimension: .rateConstant, factor: 60)
    expectClose(try d.value(of: "k10", for: Subject()), 0.45, relativeTolerance: 2 * Self.u)
  }

  @Test func perKilogramParameterIsMultipliedByWeight() throws {
    let d = Self.clearanceModel()
    expectClose(try d.value(of: "V1", for: Subject(weight: 80)), 20, relativeTolerance: 0)
  }

  @Test func allometricParameterIsScaledByWeightRatioToTheExponent() throws {
    let d = Self.clearanceModel()
    let expected = 0.5 * 60 * Double.pow(80.0 / 70.0, 0.75)
    expectClose(
      try d.value(of: "CL", for: Subject(weight: 80)), expected, relativeTolerance: 4 * Self.u)
    expectClose(try d.value(of: "CL", for: Subject(weight: 70)), 30, relativeTolerance: 4 * Self.u)
  }

  @Test func perKilogramAndAllometricTogetherInOneExpression() throws {
    var d = Self.clearanceModel()
    d.parameters[2] = Parameter(
      name: "V2", definition: .expression(try ExpressionParser.parse("2 * WT * (WT / 70) ^ 0.5"), text: ""),
      unit: "L", description: "peripheral volume", provenance: .derived, dimension: .volume, factor: 1)
    expectClose(
      try d.value(of: "V2", for: Subject(weight: 50)), 2 * 50 * Double.pow(50.0 / 70.0, 0.5),
      relativeTolerance: 4 * Self.u)
  }

  @Test func weightScaledParameterWithoutWeightIsMissingCovariate() {
    let d = Self.clearanceModel()
    #expect(
      throws: ModelError.missingCovariate(
        name: "weight", reason: "clearance-model uses WT (total body weight)")
    ) {
      try d.value(of: "V1", for: Subject())
    }
    #expect(throws: ModelError.self) { try d.instantiate(for: Subject(age: 40)) }
  }

  @Test func perKilogramValueCannotBeAVolumeDirectly() {
    var d = Self.clearanceModel()
    d.compartments[0].volume = "V1KG"
    #expect(throws: ModelError.self) { try d.validate() }
  }

  @Test func unknownParameterIsInvalidModel() {
    #expect(throws: ModelError.invalidModel("unknown parameter 'KA'")) {
      try Self.clearanceModel().value(of: "KA", for: Subject(weight: 70))
    }
  }

  @Test(arguments: [0.0, -70.0, Double.nan, Double.infinity])
  func impossibleWeightIsInvalidCovariate(_ weight: Double) {
    do {
      _ = try Self.clearanceModel().instantiate(for: Subject(weight: weight))
      Issue.record("a weight of \(weight) kg was accepted")
    } catch {
      guard case .invalidCovariate(let name, _, let expected) = error else {
        Issue.record("expected invalidCovariate, got \(error)")
        return
      }
      #expect(name == "weight")
      #expect(expected == "a positive number of kg")
    }
  }

  @Test func negativeAgeIsInvalidCovariate() {
    #expect(
      throws: ModelError.invalidCovariate(name: "age", value: -1, expected: "zero or more years")
    ) {
      try MammillaryModel.oneCompartmentExample.modelDefinition().instantiate(for: Subject(age: -1))
    }
  }

  @Test func nonPositiveVolumeIsInvalidModel() {
    var d = MammillaryModel.oneCompartmentExample.modelDefinition()
    d.parameters[0].definition = .value(0)
    #expect(throws: ModelError.self) { try d.instantiate(for: Subject()) }
  }

  @Test func negativeRateIsInvalidModel() {
    var d = MammillaryModel.twoCompartmentExample.modelDefinition()
    d.parameters[2].definition = .value(-1)  // k12
    #expect(throws: ModelError.self) { try d.instantiate(for: Subject()) }
  }

  /// A flow i → j with rate constant k adds −k at (i, i) and +k at (j, i); elimination goes to
  /// the last state. The 3-compartment matrix, written out:
  /// ```
  /// [−(k10+k12+k13)   k21    k31   0]
  /// [  k12           −k21    0     0]
  /// [  k13            0     −k31   0]
  /// [  k10            0      0     0]
  /// ```
  @Test func systemMatrixOfThreeCompartments() throws {
    let m = MammillaryModel.threeCompartmentExample
    let model = try m.modelDefinition().instantiate(for: Subject())
    let (k12, k21) = (m.peripherals[0].fromCentral, m.peripherals[0].toCentral)
    let (k13, k31) = (m.peripherals[1].fromCentral, m.peripherals[1].toCentral)
    let expected = Matrix([
      [-(m.k10 + k12 + k13), k21, k31, 0],
      [k12, -k21, 0, 0],
      [k13, 0, -k31, 0],
      [m.k10, 0, 0, 0],
    ])
    expectClose(model.system.matrix, expected, relativeTolerance: 2 * Self.u)
    #expect(model.stateNames == ["central", "peripheral1", "peripheral2", "eliminated"])
    #expect(model.compartmentCount == 3)
    #expect(model.outputCompartments == [0])
    #expect(model.routeCompartments[.iv] == 0)
    #expect(model.supportedRoutes == [.iv])
    expectClose(
      model.volumes.map { $0 ?? .nan }.prefix(1).map { $0 }, [m.volume], relativeTolerance: 0)
    #expect(model.volumes[1] == nil && model.volumes[2] == nil)
  }

  /// Every column of the system matrix sums to zero: nothing is created or lost.
  @Test(arguments: MammillaryModel.examples)
  func columnsSumToZero(_ m: MammillaryModel) throws {
    let a = try m.modelDefinition().instantiate(for: Subject()).system.matrix
    let sums = (0..<a.columns).map { j in (0..<a.rows).map { a[$0, j] }.reduce(0, +) }
    let scale = a.oneNorm
    expectClose(
      sums, [Double](repeating: 0, count: sums.count), relativeTolerance: 0,
      absoluteTolerance: 4 * scale * Self.u)
  }

  /// Clearances become rate constants k = CL / V_from after weight scaling.
  @Test func clearancesBecomeRateConstantsForTheSubject() throws {
    let weight = 80.0
    let model = try Self.clearanceModel().instantiate(for: Subject(weight: weight))
    let scale = Double.pow(weight / 70, 0.75)
    let (v1, v2, cl, q) = (0.25 * weight, 60.0, 30 * scale, 72 * scale)
    let expected = Matrix([
      [-(cl + q) / v1, q / v2, 0],
      [q / v1, -q / v2, 0],
      [cl / v1, 0, 0],
    ])
    expectClose(model.system.matrix, expected, relativeTolerance: 4 * Self.u)
    expectClose(model.volumes.map { $0 ?? .nan }, [v1, v2], relativeTolerance: 0)
  }

  /// The weight-scaled model simulates as the closed form with the scaled micro-constants.
  @Test(arguments: [50.0, 70.0, 110.0])
  func weightScaledModelMatchesTheClosedForm(_ weight: Double) throws {
    let subject = Subject(weight: weight)
    let definition = Self.clearanceModel()
    try definition.validate()
    let scale = Double.pow(weight / 70, 0.75)
    let (v1, v2, cl, q) = (0.25 * weight, 60.0, 30 * scale, 72 * scale)
    let reference = MammillaryModel.twoCompartment(
      k10: cl / v1, k12: q / v1, k21: q / v2, volume: v1)
    var simulator = Simulator(model: try definition.instantiate(for: subject), subject: subject)
    let times = (0...1440).map { Double($0) / 60.0 }
    let doses = [
      Dose(delivery: .bolus(DoseAmount(milligrams: 1, perKilogram: true))),
      Dose(
        time: 2, delivery: .infusion(DoseAmount(milligrams: 0.5, perKilogram: true), hours: 0.5)),
    ]
    let result = try simulator.run(doses: doses, outputTimes: times)
    let expected = reference.concentrations(
      at: times,
      after: [
        .bolus(time: 0, amount: weight),
        .infusion(start: 2, rate: 0.5 * weight / 0.5, duration: 0.5),
      ])
    expectClose(result.curve(0), expected, relativeTolerance: 1e-10)
  }

  /// `instantiate` validates first: a flow to an unknown compartment is rejected, never turned
  /// into elimination.
  @Test func instantiateRejectsAFlowToAnUnknownCompartment() {
    var d = MammillaryModel.twoCompartmentExample.modelDefinition()
    d.flows[1].to = "liver"  // central → "liver" instead of peripheral1
    #expect(throws: ModelError.self) { try d.instantiate(for: Subject()) }
  }
}
