extension Expression {
  /// A prefix operator of the expression language.
  ///
  /// ```
  /// -x      = negation of x
  /// not x   = 1 if x == 0, else 0      (also written !x)
  /// ```
  /// Unary plus is accepted by the parser and dropped, so it has no case here.
  public enum UnaryOperator: String, Equatable, Sendable, CaseIterable {
    /// Arithmetic negation, `-x`; binds more loosely than `^` (`-2^2 = -4`).
    case negate = "-"
    /// Logical negation, `not x` or `!x`; binds more loosely than comparisons.
    case not = "not"
  }
}
