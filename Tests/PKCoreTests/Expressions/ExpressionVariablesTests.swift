import PKCore
import Testing

/// `Expression.variables`: the free names, including those in untaken branches.
@Suite struct ExpressionVariablesTests {
  @Test func variablesAreTheFreeNames() throws {
    #expect(try ExpressionParser.parse("1.1 * (WT / 70) ^ 0.75").variables == ["WT"])
    #expect(try ExpressionParser.parse("if MODE == 1 then RAT2 else 0").variables == ["MODE", "RAT2"])
    #expect(
      try ExpressionParser.parse("ifelse(a, b, c) + max(d, exp(e), a)").variables == [
        "a", "b", "c", "d", "e",
      ])
    #expect(try ExpressionParser.parse("-x * x + (not x)").variables == ["x"])
    #expect(try ExpressionParser.parse("exp(2) * 3").variables.isEmpty)
  }
}
