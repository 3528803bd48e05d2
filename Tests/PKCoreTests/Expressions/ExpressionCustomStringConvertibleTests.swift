import PKCore
import Testing

/// `Expression.description`: the canonical form parses back to the same tree.
@Suite struct ExpressionCustomStringConvertibleTests {
  static let texts =
    ExpressionParserTests.precedence.map(\.0) + [
      "1.1 * (WT / 70) ^ 0.75",
      "if MODE == 1 then RAT2 else 0",
      "0.1 + 0.2 + 1e-5 + 1.1e20 + 123456789012345678 + 0.3333333333333333 + 5e-324",
      "ifelse(a >= 1 && b != 2 || !c, min(1, 2, x), max(log(y), log10(z), sqrt(w), abs(v)))",
      "exp(-(CL / V1) * t) * (1 - F) ^ -0.5",
      "not (a <= b)",
      "if V > 0 then 1 / V else 0",
    ]

  @Test(arguments: texts)
  func printAndReparseGivesTheSameTree(_ text: String) throws {
    let e = try ExpressionParser.parse(text)
    let printed = e.description
    #expect(try ExpressionParser.parse(printed) == e, "\(printed)")
    #expect(try ExpressionParser.parse(printed).description == printed)
  }

  @Test func canonicalSpellings() throws {
    #expect(try ExpressionParser.parse("a ** 2 && !b || c").description == "(((a ^ 2.0) and (not b)) or c)")
    #expect(try ExpressionParser.parse("2e-3").description == "0.002")
    #expect(try ExpressionParser.parse("1e-5").description == "1e-05")
  }

  @Test func negativeLiteralsArePrintedInParentheses() throws {
    let e = Expression.binary(.power, .number(-2), .number(2))
    #expect(e.description == "((-2.0) ^ 2.0)")
    #expect(
      try ExpressionParser.parse(e.description) == .binary(.power, .unary(.negate, .number(2)), .number(2)))
  }
}
