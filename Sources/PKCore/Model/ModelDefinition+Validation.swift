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
      guard p.dimension == dimension || (dimension == .dimensionless && p.dimension == .fraction) else {
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
      if let of = c.areaOf {
        guard let plasma = compartments.first(where: { $0.name == of }), plasma.quantity == nil,
          plasma.volume != nil
        else {
          throw .invalidModel(
            "the area state '\(c.name)' integrates '\(of)', which must be a drug compartment with a volume")
        }
        if flows.contains(where: { $0.from == c.name || $0.to == c.name }) {
          throw .invalidModel(
            "the area state '\(c.name)' changes only by integrating; no flow may enter or leave it")
        }
      }
      guard let effect = c.effect else { continue }
      let use = "the effect site '\(c.name)'"
      guard let plasma = compartments.first(where: { $0.name == effect.of }) else {
        throw .invalidModel("\(use) follows unknown compartment '\(effect.of)'")
      }
      guard plasma.quantity == nil && plasma.volume != nil else {
        throw .invalidModel("\(use) follows '\(effect.of)', which must be a drug compartment with a volume")
      }
      guard c.volume == nil else {
        throw .invalidModel("\(use) holds a concentration, so it takes no volume")
      }
      switch effect.rate {
      case .ke0(let p): try parameter(p, .rateConstant, "the ke0 of \(use)")
      case .halfLife(let p): try parameter(p, .time, "the t½ke0 of \(use)")
      case .timeToPeak(let p): try parameter(p, .time, "the time to peak of \(use)")
      }
      if flows.contains(where: { $0.from == c.name || $0.to == c.name }) {
        throw .invalidModel("\(use) changes only through ke0; no flow may enter or leave it")
      }
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
      let fromQuantity = compartments.first { $0.name == f.from }?.quantity != nil
      let toQuantity =
        f.to.map { to in compartments.first { $0.name == to }?.quantity != nil } ?? fromQuantity
      guard fromQuantity == toQuantity else {
        throw .invalidModel(
          "\(use) joins a drug compartment and a quantity; drug and quantities never exchange")
      }
      if fromQuantity, case .michaelisMenten = f.kind {
        throw .invalidModel(
          "\(use) is saturable, but '\(f.from)' is a quantity; write its rate as an expression")
      }
      switch f.kind {
      case .rateConstant: try parameter(f.parameter, .rateConstant, use)
      case .clearance:
        try parameter(f.parameter, .clearance, use)
        guard compartments.first(where: { $0.name == f.from })?.volume != nil else {
          throw .invalidModel("\(use) is a clearance, so '\(f.from)' needs a volume")
        }
      case .michaelisMenten(let km):
        try parameter(f.parameter, .amountRate, "the Vmax of \(use)")
        try parameter(km, .concentration, "the Km of \(use)")
        guard compartments.first(where: { $0.name == f.from })?.volume != nil else {
          throw .invalidModel(
            "\(use) is saturable (Vmax, Km on a concentration), so '\(f.from)' needs a volume")
        }
      case .expression(let e, let text):
        let known = Set(parametersByName.keys).union(inputs.map(\.name)).union(stateNames)
        for name in e.variables.sorted() where !known.contains(name) {
          throw .invalidModel(
            "the rate of \(use) ('\(text)') uses '\(name)', which is neither a parameter, a covariate nor a state "
              + "(A_<compartment> in mg, C_<compartment> in mg/L for a compartment with a volume)")
        }
      }
    }
    for o in outputs {
      guard let c = compartments.first(where: { $0.name == o.compartment }) else {
        throw .invalidModel("output '\(o.name)' names unknown compartment '\(o.compartment)'")
      }
      guard c.volume != nil || c.effect != nil else {
        throw .invalidModel("output '\(o.name)' needs compartment '\(o.compartment)' to have a volume")
      }
      guard c.quantity == nil || c.effect != nil else {
        throw .invalidModel(
          "output '\(o.name)' observes '\(o.compartment)', a quantity, not a drug; use --amounts for it")
      }
      if let c = o.conversion { try parameter(c, .dimensionless, "the conversion of output '\(o.name)'") }
    }
    try _checkRoutes(compartmentNames, parameter)
    try _checkEnzymes()
    try _checkVariability()
    try _checkResidualErrors()
    // Effect columns sit beside the outputs' columns: every name once, none an output column.
    var effectNames = Set<String>()
    let outputColumns = Set(outputs.map(\.columnName))
    for name in effectColumnNames {
      guard effectNames.insert(name).inserted else {
        throw .invalidModel("two effects are named '\(name)'; each effect needs its own name (a CSV column)")
      }
      guard !outputColumns.contains(name) else {
        throw .invalidModel("the effect '\(name)' has the name of an output's column; give it another name")
      }
    }
    for e in effects {
      let use = "the effect '\(e.name)'"
      guard outputs.contains(where: { $0.name == e.output }) else {
        throw .invalidModel(
          "\(use) follows unknown output '\(e.output)'; outputs: "
            + outputs.map(\.name).joined(separator: ", "))
      }
      try parameter(e.e0, .dimensionless, "the E0 of \(use)")
      switch e.form {
      case .linear:
        guard let slope = e.slope else { throw .invalidModel("\(use) is linear, so it needs a slope") }
        try parameter(slope, .dimensionless, "the slope of \(use)")
      default:
        guard let emax = e.emax, let ec50 = e.ec50 else {
          throw .invalidModel("\(use) is \(e.form.rawValue), so it needs emax and ec50")
        }
        try parameter(emax, .dimensionless, "the Emax of \(use)")
        try parameter(ec50, .concentration, "the EC50 of \(use)")
        if e.form.usesGamma {
          guard let gamma = e.gamma else {
            throw .invalidModel("\(use) is \(e.form.rawValue), so it needs gamma (the Hill coefficient)")
          }
          try parameter(gamma, .dimensionless, "the Hill coefficient of \(use)")
        }
      }
    }
    try _checkResponses(parameter)
    for p in parameters where p.dimension == .fraction {
      if let v = p.value, !(0...1).contains(v) {
        throw .invalidModel("'\(p.name)' is a fraction, so it must lie between 0 and 1; found \(v)")
      }
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
        definitions: parameters.map { ($0.name, _expressionWithVariability($0)) }, inputs: inputs.map(\.name))
    } catch {
      throw .invalidModel(error.description)
    }
  }

  /// Checks every route: known compartments, parameters of the right dimension, a device rule
  /// where later-device fractions are used.
  private func _checkRoutes(
    _ compartmentNames: Set<String>,
    _ parameter: (String, Parameter.Dimension, String) throws(ModelError) -> Void
  ) throws(ModelError) {
    if routes.isEmpty { throw .invalidModel("the model supports no route") }
    var seen = Set<Route>()
    for r in routes {
      let use = "route '\(r.route.rawValue)'"
      guard seen.insert(r.route).inserted else { throw .invalidModel("\(use) is declared twice") }
      guard !r.inputs.isEmpty else { throw .invalidModel("\(use) puts the dose nowhere") }
      if let d = r.device {
        guard d.amount > 0 && d.amount.isFinite else {
          throw .invalidModel("\(use) has a device of \(d.amount) mg; expected an amount above 0")
        }
        guard d.interval >= 0 && d.interval.isFinite else {
          throw .invalidModel("\(use) gives devices \(d.interval) h apart; expected 0 or more")
        }
      }
      for input in r.inputs {
        guard compartmentNames.contains(input.compartment) else {
          throw .invalidModel("\(use) doses into unknown compartment '\(input.compartment)'")
        }
        guard compartments.first(where: { $0.name == input.compartment })?.quantity == nil else {
          throw .invalidModel(
            "\(use) doses into '\(input.compartment)', a quantity; doses go into drug compartments")
        }
        if let f = input.fraction { try parameter(f, .dimensionless, "the fraction of \(use)") }
        if let f = input.laterDevicesFraction {
          guard r.device != nil else {
            throw .invalidModel("\(use) has a later-devices fraction but no device")
          }
          try parameter(f, .dimensionless, "the later-devices fraction of \(use)")
        }
        if let d = input.duration { try parameter(d, .time, "the input duration of \(use)") }
        if let l = input.lag { try parameter(l, .time, "the lag time of \(use)") }
      }
    }
  }

  /// Checks the enzyme pathways: declared enzymes, fractions in [0, 1] summing to at most 1.
  private func _checkEnzymes() throws(ModelError) {
    let declared = Set(enzymes.map(\.name))
    guard declared.count == enzymes.count else { throw .invalidModel("two enzymes share a name") }
    let covariateNames = Set(covariates.map(\.name))
    for e in enzymes {
      for site in EnzymeSite.allCases where covariateNames.contains(site.inputName(e.name)) {
        throw .invalidModel("covariate '\(site.inputName(e.name))' is reserved for the activity of \(e.name)")
      }
    }
    for p in parameters {
      guard let pathway = p.pathway else { continue }
      var sum = 0.0
      for (enzyme, fm) in pathway.fractions {
        guard declared.contains(enzyme) else {
          throw .invalidModel(
            "'\(p.name)' names enzyme '\(enzyme)', which the model's 'enzymes' does not declare")
        }
        guard (0...1).contains(fm) else {
          throw .invalidModel("'\(p.name)': the fraction of \(enzyme) is \(fm); expected 0 to 1")
        }
        sum += fm
      }
      guard sum <= 1 + 1e-12 else {
        throw .invalidModel("'\(p.name)': the enzyme fractions add up to \(sum); expected at most 1")
      }
    }
  }

  /// The state names a rate expression may use: `A_<compartment>` for every compartment and
  /// `C_<compartment>` for those with a volume.
  public var stateNames: [String] {
    compartments.map { Flow.amountName($0.name) }
      + compartments.filter { $0.volume != nil }.map { Flow.concentrationName($0.name) }
  }

  /// Whether every flow is linear and no indirect response is integrated (the model is solved
  /// exactly).
  public var isLinear: Bool { flows.allSatisfy(\.isLinear) && !compartments.contains { $0.response != nil } }

  /// Whether any parameter depends on body weight.
  public var usesWeight: Bool { covariates.contains { $0.name == Covariate.weight } }
}
