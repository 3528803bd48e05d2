/// A set of definitions (`name = expression`) checked and put in an order in which each one
/// comes after every definition it uses.
///
/// ```
/// inputs: WT          definitions: V = CL * 10, CL = 1.1 * (WT / 70) ^ 0.75
/// order:  CL, V       slots:       WT → 0, CL → 1, V → 2
/// ```
/// The slot layout puts the inputs first, in the order given, then the definitions in
/// evaluation order; `compile()` turns the graph into a `CompiledExpressionGraph` that fills
/// that layout. Definitions keep their given order except where one must move after a
/// definition it uses (a depth-first walk in the given order), so the order, and which problem
/// is reported, do not depend on hashing.
///
/// Problems are reported one at a time in this order: a duplicate definition, a definition with
/// an input's name, a name that is neither defined nor an input (the first definition's first
/// unknown name), then a cycle.
///
/// - Complexity: O(n + e) for n definitions using e names, plus the size of the expressions.
public struct ExpressionGraph: Sendable {
  /// The input names (covariates, data columns), in slot order.
  public let inputs: [String]
  /// The definitions in evaluation order.
  public let definitions: [Definition]
  /// The slot of every input and definition: inputs at `0..<inputs.count`, then definitions.
  public let slots: [String: Int]

  /// Checks `definitions` against `inputs` and orders them.
  ///
  /// - Parameters:
  ///   - definitions: the named expressions, in the order of the model file.
  ///   - inputs: the names whose values are given (covariates, data columns); their order is
  ///     their slot order. Each must appear once.
  /// - Throws: `ExpressionGraphError.duplicateDefinition`, `.shadowsInput`, `.undefinedName` or
  ///   `.cycle`.
  public init(definitions: [(name: String, expression: Expression)], inputs: [String])
    throws(ExpressionGraphError)
  {
    precondition(Set(inputs).count == inputs.count, "the inputs \(inputs) contain a duplicate")
    let inputSet = Set(inputs)
    var index: [String: Int] = [:]
    for (k, d) in definitions.enumerated() {
      guard index[d.name] == nil else { throw .duplicateDefinition(d.name) }
      index[d.name] = k
    }
    for d in definitions where inputSet.contains(d.name) { throw .shadowsInput(d.name) }

    // The definitions each one uses, in order of first use.
    var uses: [[Int]] = []
    uses.reserveCapacity(definitions.count)
    for d in definitions {
      var used: [Int] = []
      for name in d.expression._variablesInOrder {
        if let k = index[name] {
          used.append(k)
        } else if !inputSet.contains(name) {
          throw .undefinedName(name, usedBy: d.name)
        }
      }
      uses.append(used)
    }

    // Depth-first post-order; meeting a definition still on the path closes a cycle.
    enum Mark { case unvisited, onPath, done }
    var mark = [Mark](repeating: .unvisited, count: definitions.count)
    var order: [Int] = []
    order.reserveCapacity(definitions.count)
    for root in definitions.indices where mark[root] == .unvisited {
      var path: [(definition: Int, nextUse: Int)] = [(root, 0)]
      mark[root] = .onPath
      while let (k, next) = path.last {
        guard next < uses[k].count else {
          mark[k] = .done
          order.append(k)
          path.removeLast()
          continue
        }
        path[path.count - 1].nextUse += 1
        let used = uses[k][next]
        switch mark[used] {
        case .unvisited:
          mark[used] = .onPath
          path.append((used, 0))
        case .onPath:
          let start = path.firstIndex { $0.definition == used }!
          throw .cycle((path[start...].map { definitions[$0.definition].name }) + [definitions[used].name])
        case .done:
          break
        }
      }
    }

    self.inputs = inputs
    self.definitions = order.map {
      Definition(name: definitions[$0].name, expression: definitions[$0].expression)
    }
    var slots: [String: Int] = [:]
    for (k, name) in inputs.enumerated() { slots[name] = k }
    for (k, d) in self.definitions.enumerated() { slots[d.name] = inputs.count + k }
    self.slots = slots
  }
}
