extension CompiledExpression {
  /// Why `_run` stopped: an evaluation error, or a non-finite input (the index of its name, so
  /// that the run itself never touches the names; `_error` names it).
  enum _Stop: Error {
    case error(EvaluationError)
    case nonFiniteInput(name: Int, value: Double)
  }
}
