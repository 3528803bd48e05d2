/// Which record's covariates govern the interval between two records.
public enum CovariateConvention: String, Sendable, CaseIterable {
  /// Next observation carried backward (NONMEM's default): the values on a record govern the
  /// interval that ends at that record.
  case nocb
  /// Last observation carried forward: the values on a record govern the interval that starts
  /// at it.
  case locf
}
