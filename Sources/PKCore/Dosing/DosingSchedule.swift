import PKSolver

/// Doses expanded into the integrator's stop times: impulses for boluses and the full input
/// vector at every time an infusion starts or stops.
///
/// Repeats (interval × count) become concrete doses first; at each change time the input is
/// summed afresh from the infusions running in [t, next change), so it returns to exactly zero
/// when the last infusion stops.
public struct DosingSchedule: Sendable, Equatable {
  /// The events in time order; at equal times boluses keep the order of the doses.
  public let events: [InputEvent]
  /// The total amount given (mg).
  public let totalAmount: Double
  /// The time the last infusion stops or the last bolus is given (h).
  public let lastEventTime: Double

  /// Expands `doses` for `model` and `subject`.
  ///
  /// - Throws: `ModelError.invalidDose` for a zero, negative or non-finite amount, rate,
  ///   duration, time or interval; `ModelError.unsupportedRoute`; `missingCovariate` for a
  ///   per-kg dose without a weight.
  public init(doses: [Dose], model: CompartmentModel, subject: Subject) throws(ModelError) {
    let n = model.system.dimension
    struct Infusion {
      var start: Double
      var end: Double
      var compartment: Int
      var rate: Double
    }
    var boluses: [(time: Double, compartment: Int, amount: Double)] = []
    var infusions: [Infusion] = []
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
      if dose.count > 1 {
        guard let ii = dose.interval, ii > 0 && ii.isFinite else {
          throw .invalidDose("\(which) repeats \(dose.count) times, so it needs an interval above 0")
        }
      }
      for start in dose.startTimes {
        switch dose.delivery {
        case .bolus(let amount):
          let mg = try amount.resolved(for: subject)
          try Self.checkPositive(mg, "\(which) has amount \(mg) mg, expected an amount above 0")
          boluses.append((start, cmt, mg))
          total += mg
        case .infusion(let amount, let hours):
          let mg = try amount.resolved(for: subject)
          try Self.checkPositive(mg, "\(which) has amount \(mg) mg, expected an amount above 0")
          try Self.checkPositive(hours, "\(which) lasts \(hours) h, expected a duration above 0")
          infusions.append(Infusion(start: start, end: start + hours, compartment: cmt, rate: mg / hours))
          total += mg
        case .infusionAtRate(let rate, let hours):
          let mgPerHour = try rate.resolved(for: subject)
          try Self.checkPositive(mgPerHour, "\(which) has rate \(mgPerHour) mg/h, expected a rate above 0")
          try Self.checkPositive(hours, "\(which) lasts \(hours) h, expected a duration above 0")
          infusions.append(Infusion(start: start, end: start + hours, compartment: cmt, rate: mgPerHour))
          total += mgPerHour * hours
        }
      }
    }
    var changeTimes = Set<Double>()
    for f in infusions {
      changeTimes.insert(f.start)
      changeTimes.insert(f.end)
    }
    var byTime: [Double: InputEvent] = [:]
    for t in changeTimes {
      var u = [Double](repeating: 0, count: n)
      for f in infusions where f.start <= t && t < f.end { u[f.compartment] += f.rate }
      byTime[t] = InputEvent(time: t, input: u)
    }
    for b in boluses {
      byTime[b.time, default: InputEvent(time: b.time)].impulses.append(
        .init(component: b.compartment, amount: b.amount))
    }
    self.events = byTime.keys.sorted().map { byTime[$0]! }
    self.totalAmount = total
    self.lastEventTime = events.last?.time ?? 0
  }

  private static func checkPositive(_ x: Double, _ message: String) throws(ModelError) {
    guard x > 0 && x.isFinite else { throw .invalidDose(message) }
  }
}
