/// Doses written as a regimen (`Dose`) turned into NONMEM dose records, checked.
///
/// A bolus becomes `AMT`; an infusion over a duration `AMT` with `RATE = AMT / duration`; an
/// infusion at a rate `RATE` with `AMT = RATE × duration`; repeats become `II` and
/// `ADDL = count − 1`. Per-kg amounts and rates are multiplied by the subject's weight.
///
/// The route then splits each dose into its parts (`RouteInput`): part p of a dose A becomes a
/// record into the part's compartment with `AMT = f_p · A` at the dose time plus the part's lag,
/// as a bolus or, when the part has an input duration D, with `RATE = f_p · A / D`; an infusion's
/// rate is split the same way. A device route (`DoseDevice`) first cuts A into whole devices,
/// given one interval apart, the second and later with their own fractions. The records are in
/// time order, so that `RecordSimulator` gives doses and data sets one meaning.
public struct DosingSchedule: Sendable, Equatable {
  /// The dose records (EVID 1), in time order; doses at equal times keep the order given.
  public let records: [DataRecord]
  /// The total amount administered (mg), every repeat included.
  public let totalAmount: Double
  /// The total amount the records put into compartments (mg): the administered amount times
  /// each part's fraction (less where a route's fractions add up to less than 1).
  public let enteringAmount: Double

  /// Expands `doses` for `model` and `subject`.
  ///
  /// - Throws: `ModelError.invalidDose` for a zero, negative or non-finite amount, rate,
  ///   duration, time or interval, or a device dose that is not a whole number of devices;
  ///   `ModelError.unsupportedRoute`; `missingCovariate` for a per-kg dose without a weight.
  public init(doses: [Dose], model: CompartmentModel, subject: Subject) throws(ModelError) {
    var records: [DataRecord] = []
    var total = 0.0
    var entering = 0.0
    for (k, dose) in doses.enumerated() {
      let which = doses.count > 1 ? "dose \(k + 1)" : "the dose"
      guard let route = model.compiled.routes[dose.route] else {
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
      let parts = try Self.parts(
        route: route, name: dose.route.rawValue, amount: amount, rate: rate, which: which, model: model)
      for part in parts {
        records.append(
          DataRecord(
            id: 1, time: dose.time + part.delay, evid: 1, amount: part.amount, rate: part.rate,
            compartment: part.compartment + 1, interval: interval, additional: dose.count - 1))
        entering += part.amount * Double(dose.count)
      }
      total += amount * Double(dose.count)
    }
    // A stable sort: equal times keep the order given.
    self.records = records.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
      .map(\.element)
    self.totalAmount = total
    self.enteringAmount = entering
  }

  /// The records of one administration of `amount` (mg, at `rate` mg/h when an infusion) by a
  /// route: compartment (0-based), amount, rate and delay after the dose time (h).
  static func parts(
    route: CompiledModel.CompiledRoute, name: String, amount: Double, rate: Double, which: String,
    model: CompartmentModel
  ) throws(ModelError) -> [(compartment: Int, amount: Double, rate: Double, delay: Double)] {
    let values = model.parameterValues
    let compiled = model.compiled
    func value(_ slot: CompiledModel.Slot?, _ fallback: Double) -> Double {
      slot.map { compiled.canonical($0, values) } ?? fallback
    }
    var devices = 1
    var perDevice = amount
    var spacing = 0.0
    if let device = route.device {
      guard rate == 0 else {
        throw .invalidDose("\(which): a \(name) dose is given in devices of \(device.amount) mg, not infused")
      }
      let n = amount / device.amount
      let whole = n.rounded()
      guard whole >= 1 && abs(n - whole) <= 1e-9 * whole else {
        let lower = max(1, n.rounded(.down))
        throw .invalidDose(
          "\(which) of \(_format(amount)) mg \(name) is not a whole number of \(_format(device.amount)) mg devices; "
            + "give \(_format(lower * device.amount)) mg (\(Int(lower)) device\(lower == 1 ? "" : "s")) or "
            + "\(_format((lower + 1) * device.amount)) mg (\(Int(lower) + 1) devices)")
      }
      devices = Int(whole)
      perDevice = device.amount
      spacing = device.interval
    }
    var out: [(compartment: Int, amount: Double, rate: Double, delay: Double)] = []
    for k in 0..<devices {
      for part in route.parts {
        let f = k > 0 ? value(part.laterDevicesFraction ?? part.fraction, 1) : value(part.fraction, 1)
        let lag = value(part.lag, 0)
        // Built only for a message, not for every part of every subject's dose.
        func where_() -> String {
          "route '\(name)' into '\(compiled.definition.compartments[part.compartment].name)'"
        }
        guard f >= 0 && f.isFinite else {
          throw .invalidDose("\(which): \(where_()) has fraction \(f); expected 0 or more")
        }
        guard lag >= 0 && lag.isFinite else {
          throw .invalidDose("\(which): \(where_()) has lag \(lag) h; expected 0 or more")
        }
        if f == 0 { continue }
        var partRate = f * rate
        if let d = part.duration {
          let duration = compiled.canonical(d, values)
          guard rate == 0 else {
            throw .invalidDose(
              "\(which): \(where_()) is a zero-order input over \(_format(duration)) h, so the dose cannot also be an infusion"
            )
          }
          guard duration > 0 && duration.isFinite else {
            throw .invalidDose(
              "\(which): \(where_()) has input duration \(duration) h; expected a duration above 0")
          }
          partRate = f * perDevice / duration
        }
        out.append((part.compartment, f * perDevice, partRate, Double(k) * spacing + lag))
      }
    }
    return out
  }

  /// The message is built only when the check fails (a population checks every subject's doses).
  private static func checkPositive(_ x: Double, _ message: @autoclosure () -> String) throws(ModelError) {
    guard x > 0 && x.isFinite else { throw .invalidDose(message()) }
  }
}
