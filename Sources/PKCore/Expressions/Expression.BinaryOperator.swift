extension Expression {
  /// An infix operator of the expression language; the raw value is its canonical spelling.
  ///
  /// From the loosest to the tightest binding:
  /// ```
  /// or  ||                       left-associative, gives 1 or 0
  /// and &&                       left-associative, gives 1 or 0
  /// == != < <= > >=              non-associative (a < b < c is an error), gives 1 or 0
  /// + -                          left-associative
  /// * /                          left-associative
  /// ^ **                         right-associative (2^3^2 = 2^9), tighter than unary minus
  /// ```
  /// `and` and `or` evaluate their right operand only when the left one does not decide the
  /// result, so `V != 0 and 1 / V > 2` never divides by zero.
  public enum BinaryOperator: String, Equatable, Sendable, CaseIterable {
    /// Addition, `a + b`.
    case add = "+"
    /// Subtraction, `a - b`.
    case subtract = "-"
    /// Multiplication, `a * b`.
    case multiply = "*"
    /// Division, `a / b`; a zero divisor is an `EvaluationError`.
    case divide = "/"
    /// Power, `a ^ b` or `a ** b`; a negative base needs an integer exponent.
    case power = "^"
    /// Equality, `a == b`: 1 when equal, else 0.
    case equal = "=="
    /// Inequality, `a != b`: 1 when different, else 0.
    case notEqual = "!="
    /// `a < b`: 1 or 0.
    case less = "<"
    /// `a <= b`: 1 or 0.
    case lessOrEqual = "<="
    /// `a > b`: 1 or 0.
    case greater = ">"
    /// `a >= b`: 1 or 0.
    case greaterOrEqual = ">="
    /// Logical and, `a and b` or `a && b`: 1 when both are non-zero, else 0.
    case and = "and"
    /// Logical or, `a or b` or `a || b`: 1 when either is non-zero, else 0.
    case or = "or"

    /// Whether the operator compares its operands (`==`, `!=`, `<`, `<=`, `>`, `>=`).
    public var isComparison: Bool {
      switch self {
      case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
      case .add, .subtract, .multiply, .divide, .power, .and, .or: return false
      }
    }
  }
}
