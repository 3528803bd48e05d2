/// Structural checks of a model definition, made once when it is loaded.
extension ModelDefinition {
  /// Checks that every name a flow, output or route uses exists and has the right dimension.
  ///
  /// - Throws: `ModelError.invalidModel` naming the first inconsistency.
  public func validate() throws(ModelError) {
    let compartmentNames = Set(compartments.map(\.name))
    let parametersByName = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    if compartmentNames.count != compartments.count {
      throw .invalidModel("two compartments share a name")
    }
    if parametersByName.count != parameters.count {
      throw .invalidModel("two parameters share a name")
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
  }

  /// Whether any parameter depends on body weight.
  public var usesWeight: Bool {
    parameters.contains { $0.perKilogram || $0.weightScaling != nil }
  }
}
