extension Expression {
  /// Resolves every name to its slot and compiles the expression for repeated evaluation.
  ///
  /// ```
  /// compile(slots: ["WT": 0, "AGE": 1]).evaluate([70, 40])   reads WT from values[0]
  /// ```
  /// Slots may be shared with other expressions and need not be contiguous: one array of values
  /// can hold inputs and computed results for a whole set of definitions (see
  /// `ExpressionGraph`).
  ///
  /// - Parameter slots: the index in the values array of every name the expression may use;
  ///   extra names are ignored. Slots must not be negative.
  /// - Throws: `ExpressionError.unknownVariable` naming the first (leftmost) name without a slot.
  /// - Complexity: O(n) in the size of the tree.
  public func compile(slots: [String: Int]) throws(ExpressionError) -> CompiledExpression {
    var compiler = _ExpressionCompiler(slots: slots)
    try compiler.emit(self)
    return CompiledExpression(
      instructions: compiler.instructions, names: compiler.names,
      stackCapacity: compiler.maximumDepth, requiredValueCount: compiler.highestSlot + 1)
  }
}
