/// Why an expression has no finite value for the given inputs, and in which definition.
///
/// ```
/// division by zero: 1.0 / 0.0
/// logarithm of a non-positive value: log(-1.0)
/// square root of a negative value: sqrt(-4.0)
/// non-finite result: exp(800.0)
/// 'WT' is not finite: nan
/// while computing 'CL': division by zero: 1.0 / 0.0     (with `definition`)
/// ```
/// Evaluation never returns NaN or infinity: every operation whose result would not be finite
/// throws this instead, naming the operation and its operands.
public struct EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What went wrong.
  public var reason: Reason
  /// The definition being computed, when evaluating an `ExpressionGraph`; `nil` for a single
  /// expression.
  public var definition: String?

  /// An error for `reason`, optionally in the definition named `definition`.
  public init(_ reason: Reason, definition: String? = nil) {
    self.reason = reason
    self.definition = definition
  }

  public var description: String {
    definition.map { "while computing '\($0)': \(reason)" } ?? "\(reason)"
  }
}
