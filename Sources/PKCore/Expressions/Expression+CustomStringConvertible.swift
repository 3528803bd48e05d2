extension Expression: CustomStringConvertible {
  /// The canonical, fully parenthesised text of the expression.
  ///
  /// ```
  /// number        70.0, 0.75, 1e-05          (Swift's shortest round-trip spelling)
  /// variable      WT
  /// unary         (-x), (not x)
  /// binary        (a + b), (a ^ b), (a <= b), (a and b)
  /// call          exp(x), max(a, b, c)
  /// conditional   (if c then a else b)
  /// ```
  /// `ExpressionParser.parse(e.description) == e` for every expression the parser produces.
  /// A negative literal (which the parser never produces) prints as `(-3.0)` and parses back
  /// as a negation of `3.0`.
  public var description: String {
    switch self {
    case .number(let value):
      return value.sign == .minus ? "(-\(-value))" : "\(value)"
    case .variable(let name):
      return name
    case .unary(.negate, let operand):
      return "(-\(operand))"
    case .unary(.not, let operand):
      return "(not \(operand))"
    case .binary(let op, let left, let right):
      return "(\(left) \(op.rawValue) \(right))"
    case .call(let function, let arguments):
      return "\(function.rawValue)(\(arguments.map(\.description).joined(separator: ", ")))"
    case .conditional(let condition, let then, let otherwise):
      return "(if \(condition) then \(then) else \(otherwise))"
    }
  }
}
