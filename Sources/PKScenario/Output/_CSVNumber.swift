import Foundation

/// Appends numbers to a byte buffer as CSV text, without building a String per row.
///
/// Whole numbers below 10¹⁵ are written as integers (`1440`, not `1440.0`); other values in the
/// shortest form that reads back as the same double (Swift's `description`), or with `digits`
/// significant digits. Zero (also −0) is written `0`.
enum _CSVNumber {
  static func append(_ x: Double, digits: Int?, to out: inout [UInt8]) {
    if x == 0 {
      out.append(UInt8(ascii: "0"))
      return
    }
    if let digits {
      out.append(contentsOf: String(format: "%.\(digits)g", x).utf8)
      return
    }
    if x == x.rounded(), abs(x) < 1e15 {
      append(Int64(x), to: &out)
      return
    }
    out.append(contentsOf: x.description.utf8)
  }

  static func append(_ n: Int64, to out: inout [UInt8]) {
    var v = n.magnitude
    if n < 0 { out.append(UInt8(ascii: "-")) }
    if v < 10 {
      out.append(UInt8(ascii: "0") &+ UInt8(v))
      return
    }
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      while v > 0 {
        buffer[count] = UInt8(ascii: "0") &+ UInt8(v % 10)
        v /= 10
        count += 1
      }
      for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
    }
  }
}
