/// Turns an `Expression` into the instructions of a `CompiledExpression`, tracking the deepest
/// stack they need.
struct _ExpressionCompiler {
  /// The slot of every name the expression may use.
  let slots: [String: Int]
  /// The instructions so far.
  var instructions: [_ExpressionInstruction] = []
  /// The names loaded, indexed by `load`'s `name`.
  var names: [String] = []
  /// The index of each name in `names`.
  var nameIndex: [String: Int] = [:]
  /// The stack depth after the instructions so far.
  var depth = 0
  /// The deepest the stack gets.
  var maximumDepth = 0
  /// The highest slot loaded, or -1.
  var highestSlot = -1

  init(slots: [String: Int]) {
    self.slots = slots
  }

  private mutating func emit(_ instruction: _ExpressionInstruction, stackChange: Int) {
    instructions.append(instruction)
    depth += stackChange
    maximumDepth = max(maximumDepth, depth)
  }

  /// Points the jump at `index` to the next instruction to be emitted.
  private mutating func patch(_ index: Int) {
    let target = instructions.count
    switch instructions[index] {
    case .jump: instructions[index] = .jump(target)
    case .jumpIfFalse: instructions[index] = .jumpIfFalse(target)
    case .andJump: instructions[index] = .andJump(target)
    case .orJump: instructions[index] = .orJump(target)
    default: preconditionFailure("instruction \(index) is not a jump")
    }
  }

  /// Emits code that leaves the value of `e` on top of the stack.
  mutating func emit(_ e: Expression) throws(ExpressionError) {
    switch e {
    case .number(let value):
      emit(.constant(value), stackChange: 1)
    case .variable(let name):
      guard let slot = slots[name] else { throw .unknownVariable(name) }
      precondition(slot >= 0, "the slot of '\(name)' is negative (\(slot))")
      let index: Int
      if let known = nameIndex[name] {
        index = known
      } else {
        index = names.count
        names.append(name)
        nameIndex[name] = index
      }
      highestSlot = max(highestSlot, slot)
      emit(.load(slot: slot, name: index), stackChange: 1)
    case .unary(let op, let operand):
      try emit(operand)
      emit(op == .negate ? .negate : .not, stackChange: 0)
    case .binary(let op, let left, let right) where op == .and || op == .or:
      try emit(left)
      let jump = instructions.count
      emit(op == .and ? .andJump(-1) : .orJump(-1), stackChange: -1)
      try emit(right)
      emit(.truth, stackChange: 0)
      patch(jump)
    case .binary(let op, let left, let right):
      try emit(left)
      try emit(right)
      emit(.binary(op), stackChange: -1)
    case .call(let function, let arguments):
      precondition(
        function.accepts(argumentCount: arguments.count),
        "'\(function.rawValue)' cannot take \(arguments.count) arguments")
      for argument in arguments { try emit(argument) }
      switch function {
      case .min: emit(.minimum(arguments.count), stackChange: 1 - arguments.count)
      case .max: emit(.maximum(arguments.count), stackChange: 1 - arguments.count)
      case .exp, .log, .log10, .sqrt, .abs: emit(.function(function), stackChange: 0)
      }
    case .conditional(let condition, let then, let otherwise):
      try emit(condition)
      let toElse = instructions.count
      emit(.jumpIfFalse(-1), stackChange: -1)
      try emit(then)
      let toEnd = instructions.count
      emit(.jump(-1), stackChange: -1)  // the else branch starts without the then value
      patch(toElse)
      try emit(otherwise)
      patch(toEnd)
    }
  }
}
