/// A reserved NONMEM data item: a column whose name gives it a meaning in a data set.
///
/// A reserved name is written all upper case (`TIME`) or all lower case (`time`); each column
/// may choose on its own, so `ID,time,amt` is accepted. A mixed-case spelling (`Time`) is an
/// error. Every other column is a covariate.
public enum DataItem: String, CaseIterable, Sendable {
  /// The comment column; only when it is the first column.
  case c = "C"
  /// The subject identifier.
  case id = "ID"
  /// The record time, in the data set's time unit.
  case time = "TIME"
  /// The event identifier: 0 observation, 1 dose, 2 other, 3 reset, 4 reset and dose.
  case evid = "EVID"
  /// The dose amount (mg).
  case amt = "AMT"
  /// The infusion rate (mg per time unit); −1 modelled rate, −2 modelled duration.
  case rate = "RATE"
  /// The compartment number.
  case cmt = "CMT"
  /// The dosing interval, in the data set's time unit.
  case ii = "II"
  /// The number of additional doses.
  case addl = "ADDL"
  /// The steady-state flag: 0, 1 or 2.
  case ss = "SS"
  /// The missing-dependent-variable flag; KetaSim reads it but lets EVID decide.
  case mdv = "MDV"
  /// The observed value.
  case dv = "DV"

  /// The name in upper case, as NONMEM's manuals write it.
  public var name: String { rawValue }
}
