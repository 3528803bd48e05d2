import PKCore
import RealModule
import Testing

/// `Expression.compile(slots:)`: names resolve to slots; unknown names are errors.
@Suite struct ExpressionCompileTests {
  @Test func unknownVariableIsNamed() throws {
    let e = try ExpressionParser.parse("CL * WTT + AGE")
    #expect(throws: ExpressionError.unknownVariable("WTT")) { try e.compile(slots: ["CL": 0]) }
    #expect(ExpressionError.unknownVariable("WTT").description == "unknown variable 'WTT'")
    #expect(ExpressionError.unknownVariable("WTT").column == nil)
  }

  @Test func namesInUntakenBranchesMustStillResolve() throws {
    let e = try ExpressionParser.parse("if MODE == 1 then RAT2 else 0")
    #expect(throws: ExpressionError.unknownVariable("RAT2")) { try e.compile(slots: ["MODE": 0]) }
  }

  @Test func slotsNeedNotBeContiguous() throws {
    let c = try ExpressionParser.parse("a - b").compile(slots: ["a": 4, "b": 1, "unused": 9])
    #expect(c.requiredValueCount == 5)
    let value = try c.evaluate([0, 2, 0, 0, 7])
    #expect(value.isApproximatelyEqual(to: 5, relativeTolerance: 0))
  }

  @Test func stackCapacityIsTheDeepestStack() throws {
    #expect(try ExpressionParser.parse("1").compile(slots: [:]).stackCapacity == 1)
    #expect(try ExpressionParser.parse("1 + 2 + 3 + 4").compile(slots: [:]).stackCapacity == 2)
    #expect(try ExpressionParser.parse("1 + (2 + (3 + 4))").compile(slots: [:]).stackCapacity == 4)
    #expect(try ExpressionParser.parse("max(1, 2, 3, 4)").compile(slots: [:]).stackCapacity == 4)
    #expect(try ExpressionParser.parse("1").compile(slots: [:]).requiredValueCount == 0)
  }

  @Test func aCompiledExpressionIsReusable() throws {
    let c = try ExpressionParser.parse("1.1 * (WT / 70) ^ 0.75").compile(slots: ["WT": 0])
    for wt in [20.0, 62.65, 70, 110] {
      let value = try c.evaluate([wt])
      let expected = 1.1 * Double.pow(wt / 70, 0.75)
      #expect(value.isApproximatelyEqual(to: expected, relativeTolerance: 1e-15))
    }
  }
}
