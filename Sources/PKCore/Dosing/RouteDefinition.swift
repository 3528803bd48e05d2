/// What a model does with a dose by one route: the parts it splits into (`RouteInput`), and the
/// device size when the route is given in devices.
///
/// `iv: central` in a model file is the simplest definition: one part, the whole dose into
/// `central`.
public struct RouteDefinition: Sendable, Equatable {
  /// The route.
  public var route: Route
  /// The parts of each dose, in order; their compartments receive the dose records.
  public var inputs: [RouteInput]
  /// The device rule, if the route is dosed in whole devices.
  public var device: DoseDevice?
  /// Where the route's numbers come from, when not from the model's own study.
  public var source: String?

  public init(route: Route, inputs: [RouteInput], device: DoseDevice? = nil, source: String? = nil) {
    self.route = route
    self.inputs = inputs
    self.device = device
    self.source = source
  }

  /// The whole dose into one compartment.
  public init(route: Route, compartment: String) {
    self.init(route: route, inputs: [RouteInput(compartment: compartment)])
  }
}
