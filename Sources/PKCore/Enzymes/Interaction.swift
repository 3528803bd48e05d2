/// A named interacting drug (`clarithromycin`, `rifampicin`, …): the enzyme activities it
/// leaves, with the probe-substrate study they come from.
///
/// Interaction data files live in `Models/interactions/`; `--with NAME` applies one.
public struct Interaction: Sendable, Equatable {
  /// The name used by `--with`.
  public var name: String
  /// One or two sentences: what the drug does to which enzyme, at what regimen.
  public var description: String
  /// The activities it leaves (each a multiple of normal).
  public var activities: [EnzymeActivity]
  /// How the activities were obtained from the study (for example 1 / AUC ratio of a probe
  /// substrate metabolised almost entirely by the enzyme).
  public var derivation: String
  /// The probe-substrate study, with full citation.
  public var citation: String

  public init(
    name: String, description: String, activities: [EnzymeActivity], derivation: String, citation: String
  ) {
    self.name = name
    self.description = description
    self.activities = activities
    self.derivation = derivation
    self.citation = citation
  }
}
