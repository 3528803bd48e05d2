/// A between-subject random effect η on one parameter, as in NONMEM's $PK (`CL = TVCL·EXP(ETA(1))`).
///
/// ```
/// log-normal:  P_i = P · exp(η_i)
/// normal:      P_i = P + η_i                       (in the parameter's unit)
/// logit:       P_i = 1 / (1 + exp(−(log(P/(1 − P)) + η_i)))
/// η ~ N(0, Ω)  (Ω from `Variability`)
/// ```
/// P is the parameter as the model defines it (its value or expression, covariates included);
/// the random effect multiplies, adds to or shifts the logit of it. η enters the parameter
/// graph as an input named `ETA(P)` with default 0, so a subject without a drawn η is the
/// typical subject, and a data set may give η values in an `ETA(P)` column. Beal SL, Sheiner
/// LB et al., NONMEM Users Guides (1989–2011), Part V; Owen JS, Fiedler-Kelly J, Introduction to
/// Population Pharmacokinetic/Pharmacodynamic Analysis with Nonlinear Mixed Effects Models
/// (2014), ch. 2.
public struct RandomEffect: Sendable, Equatable {
  /// The parameter it acts on.
  public var parameter: String
  /// How η acts on the parameter.
  public var distribution: Distribution
  /// Where the variance comes from (a citation and table, or "--variability").
  public var source: String

  public init(parameter: String, distribution: Distribution = .logNormal, source: String) {
    self.parameter = parameter
    self.distribution = distribution
    self.source = source
  }

  /// The name of the η input in the parameter graph: `ETA(CL)`. Not an identifier, so it can
  /// never clash with a parameter or covariate of the model file.
  public var inputName: String { Self.inputName(parameter) }

  /// The η input name for parameter `name`.
  public static func inputName(_ name: String) -> String { "ETA(\(name))" }

  /// The parameter's expression `e` with the random effect applied.
  public func applied(to e: Expression) -> Expression {
    let eta = Expression.variable(inputName)
    switch distribution {
    case .logNormal:
      return .binary(.multiply, e, .call(.exp, [eta]))
    case .normal:
      return .binary(.add, e, eta)
    case .logit:
      let logit = Expression.call(.log, [.binary(.divide, e, .binary(.subtract, .number(1), e))])
      let shifted = Expression.binary(.add, logit, eta)
      return .binary(
        .divide, .number(1), .binary(.add, .number(1), .call(.exp, [.unary(.negate, shifted)])))
    }
  }
}
