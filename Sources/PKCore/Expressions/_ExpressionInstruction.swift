/// One instruction of a `CompiledExpression`, run on a small stack of `Double`s.
///
/// Jumps hold absolute instruction indices. Each instruction's effect on the stack (top last):
/// ```
/// constant(c)        … → … c
/// load(slot, name)   … → … values[slot]          (name indexes CompiledExpression.names)
/// negate, not        … x → … -x | (x == 0 ? 1 : 0)
/// truth              … x → … (x != 0 ? 1 : 0)
/// binary(op)         … a b → … (a op b)          (never `and`/`or`: those short-circuit)
/// function(f)        … x → … f(x)                (one-argument functions)
/// minimum(n), maximum(n)   … x1 … xn → … min/max
/// jump(t)            goes to t
/// jumpIfFalse(t)     … c → …, and goes to t when c == 0
/// andJump(t)         … a → … 0 and goes to t when a == 0, else … a → …
/// orJump(t)          … a → … 1 and goes to t when a != 0, else … a → …
/// ```
enum _ExpressionInstruction: Equatable, Sendable {
  case constant(Double)
  case load(slot: Int, name: Int)
  case negate
  case not
  case truth
  case binary(Expression.BinaryOperator)
  case function(Expression.Function)
  case minimum(Int)
  case maximum(Int)
  case jump(Int)
  case jumpIfFalse(Int)
  case andJump(Int)
  case orJump(Int)
}
