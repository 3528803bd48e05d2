/// One token of an expression's text, with the 1-based column where it starts.
struct _ExpressionToken: Equatable, Sendable {
  /// What kind of token this is.
  enum Kind: Equatable, Sendable {
    /// A numeric literal and its value.
    case number(Double)
    /// A name, keyword (`if`, `then`, `else`, `and`, `or`, `not`) or function name.
    case identifier(String)
    /// An operator or punctuation, as written: `+ - * / ^ ** ( ) , == != < <= > >= ! && ||`.
    case symbol(String)
    /// The end of the text.
    case end
  }

  /// What kind of token this is.
  var kind: Kind
  /// The token as written (empty at the end).
  var text: String
  /// The 1-based column of its first character.
  var column: Int

  /// Whether the token is the symbol `s`.
  func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }

  /// Whether the token is the identifier (or keyword) `name`.
  func isIdentifier(_ name: String) -> Bool { kind == .identifier(name) }

  /// The token quoted for a message: `'+'`, `'WT'`, or `the end of the expression`.
  var quoted: String { kind == .end ? "the end of the expression" : "'\(text)'" }
}
