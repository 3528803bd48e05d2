/// The person being simulated: the covariates a model may need.
public struct Subject: Sendable, Equatable {
  /// Total body weight (kg); nil when not given.
  public var weight: Double?
  /// Age (years); nil when not given.
  public var age: Double?
  /// Sex; nil when not given.
  public var sex: Sex?
  /// Other covariates by the name a model uses (`ASIAN`, `JPN`), for models that declare them.
  public var covariates: [String: Double]
  /// Enzyme activities other than normal, by model input name (`CYP3A4`, `CYP3A4_GUT`), each a
  /// multiple of normal activity.
  public var enzymeActivities: [String: Double]

  public init(
    weight: Double? = nil, age: Double? = nil, sex: Sex? = nil, covariates: [String: Double] = [:],
    enzymeActivities: [String: Double] = [:]
  ) {
    self.covariates = covariates
    self.weight = weight
    self.age = age
    self.sex = sex
    self.enzymeActivities = enzymeActivities
  }

  /// Applies a change of enzyme activity: activities multiply, so two inhibitors of one
  /// enzyme compound.
  public mutating func apply(_ change: EnzymeActivity) {
    for site in change.sites {
      enzymeActivities[site.inputName(change.enzyme), default: 1] *= change.activity
    }
  }
}
