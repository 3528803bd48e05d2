import PKCore
import PKLinearAlgebra
import PKStatistics

/// Makes the subjects of a population: covariates drawn from their distributions and random
/// effects η ~ N(0, Ω) from the model's variability, each subject from its own random streams.
///
/// ```
/// subject i:  covariates from RandomStream(seed, i, stream 0)
///             η = L·z,  z from RandomStream(seed, i, stream 1),  Ω = L·Lᵀ (Cholesky, LAPACK potrf)
/// ```
/// A subject's draws depend only on the seed and its ID, so its numbers are the same for any
/// thread count, batch size, shard split or subject order (Salmon et al., SC'11, for the
/// counter-based generator). Random effects with variance 0 are left at 0.
public struct SubjectSampler: Sendable {
  /// The seed; nil when nothing is random.
  public let seed: UInt64?
  /// The covariates every subject starts from (weight, age, sex, model covariates, enzyme
  /// activities), before any drawn value.
  public let base: Subject
  /// The drawn covariates, by model name (`WT`, `AGE`, `SEX`, others), in draw order.
  public let distributions: [(name: String, distribution: CovariateDistribution)]
  /// The random effects drawn (those with a variance above 0), in Ω's order.
  public let effects: [RandomEffect]
  let normal: MultivariateNormal?

  /// The stream numbers of a subject: covariates, then random effects.
  public static let covariateStream: UInt32 = 0
  public static let randomEffectStream: UInt32 = 1
  /// The stream of residual errors (simulated observations).
  public static let observationStream: UInt32 = 2

  /// Subject `id`'s stream of residual-error draws.
  public func observationStream(id: Int) -> RandomStream {
    RandomStream(seed: seed ?? 0, subject: UInt64(bitPattern: Int64(id)), stream: Self.observationStream)
  }

  /// - Throws: `InputError` (source `model`) when Ω is not symmetric positive definite, or when
  ///   anything is random and `seed` is nil.
  public init(
    seed: UInt64?, base: Subject, distributions: [(name: String, distribution: CovariateDistribution)],
    variability: Variability, model: String
  ) throws(InputError) {
    self.seed = seed
    self.base = base
    self.distributions = distributions
    let kept = variability.effects.indices.filter { variability.covariance($0, $0) > 0 }
    effects = kept.map { variability.effects[$0] }
    if kept.isEmpty {
      normal = nil
    } else {
      var omega = Matrix(rows: kept.count, columns: kept.count)
      for (a, i) in kept.enumerated() {
        for (b, j) in kept.enumerated() { omega[a, b] = variability.covariance(i, j) }
      }
      do { normal = try MultivariateNormal(covariance: omega) } catch {
        throw InputError(
          source: model, field: "variability",
          message:
            "the covariance matrix Ω of \(kept.map { variability.effects[$0].parameter }.joined(separator: ", ")) is not symmetric positive definite (\(error)); check the variances and correlations"
        )
      }
    }
    if isRandom && seed == nil {
      throw InputError(
        source: "command line", field: "--seed",
        message:
          "a population with random covariates or random effects needs --seed N, so that the run can be repeated"
      )
    }
  }

  /// Whether any draw is random.
  public var isRandom: Bool {
    normal != nil || distributions.contains { if case .fixed = $0.distribution { false } else { true } }
  }

  /// Subject `id`, starting from `given` (a row of a subjects file) or the base subject.
  ///
  /// - Throws: `InputError` when a truncated covariate distribution keeps too little of its
  ///   mass to draw from.
  public func subject(id: Int, given: Subject? = nil) throws(InputError) -> PopulationSubject {
    var subject = given ?? base
    let key = UInt64(bitPattern: Int64(id))
    if given == nil && !distributions.isEmpty {
      var stream = RandomStream(seed: seed ?? 0, subject: key, stream: Self.covariateStream)
      for (name, distribution) in distributions {
        guard let value = distribution.draw(from: &stream) else {
          throw InputError(
            source: "population", field: name,
            message:
              "\(distribution.summary) keeps almost none of its values (no draw in range after \(CovariateDistribution.drawLimit) tries); widen the range or move the mean"
          )
        }
        switch name {
        case Covariate.weight: subject.weight = value
        case Covariate.age: subject.age = value
        case Covariate.sex: subject.sex = value == 1 ? .female : .male
        default: subject.covariates[name] = value
        }
      }
    }
    if let normal {
      var stream = RandomStream(seed: seed ?? 0, subject: key, stream: Self.randomEffectStream)
      let eta = normal.sample(from: &stream)
      for (k, e) in effects.enumerated() { subject.covariates[e.inputName] = eta[k] }
    }
    return PopulationSubject(id: id, subject: subject)
  }
}
