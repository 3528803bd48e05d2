extension CompiledExpressionGraph {
  /// The number of values in the slot layout: inputs plus definitions.
  public var slotCount: Int { graph.inputs.count + graph.definitions.count }

  /// Computes every definition in order into `values`, whose first `graph.inputs.count`
  /// entries hold the inputs.
  ///
  /// ```
  /// values[m + k] = definitions[k](values),  k = 0, 1, …, n − 1     (m inputs)
  /// ```
  /// Reuse one array across calls to evaluate without allocating.
  ///
  /// - Parameter values: exactly `slotCount` values, inputs first; the definitions' slots are
  ///   overwritten. On error, the definitions before the failing one have been written.
  /// - Throws: `EvaluationError` whose `definition` names the definition that failed.
  /// - Complexity: O(n) in the total number of instructions; no heap allocation unless it throws.
  public func evaluate(into values: inout [Double]) throws(EvaluationError) {
    precondition(
      values.count == slotCount, "\(values.count) values given, expected \(slotCount)")
    let first = graph.inputs.count
    // The values held open for all definitions: one reference count, not one per definition.
    let failed: (error: EvaluationError, definition: Int)? = values.withUnsafeMutableBufferPointer { v in
      code.withUnsafeBufferPointer { code in
        starts.withUnsafeBufferPointer { starts in
          withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(1, stackCapacity)) { stack in
            for k in 0..<(starts.count - 1) {
              let instructions = UnsafeBufferPointer(rebasing: code[starts[k]..<starts[k + 1]])
              do throws(CompiledExpression._Stop) {
                v[first + k] = try CompiledExpression._run(instructions, UnsafeBufferPointer(v), stack: stack)
              } catch {
                return (expressions[k]._error(error), k)
              }
            }
            return nil
          }
        }
      }
    }
    if let failed {
      throw EvaluationError(failed.error.reason, definition: graph.definitions[failed.definition].name)
    }
  }

  /// All values of the slot layout for the given inputs: the inputs, then every definition.
  ///
  /// - Parameter inputs: one value per input, in the order of `graph.inputs`.
  /// - Throws: `EvaluationError` whose `definition` names the definition that failed.
  public func evaluate(inputs: [Double]) throws(EvaluationError) -> [Double] {
    precondition(
      inputs.count == graph.inputs.count,
      "\(inputs.count) input values given, expected \(graph.inputs.count)")
    var values = inputs + [Double](repeating: 0, count: graph.definitions.count)
    try evaluate(into: &values)
    return values
  }

  /// The value of every definition for the given inputs, by name.
  ///
  /// - Parameter inputs: a value for every input; extra names are ignored.
  /// - Throws: `EvaluationError` whose `definition` names the definition that failed.
  public func evaluate(inputs: [String: Double]) throws(EvaluationError) -> [String: Double] {
    let ordered = graph.inputs.map { name in
      guard let value = inputs[name] else { preconditionFailure("no value for the input '\(name)'") }
      return value
    }
    let values = try evaluate(inputs: ordered)
    var result: [String: Double] = [:]
    for (k, d) in graph.definitions.enumerated() { result[d.name] = values[graph.inputs.count + k] }
    return result
  }
}
