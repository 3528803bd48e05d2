/// A model output: the concentration of an analyte in a compartment.
///
/// ```
/// C (ng/mL) = c × A (mg) / V (L) × 1000
/// ```
/// with `c` the value of the `conversion` parameter (mg of analyte per mg of the tracked
/// amount, e.g. the molecular-weight ratio 223.70 / 237.73 when a model tracks norketamine in
/// moles expressed as ketamine mass), or 1.
public struct Output: Sendable, Equatable {
  /// The analyte name (`ketamine`), used in CSV columns as `<name>_ng_per_ml`.
  public var name: String
  /// The compartment whose concentration this is; it must have a volume.
  public var compartment: String
  /// The parameter converting the tracked amount to the analyte's mass, or nil for 1.
  public var conversion: String?

  public init(name: String, compartment: String, conversion: String? = nil) {
    self.name = name
    self.compartment = compartment
    self.conversion = conversion
  }

  /// The unit of every concentration output.
  public static let unit = "ng/mL"
  /// The CSV column name, `<name>_ng_per_ml`.
  public var columnName: String { "\(name)_ng_per_ml" }
}
