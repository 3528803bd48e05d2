/// Amounts and concentrations at each output time of one simulation.
public struct SimulationResult: Sendable {
  /// The output times (h).
  public let times: [Double]
  /// The state names: the compartments, then `eliminated`.
  public let stateNames: [String]
  /// The unit of each state (`mg`, or a quantity's unit such as `fraction`).
  public let stateUnits: [String]
  /// The outputs (analytes) reported.
  public let outputs: [Output]
  /// Amounts (mg): `amounts[k * stateCount + i]` is state i at time k.
  public let amounts: [Double]
  /// Concentrations (ng/mL): `concentrations[k * outputs.count + j]` is output j at time k.
  public let concentrations: [Double]
  /// The total amount dosed (mg).
  public internal(set) var totalDose: Double
  /// For a run of records: the record each row reports, −1 for an added output time.
  public internal(set) var recordIndices: [Int]

  /// Concentration–effect curves, one per `ConcentrationEffect` of the model, then one per
  /// `IndirectResponse` (empty when it has none).
  public var effects: [EffectCurve] = []

  /// The number of states per time (compartments + eliminated).
  public var stateCount: Int { stateNames.count }

  /// The amount (mg) in state `state` at output `k`.
  public func amount(_ state: Int, at k: Int) -> Double { amounts[k * stateCount + state] }

  /// The drug in the body and eliminated (mg) at output `k`: the sum of the states in mg, so
  /// quantities (an effect site's concentration, an enzyme's inactivated fraction) are left
  /// out. Equals the drug that has entered (mass balance).
  public func drugTotal(at k: Int) -> Double {
    var total = 0.0
    for i in 0..<stateCount where stateUnits[i] == "mg" { total += amount(i, at: k) }
    return total
  }

  /// The concentration (ng/mL) of output `output` at output `k`.
  public func concentration(_ output: Int, at k: Int) -> Double {
    concentrations[k * outputs.count + output]
  }

  /// The curve of one output (ng/mL) over all times.
  public func curve(_ output: Int = 0) -> [Double] {
    (0..<times.count).map { concentration(output, at: $0) }
  }

  public init(
    times: [Double], stateNames: [String], outputs: [Output], amounts: [Double],
    concentrations: [Double], totalDose: Double, recordIndices: [Int] = [], stateUnits: [String]? = nil
  ) {
    self.times = times
    self.stateNames = stateNames
    self.stateUnits = stateUnits ?? [String](repeating: "mg", count: stateNames.count)
    self.outputs = outputs
    self.amounts = amounts
    self.concentrations = concentrations
    self.totalDose = totalDose
    self.recordIndices = recordIndices
  }
}
