extension Expression {
  /// The free names the expression uses: every `variable`, once.
  ///
  /// ```
  /// (1.1 * ((WT / 70.0) ^ 0.75)).variables == ["WT"]
  /// ```
  /// Names in branches that a given evaluation skips still count: compiling needs them all.
  public var variables: Set<String> {
    Set(_variablesInOrder)
  }

  /// The free names in order of first appearance (left to right in the text), each once.
  ///
  /// Used where a deterministic order matters: the first unknown name is the one reported, and
  /// definitions are ordered by the order of the names they use.
  var _variablesInOrder: [String] {
    var seen: Set<String> = []
    var names: [String] = []
    func visit(_ e: Expression) {
      switch e {
      case .number:
        break
      case .variable(let name):
        if seen.insert(name).inserted { names.append(name) }
      case .unary(_, let operand):
        visit(operand)
      case .binary(_, let left, let right):
        visit(left)
        visit(right)
      case .call(_, let arguments):
        for argument in arguments { visit(argument) }
      case .conditional(let condition, let then, let otherwise):
        visit(condition)
        visit(then)
        visit(otherwise)
      }
    }
    visit(self)
    return names
  }
}
