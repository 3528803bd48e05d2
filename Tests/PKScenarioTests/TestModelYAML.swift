/// The metadata lines every test model file needs (name, version, citation, population, …),
/// so that a test writes only the parts it is about.
enum TestModelYAML {
  /// The header of model `name` with time unit `timeUnit` (none if `nil`, as in a file that
  /// extends a model), ending before `parameters:`.
  static func header(_ name: String, timeUnit: String? = "h") -> String {
    """
    name: \(name)
    version: 1
    drug: test
    description: test
    citation: none
    population: none
    sampling_site: venous
    validated_range: {note: none}
    """ + (timeUnit.map { "\ntime_unit: \($0)" } ?? "")
  }

  /// The compartments, flows, outputs and routes of a one-compartment model (volume `V`,
  /// clearance `CL`, output `ketamine`, route `iv`), with an effect site `effect` (rate `KE0`,
  /// output `ketamine_effect`) if `effectSite`, then `effects:` followed by `effects`.
  static func oneCompartment(effectSite: Bool = false, effects: String) -> String {
    let site = effectSite ? "\n  - {name: effect, effect_of: central, ke0: KE0}" : ""
    let siteOutput = effectSite ? "\n  - {name: ketamine_effect, compartment: effect}" : ""
    return """
      compartments:
        - {name: central, volume: V}\(site)
      flows:
        - {from: central, clearance: CL}
      outputs:
        - {name: ketamine, compartment: central}\(siteOutput)
      routes:
        iv: central
      effects:
      \(effects)
      """
  }
}
