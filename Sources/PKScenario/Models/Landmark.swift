/// A published concentration landmark: a named band of plasma concentrations (anaesthesia,
/// awakening, analgesia, dissociation) that a run can be measured against.
///
/// ```
/// band:  low ≤ C ≤ high          (ng/mL; low < high)
/// edges: low and high, each a threshold (time above it, time the curve falls below it)
/// ```
/// Read from `Models/landmarks/*.yaml` by `LandmarkFileReader`; values as published, converted
/// to ng/mL on reading. The bundled ketamine landmarks: Zanos P et al., Pharmacol Rev
/// 2018;70:621-660, Table 1; Herd D, Anderson BJ, Paediatr Anaesth 2007;17(7):622-629; Idvall J
/// et al., Br J Anaesth 1979;51:1167-1173.
public struct Landmark: Sendable, Equatable {
  /// The name scenarios and `--threshold` use, e.g. `awakening`.
  public var name: String
  /// What the band is, e.g. "awakening from ketamine anaesthesia".
  public var description: String
  /// The low edge of the band, in ng/mL.
  public var low: Double
  /// The high edge of the band, in ng/mL.
  public var high: Double
  /// The drug measured, as model files write it (`racemic ketamine`).
  public var analyte: String
  /// Where it was measured (matrix, arterial or venous).
  public var sampling: String
  /// The publications the band comes from.
  public var citation: String
  /// The conditions of the measurement and other caveats.
  public var note: String

  public init(
    name: String, description: String, low: Double, high: Double, analyte: String, sampling: String,
    citation: String, note: String
  ) {
    precondition(low < high, "A landmark's low edge lies below its high edge.")
    self.name = name
    self.description = description
    self.low = low
    self.high = high
    self.analyte = analyte
    self.sampling = sampling
    self.citation = citation
    self.note = note
  }
}
