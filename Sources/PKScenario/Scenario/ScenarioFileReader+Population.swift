import PKCore

extension ScenarioFileReader {
  /// Reads a scenario's `population` section (see `PopulationSpec`).
  static func _population(_ node: LocatedNode, model: ModelDefinition) throws(InputError) -> PopulationSpec {
    try node.checkKeys(["subjects", "seed", "covariates", "variability"])
    var spec = PopulationSpec()
    if let n = try node.optional("subjects") {
      let value = try n.number()
      guard value == value.rounded(), value >= 1 else {
        throw n.error("expected a whole number of subjects, 1 or more, found \(try n.string())")
      }
      guard value <= Double(PopulationSpec.defaultSubjectLimit) else {
        throw n.error(
          "\(Int(value)) subjects is above the limit of \(PopulationSpec.defaultSubjectLimit); raise it with --subject-limit on the command line"
        )
      }
      spec.subjects = Int(value)
    }
    if let s = try node.optional("seed") {
      guard let seed = UInt64(try s.string()) else {
        throw s.error("expected a whole number from 0 to 2⁶⁴ − 1")
      }
      spec.seed = seed
    }
    if let c = try node.optional("covariates") {
      for (key, value) in try c.mapping() {
        spec.covariates.append(try _draw(key, value, model: model))
      }
    }
    if let v = try node.optional("variability") {
      for (parameter, value) in try v.mapping() {
        let omega = try value.number()
        guard omega >= 0 else {
          throw value.error("expected ω (the standard deviation of log \(parameter)) of 0 or more")
        }
        spec.variability.append((parameter, omega))
      }
    }
    return spec
  }

  /// One covariate distribution: `weight: {normal: [70 kg, 12 kg], range: model}`,
  /// `age: {uniform: [18 y, 65 y]}`, `sex: {female: 0.5}`, `ASIAN: {fixed: 1}`.
  static func _draw(_ key: String, _ node: LocatedNode, model: ModelDefinition) throws(InputError)
    -> PopulationSpec.Draw
  {
    let name: String
    let parse: (String) throws(QuantityError) -> Double
    switch key.lowercased() {
    case "weight", "wt":
      name = Covariate.weight
      parse = { t throws(QuantityError) in try QuantityParser.weight(t) }
    case "age":
      name = Covariate.age
      parse = { t throws(QuantityError) in try QuantityParser.age(t) }
    case "sex":
      try node.checkKeys(["female"])
      let p = try node.required("female", "the fraction of women, e.g. 0.5").number()
      guard (0...1).contains(p) else {
        throw node.error("expected a fraction of women between 0 and 1, found \(p)")
      }
      return .init(name: Covariate.sex, distribution: .female(probability: p))
    default:
      guard model.covariates.contains(where: { $0.name == key }) else {
        throw node.error(
          "\(model.name) has no covariate '\(key)'; draw weight, age, sex"
            + (model.covariates.isEmpty
              ? "" : " or one of " + model.covariates.map(\.name).joined(separator: ", ")))
      }
      name = key
      parse = { t throws(QuantityError) in
        guard let x = parseNumber(t) else { throw QuantityError("expected a number, found '\(t)'") }
        return x
      }
    }
    func value(_ n: LocatedNode) throws(InputError) -> Double {
      let text = try n.string()
      do { return try parse(text) } catch { throw n.error(error.message) }
    }
    func pair(_ n: LocatedNode, _ what: String) throws(InputError) -> (Double, Double) {
      let items = try n.sequence()
      guard items.count == 2 else { throw n.error("expected [\(what)]") }
      return (try value(items[0]), try value(items[1]))
    }
    try node.checkKeys(["normal", "uniform", "fixed", "range"])
    var range: (Double, Double) = (-Double.infinity, Double.infinity)
    if let r = try node.optional("range") {
      if (try? r.string()) == "model" {
        let validated =
          name == Covariate.weight
          ? model.validatedRange.weight : name == Covariate.age ? model.validatedRange.age : nil
        guard let validated else {
          throw r.error("\(model.name) gives no validated \(key) range; give the range, e.g. [40, 120]")
        }
        range = (validated.lowerBound, validated.upperBound)
      } else {
        range = try pair(r, "lowest, highest")
        guard range.0 <= range.1 else { throw r.error("the lowest value is above the highest") }
      }
    }
    if let n = try node.optional("normal") {
      let (mean, sd) = try pair(n, "mean, standard deviation")
      guard sd >= 0 else { throw n.error("expected a standard deviation of 0 or more") }
      return .init(name: name, distribution: .normal(mean: mean, sd: sd, lower: range.0, upper: range.1))
    }
    if let n = try node.optional("uniform") {
      let (lo, hi) = try pair(n, "lowest, highest")
      guard lo <= hi else { throw n.error("the lowest value is above the highest") }
      return .init(name: name, distribution: .uniform(lower: lo, upper: hi))
    }
    if let n = try node.optional("fixed") { return .init(name: name, distribution: .fixed(try value(n))) }
    throw node.error(
      "expected normal: [mean, sd] (with an optional range), uniform: [lowest, highest] or fixed: value")
  }

  /// The subject `check` uses for a population: missing drawn covariates set to a typical
  /// value of their distribution (the mean within its range, the middle of a uniform range).
  static func _typicalSubject(_ subject: Subject, _ spec: PopulationSpec) -> Subject {
    var s = subject
    for d in spec.covariates where s.covariate(d.name) == nil {
      let v: Double
      switch d.distribution {
      case .fixed(let x): v = x
      case .normal(let m, _, let lo, let hi): v = Swift.min(Swift.max(m, lo), hi)
      case .uniform(let lo, let hi): v = (lo + hi) / 2
      case .female(let p): v = p >= 0.5 ? 1 : 0
      }
      switch d.name {
      case Covariate.weight: s.weight = v
      case Covariate.age: s.age = v
      case Covariate.sex: s.sex = v == 1 ? .female : .male
      default: s.covariates[d.name] = v
      }
    }
    return s
  }
}
