/// One part of a dose by a route: the fraction of the administered amount that goes into one
/// compartment, when, and how fast.
///
/// ```
/// amount into `compartment` = fraction × dose       (laterDevicesFraction for device 2, 3, …)
/// given at dose time + lag, as a bolus, or at constant rate over `duration`
/// ```
/// A nasal spray, for example, has two parts: the fraction absorbed through the nasal mucosa
/// into a nasal depot, and the rest swallowed into a gut depot over a duration. Each field
/// names a model parameter, evaluated for the subject when the dose becomes dose records.
public struct RouteInput: Sendable, Equatable {
  /// The compartment receiving this part.
  public var compartment: String
  /// The parameter giving the fraction of the dose (a pure number ≥ 0); nil for the whole dose.
  public var fraction: String?
  /// For a device route (`DoseDevice`), the fraction for the second and later devices of one
  /// administration; nil when every device is alike.
  public var laterDevicesFraction: String?
  /// The parameter giving a zero-order input duration (a time); nil for a bolus.
  public var duration: String?
  /// The parameter giving a lag time (a time); nil for none.
  public var lag: String?

  public init(
    compartment: String, fraction: String? = nil, laterDevicesFraction: String? = nil,
    duration: String? = nil, lag: String? = nil
  ) {
    self.compartment = compartment
    self.fraction = fraction
    self.laterDevicesFraction = laterDevicesFraction
    self.duration = duration
    self.lag = lag
  }
}
