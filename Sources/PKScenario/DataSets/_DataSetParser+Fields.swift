extension _DataSetParser {
  /// Reads the next line without its line break (`\n` or `\r\n`); nil at the end.
  mutating func _nextLine() -> Range<Int>? {
    guard position < bytes.count else { return nil }
    let start = position
    var end = start
    while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
    position = end + 1
    line += 1
    if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return start..<end
  }

  /// Splits `range` at commas into `fields`, each trimmed and with its quotes removed.
  mutating func _split(_ range: Range<Int>) {
    fields.removeAll(keepingCapacity: true)
    var start = range.lowerBound
    var i = start
    while i < range.upperBound {
      if bytes[i] == UInt8(ascii: ",") {
        fields.append(_trim(start..<i))
        start = i + 1
      }
      i += 1
    }
    fields.append(_trim(start..<range.upperBound))
  }

  /// `range` without surrounding spaces and tabs, and without a pair of surrounding quotes.
  func _trim(_ range: Range<Int>) -> Range<Int> {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper && _isSpace(bytes[lower]) { lower += 1 }
    while upper > lower && _isSpace(bytes[upper - 1]) { upper -= 1 }
    if upper - lower >= 2 && bytes[lower] == UInt8(ascii: "\"") && bytes[upper - 1] == UInt8(ascii: "\"") {
      lower += 1
      upper -= 1
      while lower < upper && _isSpace(bytes[lower]) { lower += 1 }
      while upper > lower && _isSpace(bytes[upper - 1]) { upper -= 1 }
    }
    return lower..<upper
  }

  func _isSpace(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }

  /// The first byte of `range` that is not a space or tab.
  func _firstNonBlank(_ range: Range<Int>) -> Int? {
    var i = range.lowerBound
    while i < range.upperBound && _isSpace(bytes[i]) { i += 1 }
    return i < range.upperBound ? i : nil
  }

  func _isBlank(_ range: Range<Int>) -> Bool { _firstNonBlank(range) == nil }

  /// Whether a field means "missing": empty or `.`.
  func _isMissing(_ field: Range<Int>) -> Bool {
    field.isEmpty || (field.count == 1 && bytes[field.lowerBound] == UInt8(ascii: "."))
  }

  /// The text of a byte range.
  func _text(_ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  /// `'text'` of the field in `column`, or "an empty field", for messages.
  func _found(_ column: Int) -> String {
    let field = fields[column]
    return field.isEmpty ? "an empty field" : "'\(_text(field))'"
  }

  /// `'text'` of the field of `item`, which the header has.
  func _found(_ h: _DataSetHeader, _ item: DataItem) -> String { _found(h.column(item)!) }

  /// The number in `column`; nil when missing (`.` or empty); throws when it is not a finite
  /// decimal number.
  func _number(_ h: _DataSetHeader, _ column: Int) throws(InputError) -> Double? {
    let field = fields[column]
    if _isMissing(field) { return nil }
    guard let x = _parseNumber(field) else {
      throw _error(h, column, "expected a number, found \(_found(column))")
    }
    return x
  }

  /// The number of `item`; nil when the file has no such column or the field is missing.
  func _value(_ h: _DataSetHeader, _ item: DataItem) throws(InputError) -> Double? {
    guard let column = h.column(item) else { return nil }
    return try _number(h, column)
  }

  /// The whole number of `item` within `range`; nil when absent or missing. `expected` names
  /// the accepted values, e.g. "SS 0, 1 or 2".
  func _whole(_ h: _DataSetHeader, _ item: DataItem, in range: ClosedRange<Int>, _ expected: String)
    throws(InputError) -> Int?
  {
    guard let x = try _value(h, item) else { return nil }
    let column = h.column(item)!
    guard x == x.rounded() else {
      throw _error(h, column, "expected \(item.name) as a whole number, found \(_found(column))")
    }
    guard x >= Double(range.lowerBound) && x <= Double(range.upperBound) else {
      throw _error(h, column, "expected \(expected), found \(_found(column))")
    }
    return Int(x)
  }

  /// A finite decimal number ("12", "-0.5", "1e-3"); nil for anything else, including "nan",
  /// "inf" and hexadecimal.
  ///
  /// Up to 15 digits without an exponent are read exactly: the digits as an integer divided by
  /// a power of ten, both exact doubles, so the quotient is correctly rounded, as `strtod`'s is.
  func _parseNumber(_ field: Range<Int>) -> Double? {
    var i = field.lowerBound
    let end = field.upperBound
    var negative = false
    if i < end && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
      negative = bytes[i] == UInt8(ascii: "-")
      i += 1
    }
    var mantissa: UInt64 = 0
    var digits = 0
    var fractionDigits = 0
    var sawPoint = false
    while i < end {
      let b = bytes[i]
      if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
        mantissa = mantissa &* 10 &+ UInt64(b - UInt8(ascii: "0"))
        digits += 1
        if sawPoint { fractionDigits += 1 }
      } else if b == UInt8(ascii: ".") && !sawPoint {
        sawPoint = true
      } else {
        break
      }
      i += 1
    }
    if i == end && digits > 0 && digits <= 15 {
      var x = Double(mantissa)
      if fractionDigits > 0 { x /= Self._powersOfTen[fractionDigits] }
      return negative ? -x : x
    }
    for b in UnsafeBufferPointer(rebasing: bytes[field]) {
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "e"), UInt8(ascii: "E"):
        continue
      default:
        return nil
      }
    }
    guard let x = Double(_text(field)), x.isFinite else { return nil }
    return x
  }

  /// 10⁰ … 10¹⁵, all exact doubles.
  static let _powersOfTen: [Double] = (0...15).map { k in
    (0..<k).reduce(1.0) { product, _ in product * 10 }
  }

  /// A number for a message: whole numbers without a decimal point.
  func _format(_ x: Double) -> String {
    if x == x.rounded() && x.magnitude < 1e15 { return String(Int64(x)) }
    return "\(x)"
  }
}
