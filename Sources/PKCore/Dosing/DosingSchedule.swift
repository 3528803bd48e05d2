/// Doses written as a regimen (`Dose`) turned into NONMEM dose records, checked.
///
/// A bolus becomes `AMT`; an infusion over a duration `AMT` with `RATE = AMT / duration`; an
/// infusion at a rate `RATE` with `AMT = RATE × duration`; repeats become `II` and
/// `ADDL = count − 1`. Per-kg amounts and rates are multiplied by the subject's weight. The
/// records are in time order, so that `RecordSimulator` gives doses and data sets one meaning.
public struct DosingSchedule: Sendable, Equatable {
  /// The dose records (EVID 1), in time order; doses at equal times keep the order given.
  public let records: [DataRecord]
  /// The total amount given (mg), every repeat included.
  public let totalAmount: Double

  /// Expands `doses` for `model` and `subject`.
  ///
  /// - Throws: `ModelError.invalidDose` for a zero, negative or non-finite amount, rate,
  ///   duration, time or interval; `ModelError.unsupportedRoute`; `missingCovariate` for a
  ///   per-kg dose without a weight.
  public init(doses: [Dose], model: CompartmentModel, subject: Subject) throws(ModelError) {
    var records: [DataRecord] = []
    var total = 0.0
    for (k, dose) in doses.enumerated() {
      let which = doses.count > 1 ? "dose \(k + 1)" : "the dose"
      guard let cmt = model.routeCompartments[dose.route] else {
        throw .unsupportedRoute(dose.route, supported: model.supportedRoutes)
      }
      guard dose.time >= 0 && dose.time.isFinite else {
        throw .invalidDose("\(which) starts at \(dose.time) h, expected a time of 0 or later")
      }
      guard dose.count >= 1 else {
        throw .invalidDose("\(which) is given \(dose.count) times, expected at least once")
      }
      var interval = 0.0
      if dose.count > 1 {
        guard let ii = dose.interval, ii > 0 && ii.isFinite else {
          throw .invalidDose("\(which) repeats \(dose.count) times, so it needs an interval above 0")
        }
        interval = ii
      }
      var amount: Double
      var rate = 0.0
      switch dose.delivery {
      case .bolus(let a):
        amount = try a.resolved(for: subject)
        try Self.checkPositive(amount, "\(which) has amount \(amount) mg, expected an amount above 0")
      case .infusion(let a, let hours):
        amount = try a.resolved(for: subject)
        try Self.checkPositive(amount, "\(which) has amount \(amount) mg, expected an amount above 0")
        try Self.checkPositive(hours, "\(which) lasts \(hours) h, expected a duration above 0")
        rate = amount / hours
      case .infusionAtRate(let r, let hours):
        rate = try r.resolved(for: subject)
        try Self.checkPositive(rate, "\(which) has rate \(rate) mg/h, expected a rate above 0")
        try Self.checkPositive(hours, "\(which) lasts \(hours) h, expected a duration above 0")
        amount = rate * hours
      }
      records.append(
        DataRecord(
          id: 1, time: dose.time, evid: 1, amount: amount, rate: rate, compartment: cmt + 1,
          interval: interval, additional: dose.count - 1))
      total += amount * Double(dose.count)
    }
    // A stable sort: equal times keep the order given.
    self.records = records.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
      .map(\.element)
    self.totalAmount = total
  }

  private static func checkPositive(_ x: Double, _ message: String) throws(ModelError) {
    guard x > 0 && x.isFinite else { throw .invalidDose(message) }
  }
}
