/// A published compartment model as described in its model file: citation, population,
/// parameters with units and structure.
///
/// `instantiate(for:)` turns it into the numbers of one subject (`CompartmentModel`).
public struct ModelDefinition: Sendable, Equatable {
  /// The short name, e.g. `domino-1984`.
  public var name: String
  /// The drug the model predicts (e.g. `racemic ketamine`).
  public var drug: String
  /// The full citation of the publication.
  public var citation: String
  /// Who was studied.
  public var population: String
  /// Where blood was sampled (`arterial`, `venous`), with any qualification.
  public var samplingSite: String
  /// The covariate range of the data.
  public var validatedRange: ValidatedRange
  /// The time unit of the published parameters.
  public var timeUnit: TimeUnit
  /// The covariates the parameters use.
  public var covariates: [Covariate]
  /// The parameters, in file order.
  public var parameters: [Parameter]
  /// The compartments, in file order; the state vector follows this order.
  public var compartments: [Compartment]
  /// The first-order flows.
  public var flows: [Flow]
  /// The concentration outputs.
  public var outputs: [Output]
  /// What each supported route does with a dose, in file order; the first route's first
  /// compartment also receives data-set doses without a compartment.
  public var routes: [RouteDefinition]
  /// The enzymes the model's metabolic clearances name (`EnzymePathway`).
  public var enzymes: [Enzyme]
  /// The between-subject random effects and their covariance Ω (none for a model that
  /// publishes no variability).
  public var variability: Variability
  /// The residual error of each output that has one (for simulated observations).
  public var residualErrors: [ResidualError]
  /// Concentration–effect models computed from the outputs.
  public var effects: [ConcentrationEffect]

  public init(
    name: String, drug: String, citation: String, population: String, samplingSite: String,
    validatedRange: ValidatedRange, timeUnit: TimeUnit, covariates: [Covariate] = [],
    parameters: [Parameter],
    compartments: [Compartment], flows: [Flow], outputs: [Output],
    routes: [RouteDefinition], enzymes: [Enzyme] = [], variability: Variability = .none,
    residualErrors: [ResidualError] = [], effects: [ConcentrationEffect] = []
  ) {
    self.name = name
    self.drug = drug
    self.citation = citation
    self.population = population
    self.samplingSite = samplingSite
    self.validatedRange = validatedRange
    self.timeUnit = timeUnit
    self.covariates = covariates
    self.parameters = parameters
    self.compartments = compartments
    self.flows = flows
    self.outputs = outputs
    self.routes = routes
    self.enzymes = enzymes
    self.variability = variability
    self.residualErrors = residualErrors
    self.effects = effects
  }

  public static func == (a: ModelDefinition, b: ModelDefinition) -> Bool {
    a.name == b.name && a.drug == b.drug && a.citation == b.citation && a.population == b.population
      && a.samplingSite == b.samplingSite && a.validatedRange == b.validatedRange
      && a.timeUnit == b.timeUnit && a.covariates == b.covariates && a.parameters == b.parameters
      && a.compartments == b.compartments
      && a.flows == b.flows && a.outputs == b.outputs
      && a.routes == b.routes && a.enzymes == b.enzymes && a.variability == b.variability
      && a.residualErrors == b.residualErrors && a.effects == b.effects
  }

  /// Every input of the parameter expressions: the covariates, then for each declared enzyme
  /// its activity in the liver and in the gut wall (`CYP3A4`, `CYP3A4_GUT`; default 1, normal),
  /// which pathways and expressions may use; then the η input `ETA(P)` of each random effect
  /// (default 0).
  public var inputs: [Covariate] {
    var extra: [Covariate] = []
    for e in enzymes {
      for site in EnzymeSite.allCases {
        extra.append(
          Covariate(
            name: site.inputName(e.name), unit: Enzyme.activityUnit,
            description: "\(e.name) activity in the \(site == .liver ? "liver" : "gut wall") (1 normal)",
            defaultValue: 1))
      }
    }
    return covariates + extra + _randomEffectInputs
  }
}
