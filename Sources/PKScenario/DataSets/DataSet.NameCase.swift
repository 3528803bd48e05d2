extension DataSet {
  /// How a data set writes its reserved column names: `TIME` or `time`.
  public enum NameCase: Sendable, Equatable {
    /// `ID, TIME, EVID, AMT, …`
    case upper
    /// `id, time, evid, amt, …`
    case lower

    /// `name` written in this case.
    public func apply(_ name: String) -> String {
      switch self {
      case .upper: return name.uppercased()
      case .lower: return name.lowercased()
      }
    }
  }
}
