import PKCore

/// Running a mammillary reference model through the engine.
extension MammillaryModel {
  /// Validates and instantiates `modelDefinition()` for `subject`, then simulates `doses`.
  ///
  /// - Parameters:
  ///   - doses: the regimen, in PKCore's terms.
  ///   - outputTimes: non-decreasing times (h).
  ///   - subject: the covariates; none are needed unless a dose is per kg.
  public func simulate(
    doses: [Dose], outputTimes: [Double], subject: Subject = Subject()
  ) throws -> SimulationResult {
    let definition = modelDefinition()
    try definition.validate()
    var simulator = Simulator(model: try definition.instantiate(for: subject), subject: subject)
    return try simulator.run(doses: doses, outputTimes: outputTimes)
  }
}
