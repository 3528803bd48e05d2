import PKCore

/// Parses, compiles and evaluates `text` with the given variable values (test helper).
func evaluateExpression(_ text: String, _ variables: [String: Double] = [:]) throws -> Double {
  let names = variables.keys.sorted()
  var slots: [String: Int] = [:]
  for (k, name) in names.enumerated() { slots[name] = k }
  let compiled = try ExpressionParser.parse(text).compile(slots: slots)
  return try compiled.evaluate(names.map { variables[$0]! })
}

/// The `EvaluationError` that evaluating `text` throws, or `nil` (test helper).
func evaluationError(_ text: String, _ variables: [String: Double] = [:]) throws -> EvaluationError? {
  do {
    _ = try evaluateExpression(text, variables)
    return nil
  } catch let error as EvaluationError {
    return error
  }
}
