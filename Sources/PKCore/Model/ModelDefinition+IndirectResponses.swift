/// Structural checks of the indirect responses of a model definition.
extension ModelDefinition {
  /// The indirect responses, in state order (each is the `response` of one compartment).
  public var responses: [IndirectResponse] { compartments.compactMap(\.response) }

  /// The names of the effect columns every output writes, in order: the concentration–effect
  /// models, then the indirect responses.
  public var effectColumnNames: [String] { effects.map(\.name) + responses.map(\.name) }

  /// Checks each indirect-response state: an output that exists, parameters of the right
  /// dimension, no flow into or out of it, and a unit other than `mg` (so it never counts as drug).
  ///
  /// - Throws: `ModelError.invalidModel` naming the response and the field.
  func _checkResponses(
    _ parameter: (String, Parameter.Dimension, String) throws(ModelError) -> Void
  ) throws(ModelError) {
    for c in compartments {
      guard let r = c.response else { continue }
      let use = "the indirect response '\(r.name)'"
      guard outputs.contains(where: { $0.name == r.output }) else {
        throw .invalidModel(
          "\(use) follows unknown output '\(r.output)'; outputs: "
            + outputs.map(\.name).joined(separator: ", "))
      }
      guard c.volume == nil && c.effect == nil && c.areaOf == nil else {
        throw .invalidModel("\(use) is held by '\(c.name)', which must be nothing else (no volume)")
      }
      guard r.unit != "mg" else {
        throw .invalidModel(
          "\(use) has unit 'mg', which is reserved for drug amounts; name its unit otherwise")
      }
      if flows.contains(where: { $0.from == c.name || $0.to == c.name }) {
        throw .invalidModel("\(use) changes only by its turnover; no flow may enter or leave '\(c.name)'")
      }
      try parameter(r.baseline, .dimensionless, "the baseline R0 of \(use)")
      switch r.turnover {
      case .kout(let p): try parameter(p, .rateConstant, "the kout of \(use)")
      case .halfLife(let p): try parameter(p, .time, "the turnover half-life of \(use)")
      }
      let (max, potency) = r.mechanism.inhibits ? ("Imax", "IC50") : ("Emax", "EC50")
      try parameter(r.potency, .concentration, "the \(potency) of \(use)")
      try parameter(r.maximum, .dimensionless, "the \(max) of \(use)")
      if let g = r.gamma { try parameter(g, .dimensionless, "the Hill coefficient of \(use)") }
    }
  }
}
