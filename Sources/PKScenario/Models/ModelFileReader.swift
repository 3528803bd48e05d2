import Foundation
import PKCore

/// Reads a model file (YAML) into a `ModelDefinition`, with located errors.
///
/// The format is described in Models/README.md. Unknown keys are errors, so that a misspelt
/// key never silently drops a parameter.
public enum ModelFileReader {
  /// Reads and validates the model file at `path`.
  public static func read(path: String) throws(InputError) -> ModelDefinition {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw InputError(source: path, message: "cannot read the model file (\(_reason(error)))")
    }
    return try parse(yaml: text, file: path)
  }

  /// Parses model YAML; `file` names the source in errors.
  public static func parse(yaml: String, file: String) throws(InputError) -> ModelDefinition {
    let root = try LocatedNode.parse(yaml: yaml, file: file)
    try root.checkKeys([
      "name", "version", "drug", "description", "citation", "population", "sampling_site",
      "validated_range", "time_unit", "covariates", "parameters", "compartments", "flows", "outputs",
      "routes",
    ])
    let name = try root.required("name", "the model's short name, e.g. 'domino-1984'").string()
    let timeNode = try root.required("time_unit", "min or h")
    guard let timeUnit = QuantityParser.timeUnit(try timeNode.string()) else {
      throw timeNode.error("expected min or h, found \(timeNode.kind)")
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

    var parameters: [Parameter] = []
    for (key, node) in try root.required("parameters", "a mapping of parameter names to values").mapping() {
      parameters.append(try _parameter(name: key, node))
    }

    var compartments: [Compartment] = []
    for node in try root.required("compartments", "a list of compartments").sequence() {
      try node.checkKeys(["name", "volume"])
      compartments.append(
        Compartment(
          name: try node.required("name", "a compartment name").string(),
          volume: try node.optional("volume")?.string()))
    }

    var flows: [Flow] = []
    for node in try root.required("flows", "a list of flows").sequence() {
      try node.checkKeys(["from", "to", "rate_constant", "clearance"])
      let rate = try node.optional("rate_constant")?.string()
      let clearance = try node.optional("clearance")?.string()
      guard (rate == nil) != (clearance == nil) else {
        throw node.error("expected exactly one of rate_constant or clearance")
      }
      flows.append(
        Flow(
          from: try node.required("from", "the compartment the flow leaves").string(),
          to: try node.optional("to")?.string(),
          parameter: rate ?? clearance!,
          kind: rate != nil ? .rateConstant : .clearance))
    }

    var outputs: [Output] = []
    for node in try root.required("outputs", "a list of outputs").sequence() {
      try node.checkKeys(["name", "compartment"])
      outputs.append(
        Output(
          name: try node.required("name", "the analyte name, e.g. ketamine").string(),
          compartment: try node.required("compartment", "the compartment observed").string()))
    }

    var routes: [(route: Route, compartment: String)] = []
    for (key, node) in try root.required("routes", "a mapping of routes to compartments, e.g. iv: central")
      .mapping()
    {
      guard let route = Route(rawValue: key) else {
        throw node.error(
          "is not a route KetaSim knows; expected one of: "
            + Route.allCases.map(\.rawValue).joined(separator: ", "))
      }
      routes.append((route, try node.string()))
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
      routes: routes)
    do {
      try definition.validate()
    } catch {
      throw InputError(source: file, message: "the model is inconsistent: \(error)")
    }
    return definition
  }

  private static func _parameter(name: String, _ node: LocatedNode) throws(InputError) -> Parameter {
    try node.checkKeys(["value", "expression", "unit", "description", "provenance", "source"])
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
    return Parameter(
      name: name, definition: definition, unit: unitText,
      description: try node.required("description", "what the parameter means").string(),
      provenance: provenance, dimension: parsed.dimension, factor: parsed.factor,
      perKilogram: parsed.perKilogram)
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
