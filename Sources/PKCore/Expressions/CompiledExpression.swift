/// An `Expression` with its names resolved to slots, ready to evaluate many times.
///
/// ```
/// let e = try ExpressionParser.parse("1.1 * (WT / 70) ^ 0.75")
/// let c = try e.compile(slots: ["WT": 0])
/// try c.evaluate([62.65])        // 1.1 · (62.65 / 70)^0.75
/// ```
/// The expression is stored as a flat list of stack-machine instructions; evaluation walks it
/// once on a stack of `stackCapacity` values allocated on the thread's stack, so it does not
/// allocate on the heap (except to build an error).
public struct CompiledExpression: Sendable {
  /// The instructions, run from the first to the last.
  let instructions: [_ExpressionInstruction]
  /// The names the expression loads, for messages.
  let names: [String]
  /// The deepest the evaluation stack gets (at least 1).
  public let stackCapacity: Int
  /// The fewest values `evaluate(_:)` needs: one more than the highest slot used.
  public let requiredValueCount: Int
}
