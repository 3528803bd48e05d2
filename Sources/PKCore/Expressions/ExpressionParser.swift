/// Parses the text of a parameter expression into an `Expression`.
///
/// Grammar, from the loosest to the tightest binding:
/// ```
/// expression  = "if" expression "then" expression "else" expression | or
/// or          = and { ("or" | "||") and }
/// and         = not { ("and" | "&&") not }
/// not         = ("not" | "!") not | comparison
/// comparison  = sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum ]     (no chains)
/// sum         = product { ("+" | "-") product }
/// product     = unary { ("*" | "/") unary }
/// unary       = ("-" | "+") unary | power
/// power       = primary [ ("^" | "**") unary ]                         (right-associative)
/// primary     = number | name | name "(" [ expression { "," expression } ] ")"
///             | "(" expression ")"
/// ```
/// So `-2^2 = -(2^2)`, `2^3^2 = 2^(3^2)`, `2^-1 = 2^(-1)`, `not a < b = not (a < b)`, and an
/// `else` branch extends as far right as it can (`if a then b else if c then d else e` nests).
/// A conditional or `not` that is the operand of a tighter operator must be parenthesised:
/// `2 * (if a then b else c)`.
///
/// Names are `[A-Za-z_][A-Za-z0-9_]*` and case-sensitive; `if then else and or not` are
/// reserved. A name followed by `(` calls a function: `exp log log10 sqrt abs` (one argument),
/// `min max` (two or more), or `ifelse(c, a, b)`, which becomes `Expression.conditional`.
/// Unary plus is dropped. Numbers are `1`, `1.`, `1.5`, `.5`, `2e-3`, `1.1E+2`.
///
/// Errors name the problem and its 1-based column: `unexpected ')'`, `unknown function 'foo'`,
/// `expected an expression after '+'`, `unbalanced parenthesis: '(' is never closed`,
/// `'exp' takes 1 argument, found 2`.
///
/// - Complexity: O(n) in the length of the text.
public struct ExpressionParser {
  /// The deepest nesting accepted: levels of the tree, and of parentheses, calls, conditionals
  /// and prefix operators.
  ///
  /// Real parameter expressions nest a handful of levels; the limit keeps the recursive parser,
  /// printer and compiler far from the end of a thread's stack on hostile input.
  public static let maximumDepth = 100

  /// A parsed subtree and its height (a leaf has height 1).
  private typealias Node = (expression: Expression, height: Int)

  /// The tokens, ending with `.end`.
  private let tokens: [_ExpressionToken]
  /// The index of the current token.
  private var position = 0
  /// How many recursive constructs enclose the current token.
  private var nesting = 0

  private init(tokens: [_ExpressionToken]) {
    self.tokens = tokens
  }

  /// Parses `text` as one expression.
  ///
  /// - Throws: `ExpressionError.syntax` with a message and the 1-based column of the first
  ///   problem.
  public static func parse(_ text: String) throws(ExpressionError) -> Expression {
    var parser = ExpressionParser(tokens: try _ExpressionLexer.tokens(of: text))
    if parser.current.kind == .end {
      throw .syntax("expected an expression", column: parser.current.column)
    }
    let node = try parser.parseExpression()
    if parser.current.isSymbol(")") {
      throw .syntax("unbalanced parenthesis: ')' has no matching '('", column: parser.current.column)
    }
    guard parser.current.kind == .end else {
      throw .syntax("unexpected \(parser.current.quoted)", column: parser.current.column)
    }
    return node.expression
  }

  // MARK: Tokens

  private var current: _ExpressionToken { tokens[position] }

  private var previous: _ExpressionToken? { position > 0 ? tokens[position - 1] : nil }

  @discardableResult
  private mutating func advance() -> _ExpressionToken {
    defer { position += 1 }
    return tokens[position]
  }

  /// Consumes the current token when it is one of the symbols or keywords in `spellings`.
  private mutating func accept(_ spellings: [String]) -> _ExpressionToken? {
    switch current.kind {
    case .symbol(let s) where spellings.contains(s), .identifier(let s) where spellings.contains(s):
      return advance()
    default:
      return nil
    }
  }

  /// Counts one more level of recursion, failing beyond `maximumDepth`.
  private mutating func enter() throws(ExpressionError) {
    nesting += 1
    if nesting > Self.maximumDepth {
      throw .syntax(
        "the expression is nested too deeply (more than \(Self.maximumDepth) levels)",
        column: current.column)
    }
  }

  private mutating func leave() { nesting -= 1 }

  /// A node over children of the given heights, failing when the tree gets too tall.
  private func node(_ e: Expression, over heights: Int..., at column: Int) throws(ExpressionError)
    -> Node
  {
    let height = (heights.max() ?? 0) + 1
    if height > Self.maximumDepth {
      throw .syntax(
        "the expression is nested too deeply (more than \(Self.maximumDepth) levels)",
        column: column)
    }
    return (e, height)
  }

  // MARK: Grammar

  /// `expression = "if" expression "then" expression "else" expression | or`
  private mutating func parseExpression() throws(ExpressionError) -> Node {
    guard let ifToken = accept(["if"]) else { return try parseOr() }
    try enter()
    defer { leave() }
    let condition = try parseExpression()
    guard accept(["then"]) != nil else {
      throw .syntax(
        "expected 'then' after the condition of the 'if' at column \(ifToken.column), "
          + "found \(current.quoted)", column: current.column)
    }
    let then = try parseExpression()
    guard accept(["else"]) != nil else {
      throw .syntax(
        "expected 'else' after the 'then' branch of the 'if' at column \(ifToken.column) "
          + "(every 'if' needs an 'else'), found \(current.quoted)", column: current.column)
    }
    let otherwise = try parseExpression()
    return try node(
      .conditional(condition.expression, then: then.expression, else: otherwise.expression),
      over: condition.height, then.height, otherwise.height, at: ifToken.column)
  }

  /// `or = and { ("or" | "||") and }`
  private mutating func parseOr() throws(ExpressionError) -> Node {
    var left = try parseAnd()
    while let op = accept(["or", "||"]) {
      let right = try parseAnd()
      left = try node(
        .binary(.or, left.expression, right.expression), over: left.height, right.height,
        at: op.column)
    }
    return left
  }

  /// `and = not { ("and" | "&&") not }`
  private mutating func parseAnd() throws(ExpressionError) -> Node {
    var left = try parseNot()
    while let op = accept(["and", "&&"]) {
      let right = try parseNot()
      left = try node(
        .binary(.and, left.expression, right.expression), over: left.height, right.height,
        at: op.column)
    }
    return left
  }

  /// `not = ("not" | "!") not | comparison`
  private mutating func parseNot() throws(ExpressionError) -> Node {
    guard let op = accept(["not", "!"]) else { return try parseComparison() }
    try enter()
    defer { leave() }
    let operand = try parseNot()
    return try node(.unary(.not, operand.expression), over: operand.height, at: op.column)
  }

  private static let comparisons: [String: Expression.BinaryOperator] = [
    "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater,
    ">=": .greaterOrEqual,
  ]

  /// `comparison = sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum ]`
  private mutating func parseComparison() throws(ExpressionError) -> Node {
    let left = try parseSum()
    guard case .symbol(let s) = current.kind, let op = Self.comparisons[s] else { return left }
    let opToken = advance()
    let right = try parseSum()
    if case .symbol(let s) = current.kind, Self.comparisons[s] != nil {
      throw .syntax(
        "'\(s)' cannot follow the comparison '\(opToken.text)' at column \(opToken.column); "
          + "join comparisons with 'and'", column: current.column)
    }
    return try node(
      .binary(op, left.expression, right.expression), over: left.height, right.height,
      at: opToken.column)
  }

  /// `sum = product { ("+" | "-") product }`
  private mutating func parseSum() throws(ExpressionError) -> Node {
    var left = try parseProduct()
    while let op = accept(["+", "-"]) {
      let right = try parseProduct()
      left = try node(
        .binary(op.text == "+" ? .add : .subtract, left.expression, right.expression),
        over: left.height, right.height, at: op.column)
    }
    return left
  }

  /// `product = unary { ("*" | "/") unary }`
  private mutating func parseProduct() throws(ExpressionError) -> Node {
    var left = try parseUnary()
    while let op = accept(["*", "/"]) {
      let right = try parseUnary()
      left = try node(
        .binary(op.text == "*" ? .multiply : .divide, left.expression, right.expression),
        over: left.height, right.height, at: op.column)
    }
    return left
  }

  /// `unary = ("-" | "+") unary | power`
  private mutating func parseUnary() throws(ExpressionError) -> Node {
    guard let op = accept(["-", "+"]) else { return try parsePower() }
    try enter()
    defer { leave() }
    let operand = try parseUnary()
    if op.text == "+" { return operand }
    return try node(.unary(.negate, operand.expression), over: operand.height, at: op.column)
  }

  /// `power = primary [ ("^" | "**") unary ]`
  private mutating func parsePower() throws(ExpressionError) -> Node {
    let base = try parsePrimary()
    guard let op = accept(["^", "**"]) else { return base }
    try enter()
    defer { leave() }
    let exponent = try parseUnary()
    return try node(
      .binary(.power, base.expression, exponent.expression), over: base.height, exponent.height,
      at: op.column)
  }

  private static let reserved: Set<String> = ["if", "then", "else", "and", "or", "not"]

  /// `primary = number | name | name "(" arguments ")" | "(" expression ")"`
  private mutating func parsePrimary() throws(ExpressionError) -> Node {
    let token = current
    switch token.kind {
    case .number(let value):
      advance()
      return (.number(value), 1)
    case .symbol("("):
      advance()
      try enter()
      defer { leave() }
      let inner = try parseExpression()
      try expectClosing(token)
      return inner
    case .identifier(let name) where !Self.reserved.contains(name):
      advance()
      guard current.isSymbol("(") else { return (.variable(name), 1) }
      return try parseCall(token)
    case .identifier("if"), .identifier("not"), .symbol("!"):
      let after = previous.map { " after \($0.quoted)" } ?? ""
      throw .syntax(
        "\(token.quoted)\(after) must be in parentheses", column: token.column)
    default:
      let after = previous.map { " after \($0.quoted)" } ?? ""
      let found = token.kind == .end ? "" : ", found \(token.quoted)"
      throw .syntax("expected an expression\(after)\(found)", column: token.column)
    }
  }

  /// The arguments of a call to the function named by `nameToken`, at the `(`.
  private mutating func parseCall(_ nameToken: _ExpressionToken) throws(ExpressionError) -> Node {
    let name = nameToken.text
    let function = Expression.Function(rawValue: name)
    guard function != nil || name == "ifelse" else {
      throw .syntax("unknown function '\(name)'", column: nameToken.column)
    }
    let open = advance()
    try enter()
    defer { leave() }
    var arguments: [Node] = []
    if !current.isSymbol(")") {
      repeat {
        arguments.append(try parseExpression())
      } while accept([","]) != nil
    }
    try expectClosing(open, of: name)
    let count = arguments.count
    let heights = arguments.map(\.height).max() ?? 0
    guard let function else {
      guard count == 3 else {
        throw .syntax(
          "'ifelse' takes 3 arguments (condition, value if true, value if false), found \(count)",
          column: nameToken.column)
      }
      return try node(
        .conditional(
          arguments[0].expression, then: arguments[1].expression, else: arguments[2].expression),
        over: heights, at: nameToken.column)
    }
    guard function.accepts(argumentCount: count) else {
      let expected =
        function.maximumArgumentCount == nil
        ? "at least \(function.minimumArgumentCount) arguments"
        : "\(function.minimumArgumentCount) argument\(function.minimumArgumentCount == 1 ? "" : "s")"
      throw .syntax("'\(name)' takes \(expected), found \(count)", column: nameToken.column)
    }
    return try node(
      .call(function, arguments.map(\.expression)), over: heights, at: nameToken.column)
  }

  /// Consumes the `)` that closes `open`, or explains why it is missing.
  private mutating func expectClosing(_ open: _ExpressionToken, of function: String? = nil)
    throws(ExpressionError)
  {
    if accept([")"]) != nil { return }
    if current.kind == .end {
      let what = function.map { "'(' of '\($0)'" } ?? "'('"
      throw .syntax("unbalanced parenthesis: \(what) is never closed", column: open.column)
    }
    let context = function.map { " in the arguments of '\($0)'" } ?? ""
    throw .syntax("unexpected \(current.quoted)\(context)", column: current.column)
  }
}
