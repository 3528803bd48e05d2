import Foundation
import PKCore

/// Reads a model file (YAML) into a `ModelDefinition`, with located errors.
///
/// The format is described in Models/README.md. Unknown keys are errors, so that a misspelt
/// key never silently drops a parameter.
public enum ModelFileReader {
  /// Reads and validates the model file at `path`.
  public static func read(path: String) throws(InputError) -> ModelDefinition {
    try _read(path: path, extending: [])
  }

  /// `read(path:)` for a file reached through `extends:` from the files of `chain` (their
  /// standardized paths, outermost first), so that a cycle is found rather than followed.
  static func _read(path: String, extending chain: [String]) throws(InputError) -> ModelDefinition {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw InputError(source: path, message: "cannot read the model file (\(_reason(error)))")
    }
    return try _parse(yaml: text, file: path, extending: chain)
  }

  /// Parses model YAML; `file` names the source in errors.
  public static func parse(yaml: String, file: String) throws(InputError) -> ModelDefinition {
    try _parse(yaml: yaml, file: file, extending: [])
  }

  static func _parse(yaml: String, file: String, extending chain: [String]) throws(InputError)
    -> ModelDefinition
  {
    let root = try LocatedNode.parse(yaml: yaml, file: file)
    try root.checkKeys([
      "name", "version", "drug", "description", "citation", "population", "sampling_site",
      "validated_range", "time_unit", "covariates", "enzymes", "parameters", "compartments", "flows",
      "outputs", "routes", "absorption", "variability", "residual_error", "effects", "extends",
    ])
    let name = try root.required("name", "the model's short name, e.g. 'domino-1984'").string()
    var base: ModelDefinition?
    if let node = try root.optional("extends") {
      base = try _base(node, root: root, modelFile: file, chain: chain)
    }
    let timeUnit: TimeUnit
    if let base, try root.optional("time_unit") == nil {
      timeUnit = base.timeUnit
    } else {
      let timeNode = try root.required("time_unit", "min or h")
      guard let unit = QuantityParser.timeUnit(try timeNode.string()) else {
        throw timeNode.error("expected min or h, found \(timeNode.kind)")
      }
      timeUnit = unit
    }

    var covariates: [Covariate] = []
    if let node = try root.optional("covariates") {
      for (key, c) in try node.mapping() {
        try c.checkKeys(["unit", "description", "default"])
        covariates.append(
          Covariate(
            name: key, unit: try c.required("unit", "the covariate's unit, e.g. kg").string(),
            description: try c.required("description", "what the covariate is").string(),
            defaultValue: try c.optional("default")?.number()))
      }
    }

    var enzymes: [Enzyme] = []
    if let node = try root.optional("enzymes") {
      for (key, e) in try node.mapping() {
        try e.checkKeys(["description"])
        enzymes.append(
          Enzyme(
            name: key, description: try e.required("description", "the enzyme's role and source").string()))
      }
    }
    var structure = try _structure(root, routesRequired: true, partsOptional: base != nil)
    if let base {
      covariates = base.covariates + covariates
      enzymes = base.enzymes + enzymes
      structure.parameters = base.parameters + structure.parameters
      structure.compartments = base.compartments + structure.compartments
      structure.flows = base.flows + structure.flows
      structure.outputs = base.outputs + structure.outputs
      structure.routes = base.routes
    }
    if let node = try root.optional("absorption") {
      let included = try _absorption(node, modelFile: file)
      structure.parameters += included.parameters
      structure.compartments += included.compartments
      structure.flows += included.flows
      structure.routes += included.routes
    }
    let (parameters, declaredCompartments, flows, outputs, routes) = structure
    // An extending file adds to its base; it cannot replace the base's random effects or
    // residual error (they would be lost silently), only give them to a base that has none.
    func notReplacing(_ node: LocatedNode, _ what: String, baseHasIt: Bool) throws(InputError) {
      guard let base, baseHasIt else { return }
      throw node.error(
        "the base model '\(base.name)' has its own \(what), which this would replace; a file that extends a model adds \(what) only to a base without any"
      )
    }
    var variability = base?.variability ?? .none
    if let node = try root.optional("variability") {
      try notReplacing(node, "variability", baseHasIt: !(base?.variability.isEmpty ?? true))
      variability = try _variability(node)
    }
    var residualErrors = base?.residualErrors ?? []
    if let node = try root.optional("residual_error") {
      try notReplacing(node, "residual error", baseHasIt: !(base?.residualErrors.isEmpty ?? true))
      residualErrors = try _residualErrors(node)
    }
    var effects = base?.effects ?? []
    var compartments = declaredCompartments
    if let node = try root.optional("effects") {
      let read = try _effects(node)
      effects += read.effects
      // Each indirect response is integrated as a state holding R − R0, after the compartments.
      compartments += read.responses.map { Compartment(name: $0.response.stateName, response: $0.response) }
      try _checkResponseValues(read.responses, parameters: parameters)
    }

    let definition = ModelDefinition(
      name: name,
      drug: try root.required("drug", "the drug, e.g. racemic ketamine").string(),
      citation: try root.required("citation", "the full citation").string(),
      population: try root.required("population", "who was studied").string(),
      samplingSite: try root.required("sampling_site", "arterial or venous").string(),
      validatedRange: try _range(root.required("validated_range", "weight_kg, age_years and a note")),
      timeUnit: timeUnit, covariates: covariates,
      parameters: parameters, compartments: compartments, flows: flows, outputs: outputs,
      routes: routes, enzymes: enzymes,
      variability: variability, residualErrors: residualErrors, effects: effects)
    do {
      try definition.validate()
    } catch {
      throw InputError(source: file, message: "the model is inconsistent: \(error)")
    }
    return definition
  }

  typealias _Structure = (
    parameters: [Parameter], compartments: [Compartment], flows: [Flow], outputs: [Output],
    routes: [RouteDefinition]
  )

  /// The parameters, compartments, flows, outputs and routes of a model or absorption file.
  ///
  /// With `partsOptional` (a file that `extends` a base model), every part may be left out.
  static func _structure(_ root: LocatedNode, routesRequired: Bool, partsOptional: Bool = false)
    throws(InputError) -> _Structure
  {
    func part(_ key: String, _ expected: String) throws(InputError) -> LocatedNode? {
      partsOptional ? try root.optional(key) : try root.required(key, expected)
    }
    var parameters: [Parameter] = []
    for (key, node) in try part("parameters", "a mapping of parameter names to values")?.mapping() ?? [] {
      parameters.append(try _parameter(name: key, node))
    }

    var compartments: [Compartment] = []
    for node in try part("compartments", "a list of compartments")?.sequence() ?? [] {
      try node.checkKeys(["name", "volume", "quantity", "effect_of", "ke0", "half_life", "time_to_peak"])
      let effectOf = try node.optional("effect_of")?.string()
      let rates = [
        (try node.optional("ke0")?.string()).map(EffectSite.Rate.ke0),
        (try node.optional("half_life")?.string()).map(EffectSite.Rate.halfLife),
        (try node.optional("time_to_peak")?.string()).map(EffectSite.Rate.timeToPeak),
      ].compactMap { $0 }
      let rate = rates.first
      guard (effectOf == nil) == (rate == nil), rates.count <= 1 else {
        throw node.error(
          "an effect site needs effect_of (the plasma compartment) and one of ke0 (a rate-constant parameter), half_life (t½ke0, a time parameter) or time_to_peak (a time parameter)"
        )
      }
      let quantity = try node.optional("quantity")?.string()
      let volume = try node.optional("volume")?.string()
      if effectOf != nil && (quantity != nil || volume != nil) {
        throw node.error("an effect site holds a concentration (mg/L): leave out volume and quantity")
      }
      compartments.append(
        Compartment(
          name: try node.required("name", "a compartment name").string(),
          volume: volume, quantity: quantity, effect: effectOf.map { EffectSite(of: $0, rate: rate!) }))
    }

    var flows: [Flow] = []
    for node in try part("flows", "a list of flows")?.sequence() ?? [] {
      try node.checkKeys(["from", "to", "rate_constant", "clearance", "vmax", "km", "rate"])
      let rate = try node.optional("rate_constant")?.string()
      let clearance = try node.optional("clearance")?.string()
      let vmax = try node.optional("vmax")?.string()
      let km = try node.optional("km")
      let expressionNode = try node.optional("rate")
      guard [rate, clearance, vmax].compactMap({ $0 }).count + (expressionNode == nil ? 0 : 1) == 1 else {
        throw node.error(
          "expected exactly one of rate_constant, clearance, vmax (with km) or rate (an expression)")
      }
      if (vmax == nil) != (km == nil) {
        throw node.error("a saturable flow needs both vmax (amount/time) and km (concentration)")
      }
      let kind: Flow.Kind
      var parameter = rate ?? clearance ?? vmax ?? ""
      if let km {
        kind = .michaelisMenten(km: try km.string())
      } else if let expressionNode {
        let text = try expressionNode.string()
        do { kind = .expression(try ExpressionParser.parse(text), text: text) } catch {
          throw expressionNode.error("cannot read the rate expression '\(text)': \(error)")
        }
        parameter = ""
      } else {
        kind = rate != nil ? .rateConstant : .clearance
      }
      flows.append(
        Flow(
          from: try node.required("from", "the compartment the flow leaves").string(),
          to: try node.optional("to")?.string(), parameter: parameter, kind: kind))
    }

    var outputs: [Output] = []
    if routesRequired {
      for node in try part("outputs", "a list of outputs")?.sequence() ?? [] {
        try node.checkKeys(["name", "compartment", "conversion"])
        outputs.append(
          Output(
            name: try node.required("name", "the analyte name, e.g. ketamine").string(),
            compartment: try node.required("compartment", "the compartment observed").string(),
            conversion: try node.optional("conversion")?.string()))
      }
    }

    var routes: [RouteDefinition] = []
    for (key, node) in try part("routes", "a mapping of routes to compartments, e.g. iv: central")?
      .mapping() ?? []
    {
      guard let route = Route(rawValue: key) else {
        throw node.error(
          "is not a route KetaSim knows; expected one of: "
            + Route.allCases.map(\.rawValue).joined(separator: ", "))
      }
      routes.append(try _route(route, node))
    }
    return (parameters, compartments, flows, outputs, routes)
  }

  /// A route: `iv: central`, `{compartment: depot, fraction: F_IM, …}`, or
  /// `{device: …, inputs: [{compartment: …}, …]}`.
  static func _route(_ route: Route, _ node: LocatedNode) throws(InputError) -> RouteDefinition {
    if node.node.scalar != nil { return RouteDefinition(route: route, compartment: try node.string()) }
    try node.checkKeys([
      "compartment", "fraction", "duration", "lag", "inputs", "device", "source",
    ])
    // `whole`: the route's own node (one input), which also holds the route's keys.
    func input(_ n: LocatedNode, devices: Bool, whole: Bool) throws(InputError) -> RouteInput {
      try n.checkKeys(
        ["compartment", "fraction", "duration", "lag"] + (whole ? ["source", "device"] : [])
          + (devices ? ["later_devices_fraction"] : []))
      return RouteInput(
        compartment: try n.required("compartment", "the compartment this part of the dose enters").string(),
        fraction: try n.optional("fraction")?.string(),
        laterDevicesFraction: try n.optional("later_devices_fraction")?.string(),
        duration: try n.optional("duration")?.string(), lag: try n.optional("lag")?.string())
    }
    var device: DoseDevice?
    if let d = try node.optional("device") {
      try d.checkKeys(["amount", "interval"])
      let amountNode = try d.required("amount", "the amount in one device, e.g. 28 mg")
      let amount = try ScenarioFileReader._value(amountNode) { t throws(QuantityError) in
        try QuantityParser.dose(t)
      }
      guard case .amount(let a) = amount, !a.perKilogram, a.milligrams > 0 else {
        throw amountNode.error("expected an amount such as 28 mg")
      }
      let intervalNode = try d.required("interval", "the time between devices, e.g. 5 min")
      let (v, u) = try ScenarioFileReader._value(intervalNode) { t throws(QuantityError) in
        try QuantityParser.time(t, what: "an interval")
      }
      guard v >= 0 else { throw intervalNode.error("expected an interval of 0 or more") }
      device = DoseDevice(amount: a.milligrams, interval: u.toHours(v))
    }
    let inputs: [RouteInput]
    if let list = try node.optional("inputs") {
      if try node.optional("compartment") != nil {
        throw node.error("expected either 'compartment' (one input) or 'inputs' (a list), not both")
      }
      inputs = try list.sequence().map { n throws(InputError) in
        try input(n, devices: device != nil, whole: false)
      }
    } else {
      inputs = [try input(node, devices: device != nil, whole: true)]
    }
    return RouteDefinition(
      route: route, inputs: inputs, device: device, source: try node.optional("source")?.string())
  }

  /// The absorption data an `absorption: NAME` key brings in from `absorption/NAME.yaml` beside
  /// the model file: depots, their parameters and flows, and routes labelled with the file's
  /// citation.
  static func _absorption(_ node: LocatedNode, modelFile: String) throws(InputError) -> _Structure {
    let name = try node.string()
    guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
      throw node.error("expected the name of a file in absorption/, e.g. racemic-ketamine")
    }
    let directory = URL(fileURLWithPath: modelFile).deletingLastPathComponent()
    let path = directory.appendingPathComponent("absorption").appendingPathComponent("\(name).yaml").path
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw node.error("cannot read the absorption file \(path) (\(_reason(error)))")
    }
    let root = try LocatedNode.parse(yaml: text, file: path)
    try root.checkKeys(["name", "description", "citation", "parameters", "compartments", "flows", "routes"])
    _ = try root.required("description", "what the absorption data are and how they are combined")
    let citation = try root.required("citation", "the studies the route data come from").string()
    var structure = try _structure(root, routesRequired: false)
    for i in structure.routes.indices where structure.routes[i].source == nil {
      structure.routes[i].source = "absorption/\(name): \(citation)"
    }
    return structure
  }

  private static func _parameter(name: String, _ node: LocatedNode) throws(InputError) -> Parameter {
    try node.checkKeys(["value", "expression", "unit", "description", "provenance", "source", "enzymes"])
    let valueNode = try node.optional("value")
    let expressionNode = try node.optional("expression")
    guard (valueNode == nil) != (expressionNode == nil) else {
      throw node.error("expected exactly one of value (a published number) or expression")
    }
    let definition: Parameter.Definition
    if let valueNode {
      definition = .value(try valueNode.number())
    } else {
      let text = try expressionNode!.string()
      do {
        definition = .expression(try ExpressionParser.parse(text), text: text)
      } catch {
        throw expressionNode!.error("cannot read the expression '\(text)': \(error)")
      }
    }
    let unitNode = try node.required("unit", "a unit such as L, L/h or 1/min")
    let unitText = try unitNode.string()
    let parsed: ParameterUnitParser.ParsedUnit
    do { parsed = try ParameterUnitParser.parse(unitText) } catch { throw unitNode.error(error.message) }
    var provenance = Parameter.Provenance.derived
    if let provNode = try node.optional("provenance") {
      guard let p = Parameter.Provenance(rawValue: try provNode.string()) else {
        throw provNode.error("expected printed, transcribed or derived, found \(provNode.kind)")
      }
      provenance = p
    } else if valueNode != nil {
      throw InputError(
        source: node.file, line: node.line, field: "\(node.path).provenance",
        message: "is missing; expected printed, transcribed or derived")
    }
    var pathway: EnzymePathway?
    if let e = try node.optional("enzymes") {
      try e.checkKeys(["site", "fractions"])
      let siteNode = try e.required("site", "liver or gut")
      guard let site = EnzymeSite(rawValue: try siteNode.string()) else {
        throw siteNode.error("expected liver or gut, found \(siteNode.kind)")
      }
      var fractions: [(enzyme: String, fraction: Double)] = []
      for (enzyme, f) in try e.required("fractions", "each enzyme's fraction, e.g. {CYP2B6: 0.63}").mapping()
      {
        let fm = try f.number()
        guard (0...1).contains(fm) else { throw f.error("expected a fraction from 0 to 1, found \(fm)") }
        fractions.append((enzyme, fm))
      }
      pathway = EnzymePathway(site: site, fractions: fractions)
    }
    return Parameter(
      name: name, definition: definition, unit: unitText,
      description: try node.required("description", "what the parameter means").string(),
      provenance: provenance, dimension: parsed.dimension, factor: parsed.factor,
      perKilogram: parsed.perKilogram, pathway: pathway)
  }

  private static func _range(_ node: LocatedNode) throws(InputError) -> ValidatedRange {
    try node.checkKeys(["weight_kg", "age_years", "note"])
    func pair(_ key: String) throws(InputError) -> ClosedRange<Double>? {
      guard let n = try node.optional(key) else { return nil }
      let items = try n.sequence()
      guard items.count == 2 else { throw n.error("expected [min, max]") }
      let lo = try items[0].number()
      let hi = try items[1].number()
      guard lo <= hi else { throw n.error("expected min ≤ max, found [\(lo), \(hi)]") }
      return lo...hi
    }
    return ValidatedRange(
      weight: try pair("weight_kg"), age: try pair("age_years"),
      note: try node.optional("note")?.string() ?? "")
  }
}

/// A short reason for a Foundation file error.
func _reason(_ error: Error) -> String {
  let ns = error as NSError
  if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError {
    return String(cString: strerror(Int32(underlying.code)))
  }
  if ns.domain == NSCocoaErrorDomain && ns.code == NSFileReadNoSuchFileError { return "no such file" }
  return ns.localizedDescription
}
