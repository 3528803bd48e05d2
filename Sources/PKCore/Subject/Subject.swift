/// The person being simulated: the covariates a model may need.
public struct Subject: Sendable, Equatable {
  /// Total body weight (kg); nil when not given.
  public var weight: Double?
  /// Age (years); nil when not given.
  public var age: Double?
  /// Sex; nil when not given.
  public var sex: Sex?

  public init(weight: Double? = nil, age: Double? = nil, sex: Sex? = nil) {
    self.weight = weight
    self.age = age
    self.sex = sex
  }
}
