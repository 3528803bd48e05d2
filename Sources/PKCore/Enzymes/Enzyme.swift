/// An enzyme a model names as carrying part of a metabolic clearance (`CYP3A4`, `CYP2B6`).
public struct Enzyme: Sendable, Equatable {
  /// The name, as used by `--enzyme NAME=ACTIVITY` and interaction files.
  public var name: String
  /// What the model says of it (its role, the source of its fractions).
  public var description: String

  public init(name: String, description: String) {
    self.name = name
    self.description = description
  }

  /// The unit of an activity input: a multiple of normal activity.
  public static let activityUnit = "fraction of normal activity"
}
