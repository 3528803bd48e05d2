/// The covariates a subject provides to model expressions.
extension Subject {
  /// The value of covariate `name` for this subject: `WT` (kg), `AGE` (years), `SEX` (1 for
  /// female, 0 for male), another named covariate (`covariates`), an enzyme activity the subject
  /// changes (`CYP3A4`), or nil when the subject does not give it.
  public func covariate(_ name: String) -> Double? {
    switch name {
    case Covariate.weight: return weight
    case Covariate.age: return age
    case Covariate.sex: return sex.map { $0 == .female ? 1 : 0 }
    default: return covariates[name] ?? enzymeActivities[name]
    }
  }

  /// The word for a subject covariate in messages and CLI options (`weight` for `WT`), or nil.
  public static func covariateWord(_ name: String) -> String? {
    [Covariate.weight: "weight", Covariate.age: "age", Covariate.sex: "sex"][name]
  }
}
