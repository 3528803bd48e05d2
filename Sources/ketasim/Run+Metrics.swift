import Foundation
import PKCore
import PKScenario

extension Run {
  /// Writes the exposure metrics of a single run (`--metrics FILE`): grid metrics from
  /// `result`, and the exact AUC from a second run of the model with an area state per output.
  func writeMetrics(_ scenario: Scenario, result: SimulationResult, to path: String) throws {
    let thresholds = try metricThresholdValues()
    let hours = scenario.grid.hours
    let lastDose = scenario.doses.flatMap(\.startTimes).filter { $0 <= (hours.last ?? 0) }.max()
    let metrics = result.outputs.indices.map {
      ExposureMetrics(
        times: hours, concentrations: result.curve($0), lastDose: lastDose, thresholds: thresholds)
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
      outputs: result.outputs, metrics: metrics, exactAUC: exact, grid: scenario.grid)
    try AtomicFileWriter.write(text, to: path)
  }

  /// The --threshold concentrations (ng/mL).
  func metricThresholdValues() throws -> [Double] {
    try threshold.map { text in
      try option("--threshold", text) { t throws(QuantityError) in try QuantityParser.concentration(t) }
    }
  }
}
