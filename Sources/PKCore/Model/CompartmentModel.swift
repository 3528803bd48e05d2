import PKLinearAlgebra
import PKSolver

/// A compiled model with the numbers of one subject: covariates, parameter values, the system
/// matrix in 1/h and the volumes in L.
///
/// ```
/// dA/dt = K·A + u(t),   state = (A_1 … A_n, A_eliminated) in mg, time in h
/// ```
public struct CompartmentModel: Sendable {
  /// The name of the state that accumulates the amount eliminated from the body.
  public static let eliminatedName = "eliminated"

  /// The compiled model.
  public let compiled: CompiledModel
  /// The subject's covariate values, in the model's covariate order.
  public let covariates: [Double]
  /// Every slot value (covariates, then parameters in evaluation order).
  public let parameterValues: [Double]
  /// The linear system over n + 1 states (the last is the amount eliminated), in 1/h.
  public let system: LinearSystem
  /// The volume (L) of each compartment that has one.
  public let volumes: [Double?]

  public init(
    compiled: CompiledModel, covariates: [Double], parameterValues: [Double], system: LinearSystem,
    volumes: [Double?]
  ) {
    precondition(system.dimension == compiled.compartmentCount + 1, "The system needs n + 1 states.")
    self.compiled = compiled
    self.covariates = covariates
    self.parameterValues = parameterValues
    self.system = system
    self.volumes = volumes
  }

  /// The model's name.
  public var name: String { compiled.definition.name }
  /// The compartment names, in state order (without the eliminated amount).
  public var compartmentNames: [String] { compiled.definition.compartments.map(\.name) }
  /// The concentration outputs.
  public var outputs: [Output] { compiled.definition.outputs }
  /// The state index of each output's compartment.
  public var outputCompartments: [Int] { compiled.outputCompartments }
  /// The state index each supported route doses into.
  public var routeCompartments: [Route: Int] { compiled.routeCompartments }
  /// The number of compartments n (the state has n + 1 entries).
  public var compartmentCount: Int { compiled.compartmentCount }
  /// The state names: the compartments, then `eliminated`.
  public var stateNames: [String] { compartmentNames + [Self.eliminatedName] }
  /// The system linearised at zero amounts: `system` for a linear model; for a nonlinear one
  /// K plus the derivative of every nonlinear rate at A = 0 (a saturable flow adds
  /// Vmax/(Km·V)), so that derived CL, Vss, half-lives and F are those of low concentrations.
  public var lowConcentrationSystem: LinearSystem {
    guard !compiled.isLinear,
      let rhs = try? NonlinearRHS(model: compiled, values: parameterValues, system: system, volumes: volumes)
    else { return system }
    let m = compiled.compartmentCount + 1
    let zero = [Double](repeating: 0, count: m)
    var f0 = zero
    rhs.evaluate(zero, into: &f0)
    var j = [Double](repeating: 0, count: m * m)
    var a = zero
    var b = zero
    rhs.jacobian(zero, f0: f0, into: &j, scratch: &a, scratch2: &b)
    return LinearSystem(matrix: Matrix(rows: m, columns: m, columnMajor: j))
  }

  /// The supported routes, in a stable order.
  public var supportedRoutes: [Route] { Route.allCases.filter { routeCompartments[$0] != nil } }
}
