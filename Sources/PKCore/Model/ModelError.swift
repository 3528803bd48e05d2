/// A problem with a model, a subject or a regimen that makes a simulation impossible.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A covariate the model or a dose needs is missing.
  case missingCovariate(name: String, reason: String)
  /// A covariate has an impossible value (a weight of 0, a negative age).
  case invalidCovariate(name: String, value: Double, expected: String)
  /// The model does not support a route.
  case unsupportedRoute(Route, supported: [Route])
  /// A dose cannot be given (zero or negative amount, duration, interval or count).
  case invalidDose(String)
  /// The model's structure is inconsistent (a flow names an unknown compartment, ...).
  case invalidModel(String)
  /// An enzyme change the model cannot take (an enzyme it does not name, an activity ≤ 0).
  case invalidEnzyme(String)

  public var description: String {
    switch self {
    case .missingCovariate(let name, let reason):
      return "the subject's \(name) is needed because \(reason)"
    case .invalidCovariate(let name, let value, let expected):
      return "the subject's \(name) is \(value), expected \(expected)"
    case .unsupportedRoute(let route, let supported):
      return "route '\(route.rawValue)' is not supported by this model; it supports: "
        + supported.map(\.rawValue).joined(separator: ", ")
    case .invalidDose(let message):
      return message
    case .invalidModel(let message):
      return message
    case .invalidEnzyme(let message):
      return message
    }
  }
}
