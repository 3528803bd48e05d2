import PKCore
import RealModule
import Testing

/// `ExpressionParser.parse(_:)`: precedence, associativity, literals, functions, conditionals
/// and the messages and columns of syntax errors.
@Suite struct ExpressionParserTests {
  /// Each text against its canonical fully parenthesised form.
  static let precedence: [(String, String)] = [
    ("1 + 2 * 3", "(1.0 + (2.0 * 3.0))"),
    ("1 * 2 + 3", "((1.0 * 2.0) + 3.0)"),
    ("1 - 2 - 3", "((1.0 - 2.0) - 3.0)"),
    ("8 / 4 / 2", "((8.0 / 4.0) / 2.0)"),
    ("8 / 4 * 2", "((8.0 / 4.0) * 2.0)"),
    ("2 * 3 ^ 2", "(2.0 * (3.0 ^ 2.0))"),
    ("2 ^ 3 ^ 2", "(2.0 ^ (3.0 ^ 2.0))"),
    ("2 ** 3 ** 2", "(2.0 ^ (3.0 ^ 2.0))"),
    ("(2 ^ 3) ^ 2", "((2.0 ^ 3.0) ^ 2.0)"),
    ("-2 ^ 2", "(-(2.0 ^ 2.0))"),
    ("(-2) ^ 2", "((-2.0) ^ 2.0)"),
    ("2 ^ -1", "(2.0 ^ (-1.0))"),
    ("2 ^ -x ^ 2", "(2.0 ^ (-(x ^ 2.0)))"),
    ("-a * b", "((-a) * b)"),
    ("a * -b", "(a * (-b))"),
    ("1 - -1", "(1.0 - (-1.0))"),
    ("--a", "(-(-a))"),
    ("+a", "a"),
    ("a + +b", "(a + b)"),
    ("(1 + 2) * 3", "((1.0 + 2.0) * 3.0)"),
    ("a + b < c * d", "((a + b) < (c * d))"),
    ("a == b", "(a == b)"),
    ("a != b", "(a != b)"),
    ("a <= b", "(a <= b)"),
    ("a >= b", "(a >= b)"),
    ("a > b", "(a > b)"),
    ("(a < b) < c", "((a < b) < c)"),
    ("not a < b", "(not (a < b))"),
    ("!a == b", "(not (a == b))"),
    ("not not a", "(not (not a))"),
    ("not a and b", "((not a) and b)"),
    ("a and not b", "(a and (not b))"),
    ("a or b and c", "(a or (b and c))"),
    ("a and b or c", "((a and b) or c)"),
    ("a and b and c", "((a and b) and c)"),
    ("a && b || c", "((a and b) or c)"),
    ("a < b and c > d or e == f", "(((a < b) and (c > d)) or (e == f))"),
    ("if a then b else c", "(if a then b else c)"),
    ("if a then b else c + 1", "(if a then b else (c + 1.0))"),
    ("if a then b else if c then d else e", "(if a then b else (if c then d else e))"),
    ("if a or b then 1 else 2", "(if (a or b) then 1.0 else 2.0)"),
    ("if if a then b else c then d else e", "(if (if a then b else c) then d else e)"),
    ("2 * (if a then b else c)", "(2.0 * (if a then b else c))"),
    ("ifelse(a > 0, 1, 2)", "(if (a > 0.0) then 1.0 else 2.0)"),
    ("exp(-k * t)", "exp(((-k) * t))"),
    ("log(x) + log10(y)", "(log(x) + log10(y))"),
    ("sqrt(x) * abs(y)", "(sqrt(x) * abs(y))"),
    ("min(a, b, c)", "min(a, b, c)"),
    ("max(a, if b then c else d)", "max(a, (if b then c else d))"),
    ("-exp(x) ^ 2", "(-(exp(x) ^ 2.0))"),
    ("1.1 * (WT / 70) ^ 0.75", "(1.1 * ((WT / 70.0) ^ 0.75))"),
  ]

  @Test(arguments: precedence)
  func precedenceAndAssociativity(_ text: String, _ canonical: String) throws {
    #expect(try ExpressionParser.parse(text).description == canonical)
  }

  @Test func valuesFollowPrecedence() throws {
    let cases: [(String, Double)] = [
      ("-2^2", -4), ("2^3^2", 512), ("(-2)^2", 4), ("2^-1", 0.5), ("10 - 4 - 3", 3),
      ("8 / 4 / 2", 1), ("2 + 3 * 4 ^ 2", 50), ("-3 * -2", 6), ("2 ** 10", 1024),
    ]
    for (text, expected) in cases {
      let value = try evaluateExpression(text)
      #expect(value.isApproximatelyEqual(to: expected, relativeTolerance: 1e-15), "\(text)")
    }
  }

  @Test(arguments: [
    ("1", 1.0), ("1.5", 1.5), (".5", 0.5), ("1.", 1.0), ("2e-3", 0.002), ("1.1E+2", 110.0),
    ("7E2", 700.0), ("0.75e0", 0.75), ("1e-400", 0.0),
  ])
  func numberLiterals(_ text: String, _ value: Double) throws {
    #expect(try ExpressionParser.parse(text) == .number(value))
  }

  @Test func namesAreCaseSensitiveIdentifiers() throws {
    #expect(try ExpressionParser.parse("_a1 + A1 + a1 + x_Y_2").variables == ["_a1", "A1", "a1", "x_Y_2"])
    #expect(try ExpressionParser.parse("If") == .variable("If"))
    // A function name not followed by "(" is an ordinary name.
    #expect(try ExpressionParser.parse("exp * 2") == .binary(.multiply, .variable("exp"), .number(2)))
  }

  @Test func whitespaceIsIgnored() throws {
    let tight = try ExpressionParser.parse("1.1*(WT/70)^0.75+max(a,b)")
    let loose = try ExpressionParser.parse(" 1.1 *\t( WT\n/ 70 ) ^ 0.75 + max ( a , b ) ")
    #expect(tight == loose)
  }

  @Test func everyFunctionParses() throws {
    for function in Expression.Function.allCases {
      let arguments = Array(repeating: "x", count: function.minimumArgumentCount)
      let text = "\(function.rawValue)(\(arguments.joined(separator: ", ")))"
      #expect(
        try ExpressionParser.parse(text)
          == .call(function, Array(repeating: .variable("x"), count: function.minimumArgumentCount)))
    }
    #expect(try ExpressionParser.parse("max(1, 2, 3, 4)") == .call(.max, [1, 2, 3, 4].map { .number($0) }))
  }

  @Test func ifelseIsAConditional() throws {
    #expect(
      try ExpressionParser.parse("ifelse(MODE == 1, RAT2, 0)")
        == ExpressionParser.parse("if MODE == 1 then RAT2 else 0"))
  }

  /// Each bad text against the message and column of its error.
  static let syntaxErrors: [(String, String, Int)] = [
    ("1 + 2)", "unbalanced parenthesis: ')' has no matching '('", 6),
    ("(1 + 2", "unbalanced parenthesis: '(' is never closed", 1),
    ("((1 + 2)", "unbalanced parenthesis: '(' is never closed", 1),
    ("1 +", "expected an expression after '+'", 4),
    ("1 + )", "expected an expression after '+', found ')'", 5),
    ("1 * * 2", "expected an expression after '*', found '*'", 5),
    ("a and", "expected an expression after 'and'", 6),
    ("then", "expected an expression, found 'then'", 1),
    ("", "expected an expression", 1),
    ("   ", "expected an expression", 4),
    ("()", "expected an expression after '(', found ')'", 2),
    ("1 2", "unexpected '2'", 3),
    ("(1 2)", "unexpected '2'", 4),
    ("a b", "unexpected 'b'", 3),
    ("foo(1)", "unknown function 'foo'", 1),
    ("2 * foo(1)", "unknown function 'foo'", 5),
    ("exp(1, 2)", "'exp' takes 1 argument, found 2", 1),
    ("1 + log()", "'log' takes 1 argument, found 0", 5),
    ("min(1)", "'min' takes at least 2 arguments, found 1", 1),
    ("max()", "'max' takes at least 2 arguments, found 0", 1),
    ("ifelse(1, 2)", "'ifelse' takes 3 arguments (condition, value if true, value if false), found 2", 1),
    ("max(1 2)", "unexpected '2' in the arguments of 'max'", 7),
    ("max(1, 2", "unbalanced parenthesis: '(' of 'max' is never closed", 4),
    ("max(1, )", "expected an expression after ',', found ')'", 8),
    ("a < b < c", "'<' cannot follow the comparison '<' at column 3; join comparisons with 'and'", 7),
    ("a == b != c", "'!=' cannot follow the comparison '==' at column 3; join comparisons with 'and'", 8),
    ("1 = 2", "unexpected '='; use '==' to compare", 3),
    ("a & b", "unexpected '&'; use '&&' or 'and'", 3),
    ("a | b", "unexpected '|'; use '||' or 'or'", 3),
    ("2 $ 3", "unexpected character '$'", 3),
    ("a . b", "unexpected character '.'", 3),
    ("WT·2", "unexpected character '·'", 3),
    ("2x", "malformed number '2x'", 1),
    ("1 + 1.2.3", "malformed number '1.2.3'", 5),
    ("2e", "malformed number '2e'", 1),
    ("1e400", "number '1e400' is too large", 1),
    ("if a b else c", "expected 'then' after the condition of the 'if' at column 1, found 'b'", 6),
    (
      "if a then b",
      "expected 'else' after the 'then' branch of the 'if' at column 1 (every 'if' needs an 'else'), "
        + "found the end of the expression", 12
    ),
    ("2 * if a then b else c", "'if' after '*' must be in parentheses", 5),
    ("a < not b", "'not' after '<' must be in parentheses", 5),
    ("-!a", "'!' after '-' must be in parentheses", 2),
  ]

  @Test(arguments: syntaxErrors)
  func syntaxErrorsNameTheProblemAndColumn(_ text: String, _ message: String, _ column: Int) {
    #expect(throws: ExpressionError.syntax(message, column: column)) {
      try ExpressionParser.parse(text)
    }
  }

  @Test func errorDescriptionEndsWithTheColumn() {
    #expect(ExpressionError.syntax("unexpected ')'", column: 7).description == "unexpected ')' at column 7")
    #expect(ExpressionError.syntax("unexpected ')'", column: 7).message == "unexpected ')'")
    #expect(ExpressionError.syntax("unexpected ')'", column: 7).column == 7)
  }

  @Test func nestingIsLimited() throws {
    let n = ExpressionParser.maximumDepth
    let deep = String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n)
    #expect(try ExpressionParser.parse(deep) == .number(1))
    let tooDeep = "(" + deep + ")"
    #expect(throws: ExpressionError.self) { try ExpressionParser.parse(tooDeep) }
    #expect(throws: ExpressionError.self) {
      try ExpressionParser.parse(String(repeating: "-", count: n + 1) + "1")
    }
    // A long chain of + makes a tall tree even without parentheses.
    #expect(throws: ExpressionError.self) {
      try ExpressionParser.parse(Array(repeating: "1", count: n + 1).joined(separator: " + "))
    }
    #expect(throws: Never.self) {
      try ExpressionParser.parse(Array(repeating: "1", count: n - 1).joined(separator: " + "))
    }
  }
}
