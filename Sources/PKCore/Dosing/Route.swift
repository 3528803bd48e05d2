/// How a dose is given. A model file declares, for each route it supports, where the dose goes
/// (`RouteDefinition`); a route it does not declare is an error listing those it does.
public enum Route: String, Sendable, CaseIterable, Equatable {
  /// Intravenous: straight into the central compartment.
  case iv
  /// Intramuscular: into an injection-site depot.
  case im
  /// Intranasal (nasal spray or drops): partly through the nasal mucosa, partly swallowed.
  case nasal
  /// Oral (swallowed): through the gut, with first-pass metabolism.
  case oral
  /// Sublingual or buccal: partly through the oral mucosa, partly swallowed.
  case sublingual
  /// Rectal.
  case rectal

  /// The other words the field uses for a route (`po`, `intranasal`, …), each with its route.
  public static let synonyms: [String: Route] = [
    "intravenous": .iv, "intramuscular": .im, "intranasal": .nasal, "in": .nasal, "po": .oral,
    "sl": .sublingual, "pr": .rectal,
  ]

  /// The route named `word` (a route name or synonym, any case), or nil.
  public init?(word: String) {
    let w = word.lowercased()
    guard let r = Route(rawValue: w) ?? Self.synonyms[w] else { return nil }
    self = r
  }
}
