import Foundation
import PKCore
import PKScenario

extension Run {
  /// Writes the exposure metrics of a single run (`--metrics FILE`): grid metrics from
  /// `result`, and the exact AUC from a second run of the model with an area state per output.
  func writeMetrics(_ scenario: Scenario, result: SimulationResult, thresholds: [Threshold], to path: String)
    throws
  {
    let levels = thresholds.flatMap(\.concentrations)
    let hours = scenario.grid.hours
    let lastDose = scenario.doses.flatMap(\.startTimes).filter { $0 <= (hours.last ?? 0) }.max()
    let metrics = result.outputs.indices.map {
      ExposureMetrics(
        times: hours, concentrations: result.curve($0), lastDose: lastDose, thresholds: levels)
    }
    // The exact AUC: dI/dt = A/V for each output's compartment, solved with the rest.
    var definition = scenario.model
    var areaOf: [Int: Int] = [:]
    for (k, o) in definition.outputs.enumerated() {
      guard let c = definition.compartments.first(where: { $0.name == o.compartment }), c.quantity == nil
      else {
        continue
      }
      areaOf[k] = definition.compartments.count
      definition.compartments.append(Compartment(name: "area(\(o.name))", areaOf: o.compartment))
    }
    var exact = [Double?](repeating: nil, count: result.outputs.count)
    if !areaOf.isEmpty {
      let model = try definition.instantiate(for: scenario.subject)
      var simulator = Simulator(model: model, subject: scenario.subject, solver: solver)
      let withArea = try simulator.run(doses: scenario.doses, outputTimes: hours)
      let factors = model.compiled.outputFactors(model.parameterValues, volumes: model.volumes)
      for (k, state) in areaOf {
        let volume = model.volumes[model.outputCompartments[k]]!
        exact[k] = withArea.amount(state, at: hours.count - 1) * factors[k] * volume
      }
    }
    for (k, m) in metrics.enumerated() where m.terminal == nil {
      Diagnostics.warn(
        "\(result.outputs[k].name): the terminal phase cannot be estimated, so lambda_z, the half-life and AUC to infinity are NA in \(path)"
      )
    }
    let text = MetricsCSVWriter(digits: digits).render(
      outputs: result.outputs, metrics: metrics, exactAUC: exact, grid: scenario.grid, thresholds: thresholds)
    try AtomicFileWriter.write(text, to: path)
  }

  /// The --threshold values: concentrations (ng/mL) or landmark bands from the library.
  func thresholdValues() throws(InputError) -> [Threshold] {
    var result: [Threshold] = []
    var landmarks: [Landmark]? = nil
    let library = self.library.library
    for text in threshold {
      do { result.append(try library.threshold(text, landmarks: &landmarks)) } catch {
        guard error.source == "threshold" else { throw error }
        throw InputError(source: "command line", field: "--threshold", message: error.message)
      }
    }
    return result
  }

  /// Warns when a landmark was measured on another drug than the model's (racemic-ketamine
  /// landmarks on an S-ketamine model).
  func warnAboutAnalytes(_ thresholds: [Threshold], model: ModelDefinition) {
    for case .landmark(let l) in thresholds where l.analyte.lowercased() != model.drug.lowercased() {
      Diagnostics.warn(
        "the landmark \(l.name) is a \(l.analyte) concentration (\(l.sampling)); \(model.name) predicts \(model.drug), so compare with care"
      )
    }
  }
}
