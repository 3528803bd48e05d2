extension Expression {
  /// A built-in function of the expression language; the raw value is its name.
  ///
  /// ```
  /// exp(x)            eˣ
  /// log(x)            ln x,     x > 0
  /// log10(x)          log₁₀ x,  x > 0
  /// sqrt(x)           √x,       x ≥ 0
  /// abs(x)            |x|
  /// min(a, b, ...)    the smallest argument (2 or more)
  /// max(a, b, ...)    the largest argument (2 or more)
  /// ```
  /// `ifelse(condition, a, b)` is not a function: the parser turns it into
  /// `Expression.conditional`, which evaluates only the chosen branch.
  public enum Function: String, Equatable, Sendable, CaseIterable {
    /// The exponential, eˣ.
    case exp
    /// The natural logarithm; its argument must be positive.
    case log
    /// The base-10 logarithm; its argument must be positive.
    case log10
    /// The square root; its argument must not be negative.
    case sqrt
    /// The absolute value.
    case abs
    /// The smallest of two or more arguments.
    case min
    /// The largest of two or more arguments.
    case max

    /// The fewest arguments the function takes.
    public var minimumArgumentCount: Int {
      switch self {
      case .exp, .log, .log10, .sqrt, .abs: return 1
      case .min, .max: return 2
      }
    }

    /// The most arguments the function takes, or `nil` for no limit.
    public var maximumArgumentCount: Int? {
      switch self {
      case .exp, .log, .log10, .sqrt, .abs: return 1
      case .min, .max: return nil
      }
    }

    /// Whether the function accepts `count` arguments.
    public func accepts(argumentCount count: Int) -> Bool {
      count >= minimumArgumentCount && count <= (maximumArgumentCount ?? Int.max)
    }
  }
}
