/// How a dose is given. A model file maps each route it supports to the compartment that
/// receives the dose.
public enum Route: String, Sendable, CaseIterable, Equatable {
  /// Intravenous: straight into the central compartment.
  case iv
}
