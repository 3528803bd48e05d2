extension SimulationResult {
  /// The values of a concentration–effect model at the output times.
  public struct EffectCurve: Sendable, Equatable {
    /// The effect's name (`ConcentrationEffect.name`).
    public var name: String
    /// Its unit.
    public var unit: String
    /// One value per output time.
    public var values: [Double]

    public init(name: String, unit: String, values: [Double]) {
      self.name = name
      self.unit = unit
      self.values = values
    }
  }
}
