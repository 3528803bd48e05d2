/// A route given in fixed-size devices, such as the esketamine nasal spray (28 mg a device):
/// a dose must be a whole number of devices, given one after another at a fixed interval.
///
/// ```
/// devices = dose / amount        (a whole number, else an error)
/// device k (k = 0, 1, …) is given at dose time + k × interval
/// ```
/// The first device of an administration may be absorbed differently from the later ones
/// (`RouteInput.laterDevicesFraction`): Perez-Ruixo C et al., Clin Pharmacokinet
/// 2021;60(4):501-516.
public struct DoseDevice: Sendable, Equatable {
  /// The amount of drug in one device (mg).
  public var amount: Double
  /// The time between the starts of successive devices (h).
  public var interval: Double

  public init(amount: Double, interval: Double) {
    self.amount = amount
    self.interval = interval
  }
}
