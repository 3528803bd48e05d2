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
  /// Every definition's instructions one after another (definition k's from `starts[k]` to
  /// `starts[k + 1]`), so that `evaluate(into:)` holds one array open for all of them: taking
  /// each definition's own arrays retained them, and the threads of a population, which share
  /// the graph, then waited on one another's reference counts.
  let code: [_ExpressionInstruction]
  let starts: [Int]
  /// The deepest stack any definition needs.
  let stackCapacity: Int

  init(graph: ExpressionGraph, expressions: [CompiledExpression]) {
    self.graph = graph
    self.expressions = expressions
    code = expressions.flatMap(\.instructions)
    var starts = [0]
    for e in expressions { starts.append(starts.last! + e.instructions.count) }
    self.starts = starts
    stackCapacity = expressions.map(\.stackCapacity).max() ?? 1
  }
}
