/// Where an enzyme's activity acts: in the liver or in the gut wall (enterocytes).
///
/// Each site is one model input, with default activity 1 (normal):
/// `CYP3A4` for the liver, `CYP3A4_GUT` for the gut wall. A data set may carry either as a
/// column, so activity can change with time.
public enum EnzymeSite: String, Sendable, CaseIterable, Equatable {
  /// Hepatic metabolism.
  case liver
  /// Gut-wall (intestinal) metabolism.
  case gut

  /// The model input holding `enzyme`'s activity at this site (`CYP3A4`, `CYP3A4_GUT`).
  public func inputName(_ enzyme: String) -> String {
    self == .liver ? enzyme : "\(enzyme)_GUT"
  }
}
