/// A model output: the concentration of drug in a compartment.
///
/// ```
/// C (ng/mL) = A (mg) / V (L) × 1000
/// ```
public struct Output: Sendable, Equatable {
  /// The analyte name (`ketamine`), used in CSV columns as `<name>_ng_per_ml`.
  public var name: String
  /// The compartment whose concentration this is; it must have a volume.
  public var compartment: String

  public init(name: String, compartment: String) {
    self.name = name
    self.compartment = compartment
  }

  /// The unit of every concentration output.
  public static let unit = "ng/mL"
  /// The CSV column name, `<name>_ng_per_ml`.
  public var columnName: String { "\(name)_ng_per_ml" }
}
