extension EvaluationError {
  /// The operation that failed and the values it was given.
  public enum Reason: Equatable, Sendable, CustomStringConvertible {
    /// `dividend / divisor` with a divisor of 0 (or -0).
    case divisionByZero(dividend: Double, divisor: Double)
    /// `log(x)` or `log10(x)` with x ≤ 0.
    case logarithmOfNonPositive(Expression.Function, argument: Double)
    /// `sqrt(x)` with x < 0.
    case squareRootOfNegative(argument: Double)
    /// An operation on finite operands gave NaN or ±infinity: overflow in `exp`, `^`, `*`, `+`,
    /// `0 ^ -1`, or a negative base with a non-integer exponent. `operation` is the operator's
    /// symbol (`^`, `*`) or the function's name (`exp`).
    case nonFiniteResult(operation: String, operands: [Double])
    /// An input value (a covariate or data column) is NaN or infinite.
    case nonFiniteInput(name: String, value: Double)
    /// A parameter declared a fraction came out below 0 or above 1.
    case fractionOutOfRange(Double)

    public var description: String {
      switch self {
      case .divisionByZero(let a, let b):
        return "division by zero: \(Self.operand(a)) / \(b)"
      case .logarithmOfNonPositive(let function, let x):
        return "logarithm of a non-positive value: \(function.rawValue)(\(x))"
      case .squareRootOfNegative(let x):
        return "square root of a negative value: sqrt(\(x))"
      case .nonFiniteResult(let operation, let operands):
        let isFunction = operation.first?.isLetter ?? false
        let text =
          isFunction || operands.count != 2
          ? "\(operation)(\(operands.map { "\($0)" }.joined(separator: ", ")))"
          : "\(Self.operand(operands[0])) \(operation) \(Self.operand(operands[1]))"
        return "non-finite result: \(text)"
      case .nonFiniteInput(let name, let value):
        return "'\(name)' is not finite: \(value)"
      case .fractionOutOfRange(let value):
        return "a fraction must lie between 0 and 1, found \(value)"
      }
    }

    /// `x` for an infix operation, parenthesised when negative: `(-8.0) ^ 0.5`.
    private static func operand(_ x: Double) -> String {
      x.sign == .minus ? "(\(x))" : "\(x)"
    }
  }
}
