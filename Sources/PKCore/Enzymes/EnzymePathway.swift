/// The enzymes behind a metabolic clearance (an intrinsic clearance, or a rate constant or
/// ratio proportional to one), with the fraction of it each one carries: how a change of enzyme
/// activity changes the parameter.
///
/// ```
/// P = P_published × ( Σ_e fm_e · a_e + (1 − Σ_e fm_e) )
/// ```
/// with `fm_e` the fraction carried by enzyme e and `a_e` its activity at the pathway's site
/// (1 normal, 0.2 for 80 % inhibition, 3 for three-fold induction). The remainder
/// `1 − Σ fm_e` is unaffected. With every activity 1, P is the published value exactly.
/// Rowland M, Matin SB, J Pharmacokinet Biopharm 1973;1(6):553-567 (the fm concept); applied to
/// intrinsic clearance so that well-stirred extraction follows the change.
public struct EnzymePathway: Sendable, Equatable {
  /// The site whose activities apply.
  public var site: EnzymeSite
  /// Each enzyme's fraction of the parameter, in file order; each in [0, 1], summing to ≤ 1.
  public var fractions: [(enzyme: String, fraction: Double)]

  public init(site: EnzymeSite, fractions: [(enzyme: String, fraction: Double)]) {
    self.site = site
    self.fractions = fractions
  }

  public static func == (a: EnzymePathway, b: EnzymePathway) -> Bool {
    a.site == b.site && a.fractions.map(\.enzyme) == b.fractions.map(\.enzyme)
      && a.fractions.map(\.fraction) == b.fractions.map(\.fraction)
  }

  /// `expression` scaled by the activity factor `Σ fm_e · a_e + (1 − Σ fm_e)`.
  public func scaling(_ expression: Expression) -> Expression {
    var factor = Expression.number(max(0, 1 - fractions.reduce(0) { $0 + $1.fraction }))
    for (enzyme, fm) in fractions {
      factor = .binary(
        .add, factor, .binary(.multiply, .number(fm), .variable(site.inputName(enzyme))))
    }
    return .binary(.multiply, expression, factor)
  }
}
