/// Bad input, located: which file, which line, which field, what was found and what was
/// expected. The CLI prints it as one line and exits with code 2.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file, or a description of the source (`--dose`, `command line`).
  public var source: String
  /// The 1-based line in `source`, when known.
  public var line: Int?
  /// The field (a key path such as `doses[2].amount`, or an option name), when known.
  public var field: String?
  /// What is wrong: a whole sentence saying what was found and what was expected.
  public var message: String

  public init(source: String, line: Int? = nil, field: String? = nil, message: String) {
    self.source = source
    self.line = line
    self.field = field
    self.message = message
  }

  /// `file:line: field 'doses[1]': message`
  public var description: String {
    var s = source
    if let line { s += ":\(line)" }
    s += ": "
    if let field { s += "\(field): " }
    return s + message
  }
}
