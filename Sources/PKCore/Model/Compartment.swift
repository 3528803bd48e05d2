/// A compartment of a model: a named amount of drug, with a volume where it is observed.
public struct Compartment: Sendable, Equatable {
  /// The name (`central`, `peripheral1`, ...); used in CSV columns as `<name>_mg`.
  public var name: String
  /// The name of the parameter giving its volume, if the compartment has one.
  public var volume: String?

  public init(name: String, volume: String? = nil) {
    self.name = name
    self.volume = volume
  }
}
