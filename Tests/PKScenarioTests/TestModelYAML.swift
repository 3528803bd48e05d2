/// The metadata lines every test model file needs (name, version, citation, population, …),
/// so that a test writes only the parts it is about.
enum TestModelYAML {
  /// The header of model `name` with time unit `h`, ending before `parameters:`.
  static func header(_ name: String) -> String {
    """
    name: \(name)
    version: 1
    drug: test
    description: test
    citation: none
    population: none
    sampling_site: venous
    validated_range: {note: none}
    time_unit: h
    """
  }
}
