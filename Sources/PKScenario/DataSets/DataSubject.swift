import PKCore

/// One subject of a data set: its `ID` and its records, in file order.
public struct DataSubject: Sendable, Equatable {
  /// The subject identifier (`ID`).
  public var id: Double
  /// The subject's records in file order, each with its `line`.
  public var records: [DataRecord]

  public init(id: Double, records: [DataRecord]) {
    self.id = id
    self.records = records
  }
}
