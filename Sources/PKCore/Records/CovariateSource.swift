/// Where one of a model's covariates takes its value from, for a run of records.
public enum CovariateSource: Sendable, Equatable {
  /// The record's value in data-set column `index` (`DataRecord.covariates[index]`).
  case column(Int)
  /// A fixed value (from the subject or the covariate's default).
  case constant(Double)
}
