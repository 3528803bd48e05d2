import RealModule

extension CompiledExpression {
  /// The value of the expression with each name read from `values[slot]`.
  ///
  /// ```
  /// a ^ b      = pow(a, n) when b is an integer n (any sign of a), else pow(a, b) (a ≥ 0)
  /// a and b    = 0 without evaluating b when a == 0, else (b != 0 ? 1 : 0)
  /// a or b     = 1 without evaluating b when a != 0, else (b != 0 ? 1 : 0)
  /// if c then a else b   evaluates only the chosen branch
  /// ```
  /// `0 ^ 0 = 1`. Every intermediate result is checked, so the value is always finite.
  ///
  /// - Parameter values: at least `requiredValueCount` values; the slots the expression reads
  ///   must hold finite numbers.
  /// - Throws: `EvaluationError` (with `definition == nil`) for division by zero, `log`/`log10`
  ///   of a value ≤ 0, `sqrt` of a negative value, a non-finite result, or a non-finite input.
  /// - Complexity: O(n) in the number of instructions; no heap allocation unless it throws.
  public func evaluate(_ values: [Double]) throws(EvaluationError) -> Double {
    let result = values.withUnsafeBufferPointer { v in
      Result { () throws(EvaluationError) -> Double in try _evaluate(v) }
    }
    return try result.get()
  }

  /// `evaluate(_:)` on values the caller holds open (no reference counting per call).
  func _evaluate(_ values: UnsafeBufferPointer<Double>) throws(EvaluationError) -> Double {
    precondition(
      values.count >= requiredValueCount,
      "the expression reads slot \(requiredValueCount - 1), but only \(values.count) values are given")
    let outcome = instructions.withUnsafeBufferPointer { code in
      withUnsafeTemporaryAllocation(of: Double.self, capacity: stackCapacity) { stack in
        Result { () throws(_Stop) -> Double in try Self._run(code, values, stack: stack) }
      }
    }
    switch outcome {
    case .success(let value): return value
    case .failure(let stop): throw _error(stop)
    }
  }

  /// The error `stop` means for this expression, naming the input.
  func _error(_ stop: _Stop) -> EvaluationError {
    switch stop {
    case .error(let error): return error
    case .nonFiniteInput(let name, let value):
      return EvaluationError(.nonFiniteInput(name: names[name], value: value))
    }
  }

  /// Runs `instructions` (one expression's, jump targets counted from its first) on `stack`,
  /// which has room for the expression's `stackCapacity` values.
  static func _run(
    _ instructions: UnsafeBufferPointer<_ExpressionInstruction>, _ values: UnsafeBufferPointer<Double>,
    stack: UnsafeMutableBufferPointer<Double>
  ) throws(_Stop) -> Double {
    var top = -1  // the index of the top of the stack
    var pc = 0
    let count = instructions.count
    while pc < count {
      switch instructions[pc] {
      case .constant(let c):
        top += 1
        stack[top] = c
      case .load(let slot, let name):
        let value = values[slot]
        guard value.isFinite else { throw .nonFiniteInput(name: name, value: value) }
        top += 1
        stack[top] = value
      case .negate:
        stack[top] = -stack[top]
      case .not:
        stack[top] = stack[top] == 0 ? 1 : 0
      case .truth:
        stack[top] = stack[top] != 0 ? 1 : 0
      case .binary(let op):
        let b = stack[top]
        top -= 1
        do throws(EvaluationError) { stack[top] = try Self.apply(op, stack[top], b) } catch {
          throw .error(error)
        }
      case .function(let f):
        do throws(EvaluationError) { stack[top] = try Self.apply(f, stack[top]) } catch {
          throw .error(error)
        }
      case .minimum(let n):
        var m = stack[top]
        for i in (top - n + 1)..<top { m = Swift.min(m, stack[i]) }
        top -= n - 1
        stack[top] = m
      case .maximum(let n):
        var m = stack[top]
        for i in (top - n + 1)..<top { m = Swift.max(m, stack[i]) }
        top -= n - 1
        stack[top] = m
      case .jump(let target):
        pc = target
        continue
      case .jumpIfFalse(let target):
        top -= 1
        if stack[top + 1] == 0 {
          pc = target
          continue
        }
      case .andJump(let target):
        if stack[top] == 0 {
          stack[top] = 0
          pc = target
          continue
        }
        top -= 1
      case .orJump(let target):
        if stack[top] != 0 {
          stack[top] = 1
          pc = target
          continue
        }
        top -= 1
      }
      pc += 1
    }
    return stack[0]
  }

  /// `a op b` for finite operands, or the reason it has no finite value.
  private static func apply(_ op: Expression.BinaryOperator, _ a: Double, _ b: Double)
    throws(EvaluationError) -> Double
  {
    let result: Double
    switch op {
    case .add: result = a + b
    case .subtract: result = a - b
    case .multiply: result = a * b
    case .divide:
      guard b != 0 else { throw EvaluationError(.divisionByZero(dividend: a, divisor: b)) }
      result = a / b
    case .power: result = power(a, b)
    case .equal: return a == b ? 1 : 0
    case .notEqual: return a != b ? 1 : 0
    case .less: return a < b ? 1 : 0
    case .lessOrEqual: return a <= b ? 1 : 0
    case .greater: return a > b ? 1 : 0
    case .greaterOrEqual: return a >= b ? 1 : 0
    case .and: return a != 0 && b != 0 ? 1 : 0
    case .or: return a != 0 || b != 0 ? 1 : 0
    }
    guard result.isFinite else {
      throw EvaluationError(.nonFiniteResult(operation: op.rawValue, operands: [a, b]))
    }
    return result
  }

  /// `x ^ y`: exact integer powers for any base, real powers for x ≥ 0 (NaN for x < 0).
  ///
  /// RealModule's real `pow` is NaN for every negative base, so an integral exponent goes
  /// through the integer overload; one too large for `Int` is an even integer (every double
  /// beyond 2⁵³ is), so its power is that of |x|.
  private static func power(_ x: Double, _ y: Double) -> Double {
    guard y.rounded(.towardZero) == y else { return .pow(x, y) }
    if let n = Int(exactly: y) { return .pow(x, n) }
    return .pow(x.magnitude, y)
  }

  /// `f(x)` for a one-argument function and a finite `x`, or the reason it has no finite value.
  private static func apply(_ f: Expression.Function, _ x: Double) throws(EvaluationError)
    -> Double
  {
    let result: Double
    switch f {
    case .exp:
      result = .exp(x)
    case .log, .log10:
      guard x > 0 else { throw EvaluationError(.logarithmOfNonPositive(f, argument: x)) }
      result = f == .log ? .log(x) : .log10(x)
    case .sqrt:
      guard x >= 0 else { throw EvaluationError(.squareRootOfNegative(argument: x)) }
      result = x.squareRoot()
    case .abs:
      result = x.magnitude
    case .min, .max:
      preconditionFailure("'\(f.rawValue)' takes several arguments")
    }
    guard result.isFinite else {
      throw EvaluationError(.nonFiniteResult(operation: f.rawValue, operands: [x]))
    }
    return result
  }
}
