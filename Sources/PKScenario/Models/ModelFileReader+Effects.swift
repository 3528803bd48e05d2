import PKCore

extension ModelFileReader {
  /// Reads a model file's `effects` list (see `ConcentrationEffect`):
  ///
  /// ```yaml
  /// effects:
  ///   - {name: eeg_change_hz, unit: Hz, output: ketamine, form: inhibitory_sigmoid_emax,
  ///      e0: E0, emax: IMAX, ec50: IC50, gamma: GAMMA, source: "…"}
  /// ```
  static func _effects(_ node: LocatedNode) throws(InputError) -> [ConcentrationEffect] {
    var effects: [ConcentrationEffect] = []
    for e in try node.sequence() {
      try e.checkKeys(["name", "unit", "output", "form", "e0", "emax", "ec50", "gamma", "slope", "source"])
      let formNode = try e.required(
        "form", "linear, emax, sigmoid_emax, inhibitory_emax or inhibitory_sigmoid_emax")
      let text = try formNode.string()
      guard let form = ConcentrationEffect.Form(rawValue: text) else {
        throw formNode.error(
          "expected linear, emax, sigmoid_emax, inhibitory_emax or inhibitory_sigmoid_emax, found '\(text)'")
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
    return effects
  }
}
