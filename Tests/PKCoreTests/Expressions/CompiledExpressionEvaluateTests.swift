import PKCore
import RealModule
import Testing

/// `CompiledExpression.evaluate(_:)`: every operator and function, conditionals that evaluate
/// only the chosen branch, and every `EvaluationError`.
@Suite struct CompiledExpressionEvaluateTests {
  static let x = 2.5
  static let y = -0.75

  /// Each text with x = 2.5 and y = -0.75 against the value Swift computes.
  static let operations: [(String, Double)] = [
    ("x + y", x + y),
    ("x - y", x - y),
    ("x * y", x * y),
    ("x / y", x / y),
    ("x ^ y", Double.pow(x, y)),
    ("x ** 3", x * x * x),
    ("y ^ 3", y * y * y),
    ("y ^ -2", 1 / (y * y)),
    ("x ^ 0.5", x.squareRoot()),
    ("0 ^ 0", 1),
    ("0 ^ 2.5", 0),
    ("(-0.5) ^ 1e300", 0),
    ("-x", -x),
    ("+x", x),
    ("exp(y)", Double.exp(y)),
    ("log(x)", Double.log(x)),
    ("log10(x)", Double.log10(x)),
    ("log10(1000)", 3),
    ("sqrt(x)", x.squareRoot()),
    ("sqrt(0)", 0),
    ("abs(y)", 0.75),
    ("abs(x)", x),
    ("min(x, y)", y),
    ("max(x, y)", x),
    ("min(3, x, 7, y, 1)", y),
    ("max(3, x, 7, y, 1)", 7),
    ("x == 2.5", 1), ("x == y", 0),
    ("x != y", 1), ("x != 2.5", 0),
    ("y < x", 1), ("x < y", 0), ("x < x", 0),
    ("x <= x", 1), ("x <= y", 0),
    ("x > y", 1), ("y > x", 0),
    ("x >= x", 1), ("y >= x", 0),
    ("x and y", 1), ("x and 0", 0), ("0 and y", 0), ("0 && 0", 0),
    ("x or 0", 1), ("0 or y", 1), ("0 or 0", 0), ("0 || x", 1),
    ("not 0", 1), ("not x", 0), ("!y", 0),
    ("if x > 0 then 10 else 20", 10),
    ("if y > 0 then 10 else 20", 20),
    ("if 0 then 1 else if y then 2 else 3", 2),
    ("if 0 then 1 else if 0 then 2 else 3", 3),
    ("ifelse(x, 4, 5)", 4),
    ("ifelse(0, 4, 5)", 5),
    ("1 + (if x < 3 then x else 3) * 2", 1 + x * 2),
    ("2 * (x > y) + (x < y)", 2),
  ]

  @Test(arguments: operations)
  func operatorsAndFunctions(_ text: String, _ expected: Double) throws {
    let value = try evaluateExpression(text, ["x": Self.x, "y": Self.y])
    #expect(value.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-300, relativeTolerance: 1e-15))
  }

  @Test func onlyTheChosenBranchIsEvaluated() throws {
    let guarded = [
      "if V > 0 then 1 / V else 0",
      "ifelse(V > 0, 1 / V, 0)",
      "if V == 0 then 0 else log(V)",
      "ifelse(V != 0, sqrt(-1), 0)",
    ]
    for text in guarded {
      let value = try evaluateExpression(text, ["V": 0])
      #expect(value.isApproximatelyEqual(to: 0, absoluteTolerance: 0, relativeTolerance: 0), "\(text)")
    }
    let atFour = try evaluateExpression("if V > 0 then 1 / V else 0", ["V": 4])
    #expect(atFour.isApproximatelyEqual(to: 0.25, relativeTolerance: 1e-15))
  }

  @Test func andOrShortCircuit() throws {
    #expect(try evaluateExpression("V != 0 and 1 / V > 2", ["V": 0]) == 0)
    #expect(try evaluateExpression("V == 0 or 1 / V > 2", ["V": 0]) == 1)
    #expect(try evaluateExpression("V != 0 and 1 / V > 2", ["V": 0.25]) == 1)
    #expect(try evaluateExpression("V == 0 || log(V) < 0", ["V": 0.5]) == 1)
  }

  @Test func divisionByZero() throws {
    let error = try evaluationError("1 / V", ["V": 0])
    #expect(error == EvaluationError(.divisionByZero(dividend: 1, divisor: 0)))
    #expect(error?.description == "division by zero: 1.0 / 0.0")
    #expect(
      try evaluationError("x / (x - x)", ["x": -3])
        == EvaluationError(.divisionByZero(dividend: -3, divisor: 0)))
    #expect(try evaluationError("x / (x - x)", ["x": -3])?.description == "division by zero: (-3.0) / 0.0")
  }

  @Test func logarithmOfNonPositive() throws {
    #expect(
      try evaluationError("log(x)", ["x": 0]) == EvaluationError(.logarithmOfNonPositive(.log, argument: 0)))
    let error = try evaluationError("log10(x)", ["x": -1])
    #expect(error == EvaluationError(.logarithmOfNonPositive(.log10, argument: -1)))
    #expect(error?.description == "logarithm of a non-positive value: log10(-1.0)")
  }

  @Test func squareRootOfNegative() throws {
    let error = try evaluationError("sqrt(x)", ["x": -4])
    #expect(error == EvaluationError(.squareRootOfNegative(argument: -4)))
    #expect(error?.description == "square root of a negative value: sqrt(-4.0)")
  }

  @Test func nonFiniteResults() throws {
    let cases: [(String, [String: Double], String, [Double], String)] = [
      ("exp(x)", ["x": 800], "exp", [800], "non-finite result: exp(800.0)"),
      ("x ^ 2", ["x": 1e200], "^", [1e200, 2], "non-finite result: 1e+200 ^ 2.0"),
      ("0 ^ -1", [:], "^", [0, -1], "non-finite result: 0.0 ^ (-1.0)"),
      ("(-8) ^ 0.5", [:], "^", [-8, 0.5], "non-finite result: (-8.0) ^ 0.5"),
      ("(-2) ^ 1e300", [:], "^", [-2, 1e300], "non-finite result: (-2.0) ^ 1e+300"),
      ("x * x", ["x": 1e200], "*", [1e200, 1e200], "non-finite result: 1e+200 * 1e+200"),
      ("x + x", ["x": 1e308], "+", [1e308, 1e308], "non-finite result: 1e+308 + 1e+308"),
      ("-x - x", ["x": 1e308], "-", [-1e308, 1e308], "non-finite result: (-1e+308) - 1e+308"),
      ("x / 1e-10", ["x": 1e308], "/", [1e308, 1e-10], "non-finite result: 1e+308 / 1e-10"),
    ]
    for (text, variables, operation, operands, description) in cases {
      let error = try evaluationError(text, variables)
      #expect(error == EvaluationError(.nonFiniteResult(operation: operation, operands: operands)), "\(text)")
      #expect(error?.description == description, "\(text)")
    }
  }

  @Test func nonFiniteInputs() throws {
    let c = try ExpressionParser.parse("if MODE == 1 then WT else 0").compile(slots: ["MODE": 0, "WT": 1])
    #expect(throws: EvaluationError(.nonFiniteInput(name: "WT", value: .infinity))) {
      try c.evaluate([1, .infinity])
    }
    // An input in the branch not taken is not read.
    let value = try c.evaluate([2, .infinity])
    #expect(value.isApproximatelyEqual(to: 0, absoluteTolerance: 0, relativeTolerance: 0))
    do {
      _ = try c.evaluate([.nan, 1])
      Issue.record("a NaN input was accepted")
    } catch {
      guard case .nonFiniteInput(let name, let value) = error.reason else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(name == "MODE" && value.isNaN)
      #expect(error.description == "'MODE' is not finite: nan")
    }
  }
}
