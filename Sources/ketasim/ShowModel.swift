import ArgumentParser
import PKCore
import PKScenario

/// `ketasim models show NAME`: parameters with units, effect sites and effects, and the derived
/// CL, Vss, half-lives and ke0.
struct ShowModel: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract:
      "Print a model's parameters with units, its effect sites and effects, and the derived CL, Vss, half-lives and ke0.",
    discussion:
      "With --graph, print the compartments, flows, routes and outputs as Graphviz DOT instead (ketasim models show domino-1984 --graph | dot -Tsvg > domino.svg)."
  )

  @Argument(help: "A bundled model name, or a model file path.")
  var name: String

  @Option(help: ArgumentHelp("Body weight for the derived quantities (default 70kg).", valueName: "weight"))
  var weight: String = "70kg"

  @Option(help: ArgumentHelp("Age for the derived quantities (default 40y).", valueName: "age"))
  var age: String = "40y"

  @Flag(help: "Print the model's structure as a Graphviz DOT graph.")
  var graph = false

  @OptionGroup var library: LibraryOptions

  func run() throws {
    let m: ModelDefinition
    do { m = try library.library.load(name) } catch {
      throw error.source == "model"
        ? InputError(source: "command line", field: "NAME", message: error.message) : error
    }
    if graph {
      print(ModelGraph.dot(m), terminator: "")
      return
    }
    let wt: Double
    do { wt = try QuantityParser.weight(weight) } catch {
      throw InputError(source: "command line", field: "--weight", message: error.message)
    }
    print("\(m.name): \(m.drug)")
    print("citation: \(m.citation)")
    print("population: \(m.population)")
    print("sampling site: \(m.samplingSite)")
    var range: [String] = []
    if let w = m.validatedRange.weight { range.append("weight \(w.lowerBound)–\(w.upperBound) kg") }
    if let a = m.validatedRange.age { range.append("age \(a.lowerBound)–\(a.upperBound) y") }
    if !m.validatedRange.note.isEmpty { range.append(m.validatedRange.note) }
    print("validated range: \(range.isEmpty ? "not reported" : range.joined(separator: "; "))")
    print("time unit of the parameters: \(m.timeUnit.symbol)")
    if !m.covariates.isEmpty {
      print("\ncovariates:")
      for c in m.covariates {
        let d = c.defaultValue.map { ", default \(CSVWriter().format($0))" } ?? ""
        print("  \(c.name) (\(c.unit)\(d)) — \(c.description)")
      }
    }
    print("\nparameters:")
    for p in m.parameters {
      switch p.definition {
      case .value(let v):
        print(
          "  \(p.name) = \(CSVWriter().format(v)) \(p.unit) — \(p.description) [\(p.provenance.rawValue)]")
      case .expression(_, let text):
        print("  \(p.name) = \(text) (\(p.unit)) — \(p.description)")
      }
    }
    if !m.enzymes.isEmpty {
      print("\nenzymes (change with --enzyme NAME=ACTIVITY or --with DRUG):")
      for e in m.enzymes { print("  \(e.name) — \(e.description)") }
      for p in m.parameters {
        guard let pathway = p.pathway else { continue }
        let parts = pathway.fractions.map { "\($0.enzyme) \(CSVWriter().format($0.fraction))" }
        print("  \(p.name) (\(pathway.site.rawValue)): " + parts.joined(separator: ", "))
      }
    }
    let v = m.variability
    if !v.isEmpty {
      print("\nbetween-subject variability (simulated with --subjects; ω² the variance of η):")
      for (k, e) in v.effects.enumerated() {
        var text =
          "  \(e.parameter): \(e.distribution.rawValue), ω² \(CSVWriter().format(v.covariance(k, k)))"
        let related = v.effects.indices.filter { $0 != k && v.covariance(k, $0) != 0 }
        for j in related where j > k {
          text += ", covariance with \(v.effects[j].parameter) \(CSVWriter().format(v.covariance(k, j)))"
        }
        print(text)
      }
      if let source = v.effects.first?.source { print("  source: \(source)") }
    }
    print("\noutputs (ng/mL):")
    for o in m.outputs {
      print("  \(o.columnName): \(o.compartment)" + (o.conversion.map { " × \($0)" } ?? ""))
    }
    for line in Self.effectLines(m) { print(line) }
    print("\nroutes:")
    for r in m.routes {
      var text = "  \(r.route.rawValue): "
      if let d = r.device {
        text +=
          "devices of \(CSVWriter().format(d.amount)) mg, \(CSVWriter().format(d.interval * 60)) min apart; "
      }
      text += r.inputs.map { i in
        var words = [i.compartment]
        if let f = i.fraction { words.append("× \(f)") }
        if let f = i.laterDevicesFraction { words.append("(later devices × \(f))") }
        if let d = i.duration { words.append("over \(d)") }
        if let l = i.lag { words.append("after \(l)") }
        return words.joined(separator: " ")
      }.joined(separator: " + ")
      print(text)
      if let source = r.source { print("      source: \(source)") }
    }
    let ageValue: Double
    do { ageValue = try QuantityParser.age(age) } catch {
      throw InputError(source: "command line", field: "--age", message: error.message)
    }
    let subject = Subject(weight: wt, age: ageValue)
    let model = try m.instantiate(for: subject)
    let s = try model.summary()
    let f = CSVWriter(digits: 4)
    var at: [String] = []
    if m.usesWeight { at.append("\(CSVWriter().format(wt)) kg") }
    if m.inputs.contains(where: { $0.name == Covariate.age }) {
      at.append("\(CSVWriter().format(ageValue)) y")
    }
    print(
      "\nderived\(at.isEmpty ? "" : " at " + at.joined(separator: ", ")) (IV\(m.isLinear ? "" : ", linearised at low concentration")):"
    )
    let perKg = m.usesWeight
    print(
      "  CL = \(f.format(s.clearance)) L/h"
        + (perKg ? " (\(f.format(s.clearance * 1000 / 60 / wt)) mL/min/kg)" : ""))
    print(
      "  Vss = \(f.format(s.steadyStateVolume)) L"
        + (perKg ? " (\(f.format(s.steadyStateVolume / wt)) L/kg)" : ""))
    let hl = s.halfLives.map { "\(f.format($0 * 60)) min" }.joined(separator: ", ")
    print("  half-lives: \(hl) (terminal \(f.format(s.halfLives.last! )) h)")
    for line in Self.ke0Lines(m, model: model, format: f) { print(line) }
    for r in m.routes where r.route != .iv {
      if let b = try model.bioavailability(route: r.route) {
        print("  F(\(r.route.rawValue)) = \(f.format(b))" + (r.device != nil ? " (first device)" : ""))
      }
    }
  }
}
