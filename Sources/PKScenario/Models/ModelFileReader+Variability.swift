import Foundation
import PKCore

extension ModelFileReader {
  /// Reads a model file's `variability` section:
  ///
  /// ```yaml
  /// variability:
  ///   source: "Otto 2021, Table 2 (C)"
  ///   effects:
  ///     CL: {omega2: 0.026}                       # variance ω² of η (NONMEM's $OMEGA)
  ///     V1: {omega: 0.29}                         # standard deviation ω
  ///     KA: {cv: 61.5%}                           # log-normal: ω² = ln(1 + CV²)
  ///     FRN: {cv_logit: 70.8%, distribution: logit}   # ω = CV on the logit scale
  ///   correlations:
  ///     - {between: [CL, V1], correlation: 0.4}   # or covariance: 0.01
  /// ```
  /// `distribution` is lognormal (default), normal or logit.
  static func _variability(_ node: LocatedNode) throws(InputError) -> Variability {
    try node.checkKeys(["source", "effects", "correlations"])
    let source = try node.required("source", "where the variances come from (citation and table)").string()
    var variability = Variability()
    for (name, e) in try node.required("effects", "a mapping of parameter names to variances").mapping() {
      try e.checkKeys(["omega2", "omega", "cv", "cv_logit", "distribution", "source"])
      var distribution = RandomEffect.Distribution.logNormal
      if let d = try e.optional("distribution") {
        let text = try d.string()
        guard let known = RandomEffect.Distribution(rawValue: text.lowercased()) else {
          throw d.error("expected lognormal, normal or logit, found '\(text)'")
        }
        distribution = known
      }
      var given: [(String, LocatedNode)] = []
      for key in ["omega2", "omega", "cv", "cv_logit"] {
        if let v = try e.optional(key) { given.append((key, v)) }
      }
      guard given.count == 1, let (key, valueNode) = given.first else {
        throw e.error(
          "expected exactly one of omega2 (variance of η), omega (its standard deviation), cv or cv_logit")
      }
      let value = try _percentOrNumber(valueNode)
      guard value >= 0 && value.isFinite else {
        throw valueNode.error("expected a variance or standard deviation of 0 or more, found \(value)")
      }
      let variance: Double
      switch key {
      case "omega2": variance = value
      case "omega": variance = value * value
      case "cv":
        guard distribution == .logNormal else {
          throw valueNode.error(
            "cv converts to ω² = ln(1 + CV²) for a log-normal effect only; give omega for a \(distribution.rawValue) one"
          )
        }
        variance = Foundation.log(1 + value * value)
      default:  // cv_logit
        guard distribution == .logit else { throw valueNode.error("cv_logit goes with distribution: logit") }
        variance = value * value
      }
      let effectSource = try e.optional("source")?.string() ?? source
      variability.set(
        RandomEffect(parameter: name, distribution: distribution, source: effectSource), variance: variance)
    }
    if let list = try node.optional("correlations") {
      for c in try list.sequence() {
        try c.checkKeys(["between", "correlation", "covariance"])
        let between = try c.required("between", "the two parameters, e.g. [CL, V1]")
        var names: [String] = []
        for n in try between.sequence() { names.append(try n.string()) }
        guard names.count == 2, names[0] != names[1] else {
          throw between.error("expected two different parameters, e.g. [CL, V1]")
        }
        let m = variability.effects.count
        var index: [Int] = []
        for n in names {
          guard let k = variability.effects.firstIndex(where: { $0.parameter == n }) else {
            throw between.error("'\(n)' has no random effect under effects")
          }
          index.append(k)
        }
        let (i, j) = (index[0], index[1])
        let covariance: Double
        if let r = try c.optional("correlation") {
          let value = try r.number()
          guard value > -1 && value < 1 else {
            throw r.error("expected a correlation between -1 and 1, found \(value)")
          }
          covariance = value * (variability.covariance(i, i) * variability.covariance(j, j)).squareRoot()
        } else if let v = try c.optional("covariance") {
          covariance = try v.number()
        } else {
          throw c.error("expected correlation (between -1 and 1) or covariance")
        }
        var omega = variability.covariance
        omega[i * m + j] = covariance
        omega[j * m + i] = covariance
        variability = Variability(effects: variability.effects, covariance: omega)
      }
    }
    return variability
  }

  /// A number, or a percentage ("61.5%") as a fraction.
  static func _percentOrNumber(_ node: LocatedNode) throws(InputError) -> Double {
    let text = try node.string().trimmingCharacters(in: .whitespaces)
    if text.hasSuffix("%") {
      guard let v = parseNumber(text.dropLast()) else {
        throw node.error("expected a percentage, found '\(text)'")
      }
      return v / 100
    }
    return try node.number()
  }
}
