import PKCore
import Testing
import _PKTestSupport

/// `ModelDefinition.validate()`: structural errors are `ModelError.invalidModel` naming the problem.
@Suite struct ModelDefinitionValidationTests {
  /// A valid 2-compartment definition to break in one place per test.
  static var valid: ModelDefinition { MammillaryModel.twoCompartmentExample.modelDefinition() }

  static func clearanceParameter(_ name: String) -> Parameter {
    Parameter(
      name: name, value: 30, unit: "L/h", description: "clearance", provenance: .printed,
      dimension: .clearance, factor: 1)
  }

  /// Expects `validate()` to throw `.invalidModel` with a message containing `fragment`.
  static func expectInvalid(
    _ definition: ModelDefinition, _ fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    do {
      try definition.validate()
      Issue.record(
        "expected ModelError.invalidModel containing '\(fragment)'", sourceLocation: sourceLocation)
    } catch {
      guard case .invalidModel(let message) = error else {
        Issue.record("expected invalidModel, got \(error)", sourceLocation: sourceLocation)
        return
      }
      #expect(message.contains(fragment), "message: \(message)", sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: MammillaryModel.examples)
  func referenceDefinitionsAreValid(_ m: MammillaryModel) throws {
    try m.modelDefinition().validate()
  }

  @Test func flowToAnUnknownCompartment() {
    var d = Self.valid
    d.flows.append(Flow(from: "central", to: "liver", parameter: "k12", kind: .rateConstant))
    Self.expectInvalid(d, "a flow ends in unknown compartment 'liver'")
  }

  @Test func flowFromAnUnknownCompartment() {
    var d = Self.valid
    d.flows.append(Flow(from: "liver", to: "central", parameter: "k21", kind: .rateConstant))
    Self.expectInvalid(d, "a flow starts in unknown compartment 'liver'")
  }

  @Test func clearanceFlowFromACompartmentWithoutVolume() {
    var d = Self.valid
    d.parameters.append(Self.clearanceParameter("CL2"))
    d.flows.append(Flow(from: "peripheral1", to: nil, parameter: "CL2", kind: .clearance))
    Self.expectInvalid(d, "is a clearance, so 'peripheral1' needs a volume")
  }

  @Test func clearanceFlowFromACompartmentWithVolumeIsValid() throws {
    var d = Self.valid
    d.parameters.append(Self.clearanceParameter("CL"))
    d.flows = d.flows.filter { $0.parameter != "k10" }
    d.flows.append(Flow(from: "central", to: nil, parameter: "CL", kind: .clearance))
    try d.validate()
  }

  @Test func outputWithoutVolume() {
    var d = Self.valid
    d.outputs.append(Output(name: "tissue", compartment: "peripheral1"))
    Self.expectInvalid(d, "output 'tissue' needs compartment 'peripheral1' to have a volume")
  }

  @Test func outputInAnUnknownCompartment() {
    var d = Self.valid
    d.outputs = [Output(name: "drug", compartment: "plasma")]
    Self.expectInvalid(d, "output 'drug' names unknown compartment 'plasma'")
  }

  @Test func flowNamingAMissingParameter() {
    var d = Self.valid
    d.flows.append(Flow(from: "peripheral1", to: nil, parameter: "k20", kind: .rateConstant))
    Self.expectInvalid(d, "names parameter 'k20', which the model does not define")
  }

  @Test func rateConstantFlowWithAClearanceParameter() {
    var d = Self.valid
    d.parameters.append(Self.clearanceParameter("CL"))
    d.flows.append(Flow(from: "central", to: nil, parameter: "CL", kind: .rateConstant))
    Self.expectInvalid(d, "needs 'CL' to be a")
    Self.expectInvalid(d, "(1/h)")
  }

  @Test func volumeParameterOfTheWrongDimension() {
    var d = Self.valid
    d.compartments[0].volume = "k10"
    Self.expectInvalid(d, "compartment 'central' needs 'k10' to be a volume (L)")
  }

  @Test func duplicateCompartmentNames() {
    var d = Self.valid
    d.compartments.append(Compartment(name: "central"))
    Self.expectInvalid(d, "two compartments share a name")
  }

  @Test func duplicateParameterNames() {
    var d = Self.valid
    d.parameters.append(d.parameters[1])
    Self.expectInvalid(d, "two parameters share a name")
  }

  @Test func reservedEliminatedName() {
    var d = Self.valid
    d.compartments.append(Compartment(name: "eliminated"))
    Self.expectInvalid(d, "'eliminated' is reserved")
  }

  @Test func flowEndingWhereItStarts() {
    var d = Self.valid
    d.flows.append(Flow(from: "central", to: "central", parameter: "k12", kind: .rateConstant))
    Self.expectInvalid(d, "ends where it starts")
  }

  @Test func noRoute() {
    var d = Self.valid
    d.routes = []
    Self.expectInvalid(d, "supports no route")
  }

  @Test func routeIntoAnUnknownCompartment() {
    var d = Self.valid
    d.routes = [RouteDefinition(route: .iv, compartment: "vein")]
    Self.expectInvalid(d, "route 'iv' doses into unknown compartment 'vein'")
  }

  @Test func usesWeightReflectsTheCovariates() {
    var d = Self.valid
    #expect(!d.usesWeight)
    d.covariates = [Covariate(name: "WT", unit: "kg", description: "weight")]
    #expect(d.usesWeight)
  }

  @Test func expressionNamingAnUnknownNameIsInvalid() throws {
    var d = Self.valid
    d.parameters[0].definition = .expression(try ExpressionParser.parse("2 * WTT"), text: "2 * WTT")
    Self.expectInvalid(d, "WTT")
  }

  @Test func circularDefinitionIsInvalid() throws {
    var d = Self.valid
    let a = d.parameters[0].name
    let b = d.parameters[1].name
    d.parameters[0].definition = .expression(try ExpressionParser.parse(b), text: b)
    d.parameters[1].definition = .expression(try ExpressionParser.parse(a), text: a)
    Self.expectInvalid(d, "circular")
  }

  @Test func doseModifierForAMissingCompartmentIsInvalid() {
    var d = Self.valid
    d.parameters.append(
      Parameter(
        name: "F9", value: 1, unit: "1", description: "bioavailability", provenance: .derived,
        dimension: .dimensionless, factor: 1))
    Self.expectInvalid(d, "'F9' modifies doses into compartment 9")
  }

  @Test func doseModifierWithTheWrongDimensionIsInvalid() {
    var d = Self.valid
    d.parameters.append(
      Parameter(
        name: "ALAG1", value: 1, unit: "L", description: "lag", provenance: .derived,
        dimension: .volume, factor: 1))
    Self.expectInvalid(d, "ALAG1")
  }
}
