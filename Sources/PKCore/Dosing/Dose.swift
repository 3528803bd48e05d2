/// One dosing instruction: a bolus or a zero-order infusion, possibly repeated.
///
/// Follows the fields of a NONMEM dose record: `time`, `amt` (or `rate` and a duration),
/// `ii` (interval) and `addl` (additional doses, here `count − 1`).
public struct Dose: Sendable, Equatable {
  /// What is given each time.
  public enum Delivery: Sendable, Equatable {
    /// All at once.
    case bolus(DoseAmount)
    /// A total amount infused at constant rate over `hours`.
    case infusion(DoseAmount, hours: Double)
    /// A constant rate kept for `hours`.
    case infusionAtRate(DoseRate, hours: Double)
  }

  /// When the first dose starts (h from the start of the simulation).
  public var time: Double
  /// The route.
  public var route: Route
  /// The amount or rate, and the duration of an infusion.
  public var delivery: Delivery
  /// Time between the starts of successive doses (h); nil for a single dose.
  public var interval: Double?
  /// How many doses in all (1 for a single dose).
  public var count: Int

  public init(
    time: Double = 0, route: Route = .iv, delivery: Delivery, interval: Double? = nil, count: Int = 1
  ) {
    self.time = time
    self.route = route
    self.delivery = delivery
    self.interval = interval
    self.count = count
  }

  /// The start time of every dose (h): time, time + interval, …
  public var startTimes: [Double] {
    (0..<count).map { time + Double($0) * (interval ?? 0) }
  }
}
