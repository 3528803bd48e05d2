/// The population part of a scenario (or of the command line): how many subjects, the seed,
/// how covariates are drawn, and added variability.
///
/// ```yaml
/// population:
///   subjects: 1000
///   seed: 2026
///   covariates:
///     weight: {normal: [70 kg, 12 kg], range: model}     # or range: [40 kg, 120 kg]
///     age: {uniform: [18 y, 65 y]}
///     sex: {female: 0.5}
///   variability: {CL: 0.3, V1: 0.3}                      # ω of log P, added or replacing
/// ```
public struct PopulationSpec: Sendable, Equatable {
  /// A covariate's distribution, by model name (`WT`, `AGE`, `SEX`, …).
  public struct Draw: Sendable, Equatable {
    public var name: String
    public var distribution: CovariateDistribution
    public init(name: String, distribution: CovariateDistribution) {
      self.name = name
      self.distribution = distribution
    }
  }

  /// The number of subjects, if given.
  public var subjects: Int?
  /// The seed, if given.
  public var seed: UInt64?
  /// The covariate draws, in order.
  public var covariates: [Draw]
  /// Log-normal variability to add or replace: ω (standard deviation of log P) per parameter.
  public var variability: [(parameter: String, omega: Double)]

  public init(
    subjects: Int? = nil, seed: UInt64? = nil, covariates: [Draw] = [],
    variability: [(parameter: String, omega: Double)] = []
  ) {
    self.subjects = subjects
    self.seed = seed
    self.covariates = covariates
    self.variability = variability
  }

  public static func == (a: PopulationSpec, b: PopulationSpec) -> Bool {
    a.subjects == b.subjects && a.seed == b.seed && a.covariates == b.covariates
      && a.variability.map(\.parameter) == b.variability.map(\.parameter)
      && a.variability.map(\.omega) == b.variability.map(\.omega)
  }

  /// The default most subjects of one run: 1,000,000 (about 1 GB of exact percentiles per
  /// output at 1441 time points would be far more: above 100,000 subjects the summary uses a
  /// sketch). Raise it with `--subject-limit`.
  public static let defaultSubjectLimit = 1_000_000
}
