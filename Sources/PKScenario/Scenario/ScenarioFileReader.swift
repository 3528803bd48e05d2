import Foundation
import PKCore

/// Reads a scenario file (YAML) with located errors.
///
/// ```yaml
/// model: domino-1984              # bundled name, or a path relative to this file
/// subject: {weight: 70 kg, age: 40 y, sex: female, covariates: {ASIAN: 1}}
/// enzymes: {CYP3A4: 0.2}          # optional: activities (1 normal), for models naming enzymes
/// with: [clarithromycin]          # optional: interacting drugs (Models/interactions/)
/// doses:
///   - 0.5 mg/kg iv over 40 min    # the regimen grammar (RegimenParser)
///   - {amount: 20 mg, route: iv, time: 6 h}            # or structured fields
///   - {rate: 1 mg/kg/h, duration: 60 min, every: 24 h, count: 3}
/// output: {until: 24 h, every: 1 min}                   # or {times: [0, 5, 10], unit: min}
/// thresholds: [awakening, 100 ng/mL]   # optional: landmark names (Models/landmarks/) or concentrations
/// metrics: metrics.csv            # optional: exposure metrics, a path relative to this file
/// ```
public enum ScenarioFileReader {
  /// Reads the scenario at `path`, loading its model from `library`.
  public static func read(path: String, library: ModelLibrary) throws(InputError) -> Scenario {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw InputError(source: path, message: "cannot read the scenario file (\(_reason(error)))")
    }
    let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
    return try parse(yaml: text, file: path, library: library, baseDirectory: base)
  }

  /// Parses scenario YAML; `file` names the source in errors.
  public static func parse(yaml: String, file: String, library: ModelLibrary, baseDirectory: String? = nil)
    throws(InputError) -> Scenario
  {
    let root = try LocatedNode.parse(yaml: yaml, file: file)
    try root.checkKeys([
      "description", "model", "subject", "enzymes", "with", "doses", "output", "population", "thresholds",
      "metrics",
    ])
    let modelNode = try root.required("model", "a bundled model name such as 'domino-1984', or a path")
    let model: ModelDefinition
    do {
      model = try library.load(try modelNode.string(), relativeTo: baseDirectory)
    } catch {
      throw error.source == "model" ? modelNode.error(error.message) : error
    }
    let subjectNode = try root.optional("subject")
    var subject = try _subject(subjectNode, file: file)
    if let node = try subjectNode?.optional("covariates") {
      for (name, value) in try node.mapping() {
        let number = try value.number()
        do { try model.setCovariate(name, to: number, on: &subject) } catch {
          throw value.error(error.description)
        }
      }
    }
    if let node = try root.optional("enzymes") {
      for (name, value) in try node.mapping() {
        let change = EnzymeActivity(enzyme: name, activity: try value.number())
        do { try model.apply(change, to: &subject) } catch { throw value.error(error.description) }
      }
    }
    if let node = try root.optional("with") {
      for item in try node.sequence() {
        let interaction: Interaction
        do { interaction = try library.interaction(try item.string()) } catch {
          throw error.source == "--with" ? item.error(error.message) : error
        }
        do { _ = try model.apply(interaction, to: &subject) } catch { throw item.error(error.description) }
      }
    }
    var doses: [Dose] = []
    var doseNodes: [LocatedNode] = []
    for node in try root.required("doses", "a list of doses such as '2 mg/kg iv'").sequence() {
      doses.append(try _dose(node))
      doseNodes.append(node)
    }
    if doses.isEmpty { throw root.error("'doses' is empty; expected at least one dose") }
    let grid = try _grid(try root.required("output", "the output grid, e.g. {until: 24 h, every: 1 min}"))
    let population = try root.optional("population").map { n throws(InputError) in
      try _population(n, model: model)
    }
    let thresholds = try root.optional("thresholds").map { n throws(InputError) in
      try _thresholds(n, library: library)
    }
    let metrics = try root.optional("metrics").map { n throws(InputError) in
      try _metricsPath(n, baseDirectory: baseDirectory, population: population != nil)
    }
    let scenario = Scenario(
      model: model, subject: subject, doses: doses, grid: grid,
      description: try root.optional("description")?.string(), population: population,
      thresholds: thresholds ?? [], metrics: metrics)
    try check(scenario, file: file, doseNodes: doseNodes)
    return scenario
  }

  /// Checks that the model can be instantiated for the subject and can take every dose.
  public static func check(_ scenario: Scenario, file: String) throws(InputError) {
    try check(scenario, file: file, doseNodes: nil)
  }

  /// `check`, reporting a dose the model cannot take at its node when `doseNodes` are given.
  static func check(_ scenario: Scenario, file: String, doseNodes: [LocatedNode]?) throws(InputError) {
    let model: CompartmentModel
    let subject = scenario.population.map { _typicalSubject(scenario.subject, $0) } ?? scenario.subject
    do { model = try scenario.model.instantiate(for: subject) } catch {
      throw InputError(source: file, message: error.description)
    }
    for (k, dose) in scenario.doses.enumerated() {
      do { _ = try DosingSchedule(doses: [dose], model: model, subject: subject) } catch {
        if let nodes = doseNodes { throw nodes[k].error(error.description) }
        let which = scenario.doses.count > 1 ? "dose \(k + 1): " : ""
        throw InputError(source: file, message: which + error.description)
      }
    }
  }

  static func _subject(_ node: LocatedNode?, file: String) throws(InputError) -> Subject {
    guard let node else { return Subject() }
    try node.checkKeys(["weight", "age", "sex", "covariates"])
    var subject = Subject()
    if let w = try node.optional("weight") {
      subject.weight = try _value(w) { t throws(QuantityError) in try QuantityParser.weight(t) }
    }
    if let a = try node.optional("age") {
      subject.age = try _value(a) { t throws(QuantityError) in try QuantityParser.age(t) }
    }
    if let s = try node.optional("sex") {
      subject.sex = try _value(s) { t throws(QuantityError) in try QuantityParser.sex(t) }
    }
    return subject
  }

  static func _dose(_ node: LocatedNode) throws(InputError) -> Dose {
    if node.node.scalar != nil {
      return try _value(node) { t throws(QuantityError) in try RegimenParser.parse(t) }
    }
    try node.checkKeys(["amount", "rate", "route", "time", "duration", "every", "count"])
    let amount = try node.optional("amount")
    let rate = try node.optional("rate")
    guard (amount == nil) != (rate == nil) else { throw node.error("expected exactly one of amount or rate") }
    let duration = try node.optional("duration").map { n throws(InputError) in
      try _value(n) { t throws(QuantityError) in try QuantityParser.positiveDuration(t) }
    }
    var route = Route.iv
    if let r = try node.optional("route") {
      let text = try r.string()
      guard let parsed = Route(word: text) else {
        throw r.error(
          "unknown route '\(text)'; supported: " + Route.allCases.map(\.rawValue).joined(separator: ", "))
      }
      route = parsed
    }
    let delivery: Dose.Delivery
    if let amount {
      let q = try _value(amount) { t throws(QuantityError) in try QuantityParser.dose(t) }
      guard case .amount(let a) = q else {
        throw amount.error(
          "expected an amount such as '20 mg' or '2 mg/kg', found a rate; use 'rate' and 'duration' for it")
      }
      guard a.milligrams > 0 else { throw amount.error("expected an amount above 0") }
      delivery = duration.map { .infusion(a, hours: $0) } ?? .bolus(a)
    } else {
      let q = try _value(rate!) { t throws(QuantityError) in try QuantityParser.dose(t) }
      guard case .rate(let r) = q else {
        throw rate!.error("expected a rate such as '1 mg/kg/h', found an amount; use 'amount' for it")
      }
      guard r.milligramsPerHour > 0 else { throw rate!.error("expected a rate above 0") }
      guard let duration else { throw node.error("a rate needs a 'duration', e.g. duration: 60 min") }
      delivery = .infusionAtRate(r, hours: duration)
    }
    var time = 0.0
    if let t = try node.optional("time") {
      let (v, u) = try _value(t) { s throws(QuantityError) in try QuantityParser.time(s) }
      guard v >= 0 else { throw t.error("expected a time of 0 or later") }
      time = u.toHours(v)
    }
    let every = try node.optional("every").map { n throws(InputError) in
      try _value(n) { t throws(QuantityError) in try QuantityParser.positiveDuration(t, what: "an interval") }
    }
    var count = 1
    if let c = try node.optional("count") {
      let text = try c.string()
      guard let n = Int(text), n >= 1 else {
        throw c.error("expected a whole number of doses (1 or more), found '\(text)'")
      }
      count = n
    }
    if count > 1 && every == nil {
      throw node.error("a count above 1 needs 'every', the interval between doses")
    }
    return Dose(time: time, route: route, delivery: delivery, interval: every, count: count)
  }

  static func _grid(_ node: LocatedNode) throws(InputError) -> OutputGrid {
    try node.checkKeys(["until", "every", "times", "unit"])
    if let timesNode = try node.optional("times") {
      var unit: TimeUnit? = nil
      if let u = try node.optional("unit") {
        let text = try u.string()
        guard let parsed = QuantityParser.timeUnit(text) else {
          throw u.error("expected a time unit (h, min, s, d), found '\(text)'")
        }
        unit = parsed
      }
      var values: [Double] = []
      for item in try timesNode.sequence() {
        let text = try item.string()
        if let x = parseNumber(text) {
          guard unit != nil else {
            throw item.error("a bare number needs 'unit' beside 'times', e.g. unit: min")
          }
          values.append(x)
        } else {
          let (v, u) = try _value(item) { s throws(QuantityError) in try QuantityParser.time(s) }
          if unit == nil { unit = u }
          values.append(v * (u.hours / unit!.hours))
        }
      }
      return try _value(timesNode) { _ throws(QuantityError) in
        try OutputGrid(times: values, unit: unit ?? .hour)
      }
    }
    let untilNode = try node.required("until", "the end time, e.g. 24 h (or 'times')")
    let everyNode = try node.required("every", "the step, e.g. 1 min")
    let until = try _value(untilNode) { s throws(QuantityError) in
      try QuantityParser.time(s, what: "an end time")
    }
    let every = try _value(everyNode) { s throws(QuantityError) in try QuantityParser.time(s, what: "a step")
    }
    return try _value(node) { _ throws(QuantityError) in try OutputGrid(until: until, every: every) }
  }

  /// Runs a parser on a scalar node's text, locating its error at the node.
  static func _value<T>(_ node: LocatedNode, _ parse: (String) throws(QuantityError) -> T) throws(InputError)
    -> T
  {
    let text = (try? node.string()) ?? ""
    do { return try parse(text) } catch { throw node.error(error.message) }
  }
}
