import PKSolver

/// A linear compartment model with the numbers of one subject: the system matrix in 1/h and
/// the volumes in L.
///
/// ```
/// dA/dt = K·A + u(t),   state = (A_1 … A_n, A_eliminated) in mg, time in h
/// ```
public struct CompartmentModel: Sendable {
  /// The name of the state that accumulates the amount eliminated from the body.
  public static let eliminatedName = "eliminated"

  /// The model's name.
  public let name: String
  /// The compartment names, in state order (without the eliminated amount).
  public let compartmentNames: [String]
  /// The volume (L) of each compartment that has one.
  public let volumes: [Double?]
  /// The linear system over n + 1 states (the last is the amount eliminated), in 1/h.
  public let system: LinearSystem
  /// The concentration outputs.
  public let outputs: [Output]
  /// The state index of each output's compartment.
  public let outputCompartments: [Int]
  /// The state index each supported route doses into.
  public let routeCompartments: [Route: Int]

  /// The number of compartments n (the state has n + 1 entries).
  public var compartmentCount: Int { compartmentNames.count }

  /// The state names: the compartments, then `eliminated`.
  public var stateNames: [String] { compartmentNames + [Self.eliminatedName] }

  /// The supported routes, in a stable order.
  public var supportedRoutes: [Route] { Route.allCases.filter { routeCompartments[$0] != nil } }

  public init(
    name: String, compartmentNames: [String], volumes: [Double?], system: LinearSystem,
    outputs: [Output], outputCompartments: [Int], routeCompartments: [Route: Int]
  ) {
    precondition(system.dimension == compartmentNames.count + 1, "The system needs n + 1 states.")
    self.name = name
    self.compartmentNames = compartmentNames
    self.volumes = volumes
    self.system = system
    self.outputs = outputs
    self.outputCompartments = outputCompartments
    self.routeCompartments = routeCompartments
  }
}
