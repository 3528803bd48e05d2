extension ExpressionGraph {
  /// Compiles every definition against the graph's slot layout.
  ///
  /// It cannot fail: the graph has already checked that every name is an input or a definition.
  ///
  /// - Complexity: O(n) in the total size of the expressions.
  public func compile() -> CompiledExpressionGraph {
    let expressions = definitions.map { d in
      do {
        return try d.expression.compile(slots: slots)
      } catch {
        preconditionFailure("'\(d.name)' does not compile in its own graph: \(error)")
      }
    }
    return CompiledExpressionGraph(graph: self, expressions: expressions)
  }
}
