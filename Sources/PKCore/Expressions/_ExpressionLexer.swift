/// Splits the text of an expression into tokens.
///
/// ```
/// number       digits [. digits] [e|E [+|-] digits]   or   . digits [e ...]
/// identifier   [A-Za-z_][A-Za-z0-9_]*
/// symbol       + - * / ^ ** ( ) , == != < <= > >= ! && ||
/// ```
/// Whitespace (including newlines) separates tokens and is otherwise ignored. A number that runs
/// into a letter, digit, `_` or `.` (`2x`, `1.2.3`, `2e`) is malformed rather than two tokens.
enum _ExpressionLexer {
  /// The tokens of `text`, ending with one `.end` token.
  static func tokens(of text: String) throws(ExpressionError) -> [_ExpressionToken] {
    let characters = Array(text)
    var tokens: [_ExpressionToken] = []
    var i = 0
    func ascii(_ k: Int) -> UInt8? { k < characters.count ? characters[k].asciiValue : nil }
    func isDigit(_ k: Int) -> Bool { ascii(k).map { $0 >= 48 && $0 <= 57 } ?? false }
    func isNameStart(_ k: Int) -> Bool {
      guard let c = ascii(k) else { return false }
      return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }
    func isNamePart(_ k: Int) -> Bool { isNameStart(k) || isDigit(k) }
    func slice(_ range: Range<Int>) -> String { String(characters[range]) }

    while i < characters.count {
      let start = i
      let c = characters[i]
      if c.isWhitespace {
        i += 1
        continue
      }
      if isDigit(i) || (c == "." && isDigit(i + 1)) {
        while isDigit(i) { i += 1 }
        if ascii(i) == 46 {  // "."
          i += 1
          while isDigit(i) { i += 1 }
        }
        if ascii(i) == 101 || ascii(i) == 69 {  // "e" or "E"
          let signed = ascii(i + 1) == 43 || ascii(i + 1) == 45  // "+" or "-"
          if isDigit(i + (signed ? 2 : 1)) {
            i += signed ? 2 : 1
            while isDigit(i) { i += 1 }
          }
        }
        if isNamePart(i) || ascii(i) == 46 {
          while isNamePart(i) || ascii(i) == 46 { i += 1 }
          throw .syntax("malformed number '\(slice(start..<i))'", column: start + 1)
        }
        let literal = slice(start..<i)
        guard let value = Double(literal) else {
          throw .syntax("malformed number '\(literal)'", column: start + 1)
        }
        guard value.isFinite else {
          throw .syntax("number '\(literal)' is too large", column: start + 1)
        }
        tokens.append(_ExpressionToken(kind: .number(value), text: literal, column: start + 1))
        continue
      }
      if isNameStart(i) {
        while isNamePart(i) { i += 1 }
        let name = slice(start..<i)
        tokens.append(_ExpressionToken(kind: .identifier(name), text: name, column: start + 1))
        continue
      }
      let next: Character? = i + 1 < characters.count ? characters[i + 1] : nil
      let symbol: String
      switch c {
      case "+", "-", "/", "^", "(", ")", ",":
        symbol = String(c)
      case "*":
        symbol = next == "*" ? "**" : "*"
      case "<", ">":
        symbol = next == "=" ? "\(c)=" : String(c)
      case "!":
        symbol = next == "=" ? "!=" : "!"
      case "=":
        guard next == "=" else {
          throw .syntax("unexpected '='; use '==' to compare", column: start + 1)
        }
        symbol = "=="
      case "&", "|":
        guard next == c else {
          let word = c == "&" ? "and" : "or"
          throw .syntax("unexpected '\(c)'; use '\(c)\(c)' or '\(word)'", column: start + 1)
        }
        symbol = "\(c)\(c)"
      default:
        throw .syntax("unexpected character '\(c)'", column: start + 1)
      }
      i += symbol.count
      tokens.append(_ExpressionToken(kind: .symbol(symbol), text: symbol, column: start + 1))
    }
    tokens.append(_ExpressionToken(kind: .end, text: "", column: characters.count + 1))
    return tokens
  }
}
