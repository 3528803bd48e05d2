import PKCore

extension ModelFileReader {
  /// Reads a model file's `effects` list: direct concentration–effect models
  /// (`ConcentrationEffect`) and indirect responses (`IndirectResponse`, form
  /// `indirect_response`), each response with its node for located value checks:
  ///
  /// ```yaml
  /// effects:
  ///   - {name: eeg_change_hz, unit: Hz, output: ketamine, form: inhibitory_sigmoid_emax,
  ///      e0: E0, emax: IMAX, ec50: IC50, gamma: GAMMA, source: "…"}
  ///   - {name: pain, unit: NRS, output: ketamine, form: indirect_response,
  ///      inhibits: production, r0: R0, half_life: T12, imax: IMAX, ic50: IC50, source: "…"}
  /// ```
  static func _effects(_ node: LocatedNode) throws(InputError) -> (
    effects: [ConcentrationEffect], responses: [(response: IndirectResponse, node: LocatedNode)]
  ) {
    var effects: [ConcentrationEffect] = []
    var responses: [(IndirectResponse, LocatedNode)] = []
    let forms =
      "linear, emax, sigmoid_emax, inhibitory_emax, inhibitory_sigmoid_emax or indirect_response"
    for e in try node.sequence() {
      let formNode = try e.required("form", forms)
      let text = try formNode.string()
      if text == "indirect_response" {
        responses.append((try _indirectResponse(e), e))
        continue
      }
      try e.checkKeys(["name", "unit", "output", "form", "e0", "emax", "ec50", "gamma", "slope", "source"])
      guard let form = ConcentrationEffect.Form(rawValue: text) else {
        throw formNode.error("expected \(forms), found '\(text)'")
      }
      effects.append(
        ConcentrationEffect(
          name: try e.required("name", "the effect's name, its CSV column").string(),
          unit: try e.required("unit", "the effect's unit, e.g. Hz or %").string(),
          output: try e.required("output", "the output whose concentration drives it").string(), form: form,
          e0: try e.required("e0", "the baseline parameter (0 for none)").string(),
          emax: try e.optional("emax")?.string(), ec50: try e.optional("ec50")?.string(),
          gamma: try e.optional("gamma")?.string(), slope: try e.optional("slope")?.string(),
          source: try e.required("source", "where the numbers come from").string()))
    }
    return (effects, responses)
  }

  /// One `form: indirect_response` entry: `inhibits` or `stimulates` (`production` or
  /// `loss`), `r0`, one of `kout` and `half_life`, `imax` and `ic50` (inhibition) or `emax`
  /// and `ec50` (stimulation), optional `gamma` (1 when left out).
  static func _indirectResponse(_ e: LocatedNode) throws(InputError) -> IndirectResponse {
    try e.checkKeys([
      "name", "unit", "output", "form", "inhibits", "stimulates", "r0", "kout", "half_life", "imax",
      "ic50", "emax", "ec50", "gamma", "source",
    ])
    let inhibitsNode = try e.optional("inhibits")
    let stimulatesNode = try e.optional("stimulates")
    guard (inhibitsNode == nil) != (stimulatesNode == nil), let actionNode = inhibitsNode ?? stimulatesNode
    else {
      throw e.error(
        "an indirect response needs exactly one of inhibits or stimulates (production or loss)")
    }
    let inhibits = inhibitsNode != nil
    let target = try actionNode.string()
    guard target == "production" || target == "loss" else {
      throw actionNode.error("expected production or loss, found '\(target)'")
    }
    let mechanism: IndirectResponse.Mechanism =
      inhibits
      ? (target == "production" ? .inhibitsProduction : .inhibitsLoss)
      : (target == "production" ? .stimulatesProduction : .stimulatesLoss)
    let kout = try e.optional("kout")?.string()
    let halfLife = try e.optional("half_life")?.string()
    guard (kout == nil) != (halfLife == nil) else {
      throw e.error(
        "an indirect response needs exactly one of kout (a rate-constant parameter) or half_life (a time parameter, ln 2 / kout)"
      )
    }
    let (maxKey, potencyKey, wrong) =
      inhibits ? ("imax", "ic50", ["emax", "ec50"]) : ("emax", "ec50", ["imax", "ic50"])
    for key in wrong where try e.optional(key) != nil {
      throw e.error(
        "an indirect response that \(inhibits ? "inhibits" : "stimulates") takes \(maxKey) and \(potencyKey), not \(key)"
      )
    }
    return IndirectResponse(
      name: try e.required("name", "the response's name, its CSV column").string(),
      unit: try e.required("unit", "the response's unit, e.g. NRS or %").string(),
      output: try e.required("output", "the output whose concentration drives it").string(),
      mechanism: mechanism,
      baseline: try e.required("r0", "the baseline parameter R0 = kin/kout (unit 1)").string(),
      turnover: kout.map(IndirectResponse.Turnover.kout) ?? .halfLife(halfLife!),
      potency: try e.required(potencyKey, "the \(potencyKey.uppercased()) parameter (a concentration)")
        .string(),
      maximum: try e.required(
        maxKey,
        inhibits ? "the Imax parameter (unit 1, above 0 and at most 1)" : "the Emax parameter (unit 1)"
      ).string(),
      gamma: try e.optional("gamma")?.string(),
      source: try e.required("source", "where the numbers come from").string())
  }

  /// Checks the constant parameters of each indirect response where the file names them, so
  /// that an out-of-range published value is an error at its key (`IndirectResponse.valueChecks`;
  /// values from expressions are checked per subject by `CompiledModel`, against the same table).
  static func _checkResponseValues(
    _ responses: [(response: IndirectResponse, node: LocatedNode)], parameters: [Parameter]
  ) throws(InputError) {
    let byName = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    for (r, node) in responses {
      for check in r.valueChecks {
        guard let field = try node.optional(check.key), let p = byName[check.parameter], let v = p.value
        else { continue }
        guard check.accepts(v * p.factor) else {
          throw field.error("names '\(check.parameter)' = \(v) \(p.unit); expected \(check.expected)")
        }
      }
    }
  }
}
