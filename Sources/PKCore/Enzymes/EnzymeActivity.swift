/// A change of one enzyme's activity: `--enzyme CYP3A4=0.2` (80 % inhibited) or `CYP3A4=3`
/// (induced three-fold), at one site or both.
///
/// ```
/// activity a > 0:  a < 1 inhibition, a = 1 normal, a > 1 induction
/// ```
public struct EnzymeActivity: Sendable, Equatable {
  /// The enzyme's name (`CYP3A4`).
  public var enzyme: String
  /// The activity as a multiple of normal (> 0).
  public var activity: Double
  /// The sites it applies to (both unless stated).
  public var sites: [EnzymeSite]

  public init(enzyme: String, activity: Double, sites: [EnzymeSite] = EnzymeSite.allCases) {
    self.enzyme = enzyme
    self.activity = activity
    self.sites = sites
  }
}
