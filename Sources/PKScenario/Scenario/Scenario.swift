import PKCore

/// Everything one run needs: the model, the subject, the doses and the output grid.
public struct Scenario: Sendable {
  /// The model, as defined in its file.
  public var model: ModelDefinition
  /// The subject.
  public var subject: Subject
  /// The doses, in the order given.
  public var doses: [Dose]
  /// Where to report.
  public var grid: OutputGrid
  /// A free-text description, if the scenario file has one.
  public var description: String?
  /// The population to simulate instead of the one subject, if the scenario has one.
  public var population: PopulationSpec?
  /// The concentrations and landmarks the run is measured against (`thresholds:`), in order.
  public var thresholds: [Threshold]
  /// Where to write the exposure metrics (`metrics:`), resolved against the scenario's folder.
  public var metrics: String?

  public init(
    model: ModelDefinition, subject: Subject, doses: [Dose], grid: OutputGrid, description: String? = nil,
    population: PopulationSpec? = nil, thresholds: [Threshold] = [], metrics: String? = nil
  ) {
    self.model = model
    self.subject = subject
    self.doses = doses
    self.grid = grid
    self.description = description
    self.population = population
    self.thresholds = thresholds
    self.metrics = metrics
  }
}
