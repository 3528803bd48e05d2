import PKSolver

/// How a simulation is integrated: the method and, for adaptive methods, the tolerances.
///
/// ```
/// atol (mg) = absoluteTolerance × dose scale,   dose scale = the largest AMT (or RATE × 1 h)
/// ```
/// so that the absolute tolerance follows the size of the doses (rtol 1e-8, atol 1e-12 of the
/// dose by default).
public struct SolverOptions: Sendable, Equatable {
  /// Which integrator.
  public enum Method: String, Sendable, CaseIterable, Equatable {
    /// Exact propagation for a linear model; for a nonlinear one the Taylor method when its
    /// nonlinear flows are all Michaelis–Menten, Dormand–Prince 5(4) when it has rate
    /// expressions, either switching to Rosenbrock when its stiffness test fires
    /// (`AdaptiveMethod.automatic`).
    case automatic = "auto"
    /// The exact matrix-exponential propagator (linear models only).
    case exact
    /// Dormand–Prince 5(4).
    case dormandPrince54 = "dp5"
    /// DOP853 (order 8), for tight tolerances.
    case dormandPrince853 = "dop853"
    /// Rosenbrock 4(3).
    case rosenbrock43 = "rosenbrock"
    /// A Taylor series method (models whose nonlinear flows are all Michaelis–Menten).
    case taylor
  }

  public var method: Method
  /// The relative tolerance of adaptive methods.
  public var relativeTolerance: Double
  /// The absolute tolerance of adaptive methods, as a fraction of the dose scale.
  public var absoluteTolerance: Double
  /// The most steps between two stop times.
  public var stepLimit: Int

  public init(
    method: Method = .automatic, relativeTolerance: Double = 1e-8, absoluteTolerance: Double = 1e-12,
    stepLimit: Int = 500_000
  ) {
    self.method = method
    self.relativeTolerance = relativeTolerance
    self.absoluteTolerance = absoluteTolerance
    self.stepLimit = stepLimit
  }

  /// The adaptive method for `model`, or nil for exact propagation.
  ///
  /// - Throws: `ModelError.invalidModel` when `exact` is asked for a nonlinear model, or
  ///   `taylor` for a model with rate expressions.
  public func adaptiveMethod(for model: CompiledModel) throws(ModelError) -> AdaptiveMethod? {
    switch method {
    case .automatic: return model.isLinear ? nil : .automatic
    case .exact:
      guard model.isLinear else {
        throw .invalidModel(
          "\(model.definition.name) has nonlinear flows, so it cannot be solved exactly; use --method auto, dp5, dop853, rosenbrock or taylor"
        )
      }
      return nil
    case .dormandPrince54: return .dormandPrince54
    case .dormandPrince853: return .dormandPrince853
    case .rosenbrock43: return .rosenbrock43
    case .taylor:
      if let flow = model.nonlinearFlows.first(where: {
        if case .expression = $0.rate { true } else { false }
      }),
        case .expression(_, let text) = flow.rate
      {
        throw .invalidModel(
          "\(model.definition.name) has a rate expression (\(text)); --method taylor needs linear and Michaelis–Menten flows only, use auto, dp5, dop853 or rosenbrock"
        )
      }
      return .taylor
    }
  }
}
