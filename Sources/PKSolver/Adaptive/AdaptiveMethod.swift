/// Which adaptive method integrates a nonlinear system.
public enum AdaptiveMethod: String, Sendable, CaseIterable, Equatable {
  /// The explicit Dormand–Prince 5(4) pair (`DormandPrince54`): non-stiff problems.
  case dormandPrince54 = "dp5"
  /// Dormand and Prince's order-8 method with Hairer's 5(3) error estimate (`DormandPrince853`):
  /// tight tolerances on non-stiff problems.
  case dormandPrince853 = "dop853"
  /// The Rosenbrock method of order 4(3) of Shampine (`Rosenbrock43`): stiff problems.
  case rosenbrock43 = "rosenbrock"
  /// A Taylor series method (`TaylorSeries`), for right-hand sides that give their Taylor
  /// coefficients: non-stiff problems with few, simple flows.
  case taylor
  /// The Taylor method for a function that gives Taylor coefficients
  /// (`ODEFunction.givesTaylorCoefficients`: linear and Michaelis–Menten flows), Dormand–Prince
  /// for any other, until its stiffness test fires (15 positive checks: for Dormand–Prince
  /// Hairer's hλ > 3.25, for the Taylor method h·λ̂ above 0.85 of its stability interval), then
  /// Rosenbrock for the rest of the segment; the next segment (after a dose) starts again with
  /// the first method.
  case automatic = "auto"
}
