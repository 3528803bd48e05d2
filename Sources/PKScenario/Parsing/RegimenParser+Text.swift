import PKCore

extension RegimenParser {
  /// A dose in the regimen grammar, times in hours: `0.5 mg/kg iv over 0.6667 h`,
  /// `56 mg nasal at 0 h every 84 h x 8` (for metadata; it reads back as the same dose).
  public static func text(_ dose: Dose) -> String {
    let writer = CSVWriter()
    func amount(_ a: DoseAmount) -> String {
      "\(writer.format(a.milligrams)) mg\(a.perKilogram ? "/kg" : "")"
    }
    var s: String
    switch dose.delivery {
    case .bolus(let a): s = "\(amount(a)) \(dose.route.rawValue)"
    case .infusion(let a, let h): s = "\(amount(a)) \(dose.route.rawValue) over \(writer.format(h)) h"
    case .infusionAtRate(let r, let h):
      s =
        "\(writer.format(r.milligramsPerHour)) mg\(r.perKilogram ? "/kg" : "")/h \(dose.route.rawValue) for \(writer.format(h)) h"
    }
    if dose.time != 0 { s += " at \(writer.format(dose.time)) h" }
    if let interval = dose.interval { s += " every \(writer.format(interval)) h x \(dose.count)" }
    return s
  }
}
