/// A parameter expression from a model file, as a syntax tree (NONMEM-style `$PK` arithmetic).
///
/// ```
/// CL = 1.1 * (WT / 70) ^ 0.75
/// R2 = if MODE == 1 then RAT2 else 0
/// ```
/// Values are `Double`s. Conditions are numbers too: 0 is false and anything else is true;
/// comparisons and `and`/`or`/`not` give 1 or 0.
///
/// Build one with `ExpressionParser.parse(_:)`, list the names it uses with `variables`, and turn
/// it into a `CompiledExpression` with `compile(slots:)` to evaluate it many times. `description`
/// prints a canonical, fully parenthesised form that parses back to the same tree.
///
/// The parser produces only non-negative, finite `number`s (a leading minus is a `unary`
/// negation), `call`s with the right number of arguments, and trees at most
/// `ExpressionParser.maximumDepth` deep; trees built by hand should keep to the same rules.
public indirect enum Expression: Equatable, Sendable {
  /// A numeric literal such as `70`, `0.75` or `2e-3`.
  case number(Double)
  /// A name resolved when the expression is compiled: a parameter, covariate or data column.
  case variable(String)
  /// A prefix operator applied to an operand: `-x`, `not x`.
  case unary(UnaryOperator, Expression)
  /// An infix operator applied to two operands: `a + b`, `a ^ b`, `a < b`, `a and b`.
  case binary(BinaryOperator, Expression, Expression)
  /// A built-in function applied to its arguments: `exp(x)`, `max(a, b, c)`.
  case call(Function, [Expression])
  /// `if condition then a else b` (also written `ifelse(condition, a, b)`); only the chosen
  /// branch is evaluated.
  case conditional(Expression, then: Expression, else: Expression)
}
