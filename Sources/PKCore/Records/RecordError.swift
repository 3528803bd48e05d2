/// A data-set record the engine cannot simulate, with the line it came from.
public struct RecordError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The 1-based line of the record in its file (0 for a record KetaSim made).
  public var line: Int
  /// The data item at fault (`CMT`, `RATE`, a parameter name), if one.
  public var field: String?
  /// What is wrong, as a whole sentence with what was found and what was expected.
  public var message: String

  public init(line: Int, field: String? = nil, message: String) {
    self.line = line
    self.field = field
    self.message = message
  }

  public var description: String {
    (line > 0 ? "line \(line): " : "") + (field.map { "\($0): " } ?? "") + message
  }
}
