extension ExpressionGraph {
  /// A named expression: `name = expression`.
  public struct Definition: Equatable, Sendable {
    /// The name the value is stored under.
    public var name: String
    /// How the value is computed.
    public var expression: Expression

    public init(name: String, expression: Expression) {
      self.name = name
      self.expression = expression
    }
  }
}
