/// The covariate range a model was estimated in. Simulating outside it is allowed, with a warning.
public struct ValidatedRange: Sendable, Equatable {
  /// Total body weight range (kg), if reported.
  public var weight: ClosedRange<Double>?
  /// Age range (years), if reported.
  public var age: ClosedRange<Double>?
  /// Where the range comes from, in words.
  public var note: String

  public init(weight: ClosedRange<Double>? = nil, age: ClosedRange<Double>? = nil, note: String = "") {
    self.weight = weight
    self.age = age
    self.note = note
  }

  /// Warnings for each covariate of `subject` outside the range, as whole sentences.
  public func warnings(for subject: Subject, model: String) -> [String] {
    var result: [String] = []
    if let range = weight, let w = subject.weight, !range.contains(w) {
      result.append(
        "weight \(_format(w)) kg is outside the range \(model) was validated for "
          + "(\(_format(range.lowerBound))–\(_format(range.upperBound)) kg); the run goes on.")
    }
    if let range = age, let a = subject.age, !range.contains(a) {
      result.append(
        "age \(_format(a)) y is outside the range \(model) was validated for "
          + "(\(_format(range.lowerBound))–\(_format(range.upperBound)) y); the run goes on.")
    }
    return result
  }
}

/// A number without a trailing ".0" for whole values.
func _format(_ x: Double) -> String {
  x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
}
