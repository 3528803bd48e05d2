import PKCore

/// The model definition of a mammillary reference model, for running it through the engine.
extension MammillaryModel {
  /// A `ModelDefinition` with the same structure and numbers, built programmatically.
  ///
  /// Parameters: `V1` (L) and the micro-constants `k10`, `k12`, `k21`, `k13`, `k31` (1/h, so
  /// `factor` 1). Compartments: `central` (volume `V1`), `peripheral1`, `peripheral2`. One
  /// output, `drug`, observed in `central`; route `iv` doses into `central`.
  ///
  /// - Parameter name: the model's name, shown in messages.
  public func modelDefinition(name: String = "mammillary-reference") -> ModelDefinition {
    func rateConstant(_ name: String, _ value: Double, _ description: String) -> Parameter {
      Parameter(
        name: name, value: value, unit: "1/h", description: description, provenance: .derived,
        dimension: .rateConstant, factor: 1)
    }
    var parameters = [
      Parameter(
        name: "V1", value: volume, unit: "L", description: "central volume", provenance: .derived,
        dimension: .volume, factor: 1),
      rateConstant("k10", k10, "elimination from the central compartment"),
    ]
    var compartments = [Compartment(name: "central", volume: "V1")]
    var flows = [Flow(from: "central", to: nil, parameter: "k10", kind: .rateConstant)]
    for (index, p) in peripherals.enumerated() {
      let number = index + 2
      let compartment = "peripheral\(index + 1)"
      parameters.append(rateConstant("k1\(number)", p.fromCentral, "central → \(compartment)"))
      parameters.append(rateConstant("k\(number)1", p.toCentral, "\(compartment) → central"))
      compartments.append(Compartment(name: compartment))
      flows.append(
        Flow(from: "central", to: compartment, parameter: "k1\(number)", kind: .rateConstant))
      flows.append(
        Flow(from: compartment, to: "central", parameter: "k\(number)1", kind: .rateConstant))
    }
    return ModelDefinition(
      name: name, drug: "reference drug",
      citation: "Gibaldi M, Perrier D. Pharmacokinetics. 2nd ed. Marcel Dekker; 1982.",
      population: "none (a test model)", samplingSite: "central", validatedRange: ValidatedRange(),
      timeUnit: .hour, parameters: parameters, compartments: compartments, flows: flows,
      outputs: [Output(name: "drug", compartment: "central")],
      routes: [RouteDefinition(route: .iv, compartment: "central")])
  }
}
