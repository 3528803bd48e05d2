import PKCore

/// One subject of a population: its ID and covariates (random effects included, as `ETA(P)`
/// covariates).
public struct PopulationSubject: Sendable, Equatable {
  /// The subject's ID (from 1 for generated subjects; from the ID column of a subjects file).
  public var id: Int
  /// The covariates.
  public var subject: Subject

  public init(id: Int, subject: Subject) {
    self.id = id
    self.subject = subject
  }
}
