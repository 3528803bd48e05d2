/// An `ExpressionGraph` compiled for repeated evaluation into one array of values.
///
/// ```
/// values = [input₀, …, inputₘ₋₁, definition₀, …, definitionₙ₋₁]   (the graph's slots)
/// values[m + k] = definitions[k].expression evaluated on values, for k = 0, 1, …, n − 1
/// ```
public struct CompiledExpressionGraph: Sendable {
  /// The graph this was compiled from: names, evaluation order and slots.
  public let graph: ExpressionGraph
  /// The compiled definitions, in evaluation order.
  let expressions: [CompiledExpression]
}
