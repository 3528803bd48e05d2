/// A problem with the text of an expression, or with a name it uses.
///
/// ```
/// syntax            "unexpected ')' at column 7", "unknown function 'foo' at column 1"
/// unknownVariable   "unknown variable 'WTT'"
/// ```
/// Columns are 1-based and count characters from the start of the text (newlines included),
/// so they point into the expression as written in the model file.
public enum ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The text is not a valid expression; `column` is where the problem is.
  case syntax(String, column: Int)
  /// `Expression.compile(slots:)` met a name that has no slot.
  case unknownVariable(String)

  /// What is wrong, without the column.
  public var message: String {
    switch self {
    case .syntax(let message, _): return message
    case .unknownVariable(let name): return "unknown variable '\(name)'"
    }
  }

  /// The 1-based column of the problem in the text, or `nil` when it is not about the text.
  public var column: Int? {
    switch self {
    case .syntax(_, let column): return column
    case .unknownVariable: return nil
    }
  }

  public var description: String {
    column.map { "\(message) at column \($0)" } ?? message
  }
}
