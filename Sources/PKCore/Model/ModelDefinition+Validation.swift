/// Structural checks of a model definition, made once when it is loaded.
extension ModelDefinition {
  /// The dose-modifier prefixes of NONMEM, with the dimension each needs: bioavailability
  /// `F<n>`, lag time `ALAG<n>`, modelled rate `R<n>`, modelled duration `D<n>`.
  public static let doseModifierPrefixes: [(prefix: String, dimension: Parameter.Dimension)] = [
    ("ALAG", .time), ("F", .dimensionless), ("R", .amountRate), ("D", .time),
  ]

  /// Checks that every name a flow, output, route or expression uses exists, that there is no
  /// circular definition, and that each structural parameter has the right dimension.
  ///
  /// - Throws: `ModelError.invalidModel` naming the first inconsistency.
  public func validate() throws(ModelError) {
    _ = try _check()
  }

  /// Validates and returns the ordered parameter graph.
  func _check() throws(ModelError) -> ExpressionGraph {
    let compartmentNames = Set(compartments.map(\.name))
    let parametersByName = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    if compartmentNames.count != compartments.count {
      throw .invalidModel("two compartments share a name")
    }
    if parametersByName.count != parameters.count {
      throw .invalidModel("two parameters share a name")
    }
    if Set(covariates.map(\.name)).count != covariates.count {
      throw .invalidModel("two covariates share a name")
    }
    if compartmentNames.contains(CompartmentModel.eliminatedName) {
      throw .invalidModel("'\(CompartmentModel.eliminatedName)' is reserved for the amount eliminated")
    }
    func parameter(_ name: String, _ dimension: Parameter.Dimension, _ use: String) throws(ModelError) {
      guard let p = parametersByName[name] else {
        throw .invalidModel("\(use) names parameter '\(name)', which the model does not define")
      }
      guard p.dimension == dimension else {
        throw .invalidModel(
          "\(use) needs '\(name)' to be a \(dimension.words) (\(dimension.canonicalUnit)), "
            + "but its unit '\(p.unit)' is a \(p.dimension.words)")
      }
      guard !p.perKilogram else {
        throw .invalidModel(
          "\(use) needs '\(name)' in \(dimension.canonicalUnit), not per kg ('\(p.unit)'); "
            + "write the weight into an expression, e.g. \(name) = \(name)KG * WT")
      }
    }
    for c in compartments {
      if let v = c.volume { try parameter(v, .volume, "compartment '\(c.name)'") }
    }
    for f in flows {
      let use = "the flow from '\(f.from)'"
      guard compartmentNames.contains(f.from) else {
        throw .invalidModel("a flow starts in unknown compartment '\(f.from)'")
      }
      if let to = f.to, !compartmentNames.contains(to) {
        throw .invalidModel("a flow ends in unknown compartment '\(to)'")
      }
      if f.to == f.from { throw .invalidModel("\(use) ends where it starts") }
      switch f.kind {
      case .rateConstant: try parameter(f.parameter, .rateConstant, use)
      case .clearance:
        try parameter(f.parameter, .clearance, use)
        guard compartments.first(where: { $0.name == f.from })?.volume != nil else {
          throw .invalidModel("\(use) is a clearance, so '\(f.from)' needs a volume")
        }
      }
    }
    for o in outputs {
      guard let c = compartments.first(where: { $0.name == o.compartment }) else {
        throw .invalidModel("output '\(o.name)' names unknown compartment '\(o.compartment)'")
      }
      guard c.volume != nil else {
        throw .invalidModel("output '\(o.name)' needs compartment '\(o.compartment)' to have a volume")
      }
    }
    if routes.isEmpty { throw .invalidModel("the model supports no route") }
    for r in routes where !compartmentNames.contains(r.compartment) {
      throw .invalidModel("route '\(r.route.rawValue)' doses into unknown compartment '\(r.compartment)'")
    }
    for p in parameters {
      for (prefix, dimension) in Self.doseModifierPrefixes {
        guard p.name.hasPrefix(prefix), let n = Int(p.name.dropFirst(prefix.count)) else { continue }
        guard (1...compartments.count).contains(n) else {
          throw .invalidModel(
            "'\(p.name)' modifies doses into compartment \(n), but the model has \(compartments.count)")
        }
        try parameter(p.name, dimension, "the dose modifier '\(p.name)'")
      }
    }
    do {
      return try ExpressionGraph(
        definitions: parameters.map { ($0.name, $0.expression) }, inputs: covariates.map(\.name))
    } catch {
      throw .invalidModel(error.description)
    }
  }

  /// Whether any parameter depends on body weight.
  public var usesWeight: Bool { covariates.contains { $0.name == Covariate.weight } }
}
