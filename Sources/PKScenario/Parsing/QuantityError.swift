/// A value that does not read as the quantity expected, with a message saying what was found
/// and what was expected. Callers add the location and rethrow it as `InputError`.
public struct QuantityError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
