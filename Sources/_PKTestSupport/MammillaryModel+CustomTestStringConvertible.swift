import Testing

/// A short name for test reports, e.g. `2-compartment (k10 1.2/h, k12 2.3/h, k21 0.9/h, V 20 L)`.
extension MammillaryModel: CustomTestStringConvertible {
  public var testDescription: String {
    var constants = ["k10 \(k10)/h"]
    for (index, p) in peripherals.enumerated() {
      constants.append("k1\(index + 2) \(p.fromCentral)/h")
      constants.append("k\(index + 2)1 \(p.toCentral)/h")
    }
    return "\(compartmentCount)-compartment (\(constants.joined(separator: ", ")), V \(volume) L)"
  }
}
