/// Encodes an exact sum compactly: only the nonzero normalised limbs, as `[index, value]` pairs.
///
/// ```
/// {"limbs": [[33, 1048576], [34, 7]]}     S = Σ value · 2^(32 · index),  sum = S · 2⁻¹⁰⁷⁴
/// ```
/// Limbs 0 … 65 are stored in [0, 2³²) and limb 66 (the carries, with the sign) as a signed
/// integer; an empty sum is `{"limbs": []}`. Decoding accepts only this canonical form, with the
/// indices increasing, and throws `DecodingError.dataCorrupted` otherwise.
extension ExactSum: Codable {
  enum CodingKeys: String, CodingKey {
    case limbs
  }

  public func encode(to encoder: any Encoder) throws {
    var limbs = _limbs
    Self._normalize(&limbs)
    var pairs: [[Int64]] = []
    for (i, v) in limbs.enumerated() where v != 0 { pairs.append([Int64(i), v]) }
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(pairs, forKey: .limbs)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let pairs = try container.decode([[Int64]].self, forKey: .limbs)
    self.init()
    let top = Int64(Self._limbCount - 1)
    var previous: Int64 = -1
    for (n, pair) in pairs.enumerated() {
      func corrupted(_ reason: String) -> DecodingError {
        DecodingError.dataCorruptedError(
          forKey: .limbs, in: container, debugDescription: "Limb pair \(n): \(reason).")
      }
      guard pair.count == 2 else { throw corrupted("expected [index, value], got \(pair.count) numbers") }
      let (index, value) = (pair[0], pair[1])
      guard index > previous && index <= top else {
        throw corrupted("index \(index) is not in \(previous + 1)…\(top)")
      }
      if index < top {
        guard value >= 0 && value <= Self._limbMask else {
          throw corrupted("value \(value) of limb \(index) is not in 0…\(Self._limbMask)")
        }
      } else {
        guard value.magnitude <= 1 << 62 else {
          throw corrupted("carry limb \(value) exceeds 2^62 in magnitude")
        }
      }
      _limbs[Int(index)] = value
      previous = index
    }
  }
}
