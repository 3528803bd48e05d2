/// A problem with a set of definitions that prevents ordering them.
///
/// ```
/// undefinedName         parameter 'CL' uses 'WTT', which is not a parameter, covariate or data column
/// cycle                 circular definition: CL → V → CL
/// duplicateDefinition   'CL' is defined more than once
/// shadowsInput          parameter 'WT' has the name of a covariate or data column
/// ```
public enum ExpressionGraphError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The definition `definition` uses `name`, which is neither defined nor an input.
  case undefinedName(String, usedBy: String)
  /// The definitions depend on each other in a loop; each name uses the next, and the last
  /// repeats the first (`["CL", "V", "CL"]`; a definition that uses itself gives `["CL", "CL"]`).
  case cycle([String])
  /// The name is defined more than once.
  case duplicateDefinition(String)
  /// A definition has the name of an input.
  case shadowsInput(String)

  public var description: String {
    switch self {
    case .undefinedName(let name, let definition):
      return "parameter '\(definition)' uses '\(name)', "
        + "which is not a parameter, covariate or data column"
    case .cycle(let names):
      return "circular definition: \(names.joined(separator: " → "))"
    case .duplicateDefinition(let name):
      return "'\(name)' is defined more than once"
    case .shadowsInput(let name):
      return "parameter '\(name)' has the name of a covariate or data column"
    }
  }
}
