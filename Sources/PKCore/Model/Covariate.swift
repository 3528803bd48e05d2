/// A covariate a model's expressions use: a subject characteristic (`WT`, `AGE`, `SEX`) or a
/// data-set column (`LAGT`, `BIOAV`), with its unit and an optional default.
///
/// For a scenario, `WT`, `AGE` and `SEX` come from the subject (weight in kg, age in years,
/// sex 1 for female and 0 for male); for a data set, from the column of the same name when the
/// data set has one. Any other covariate comes from its data-set column, else its default.
public struct Covariate: Sendable, Equatable {
  /// The name used in expressions and data sets.
  public var name: String
  /// The unit of its values.
  public var unit: String
  /// What it is.
  public var description: String
  /// The value used when neither the subject nor a data set gives one.
  public var defaultValue: Double?

  public init(name: String, unit: String, description: String, defaultValue: Double? = nil) {
    self.name = name
    self.unit = unit
    self.description = description
    self.defaultValue = defaultValue
  }

  /// The covariate names a subject provides.
  public static let weight = "WT"
  public static let age = "AGE"
  public static let sex = "SEX"
}
