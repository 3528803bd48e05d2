/// The shape of the CSV written.
public enum CSVFormat: String, Sendable, CaseIterable {
  /// One row per time: `time_<unit>`, one column per output, then amounts on request.
  case wide
  /// One row per time and variable: `time,variable,value,unit`.
  case long
}
