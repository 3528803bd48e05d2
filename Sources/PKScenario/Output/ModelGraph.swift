import PKCore

/// A model's compartments, flows, routes and outputs as a Graphviz DOT graph
/// (`ketasim models show NAME --graph | dot -Tsvg > model.svg`).
///
/// ```text
/// digraph "domino-1984" {
///   "central" [label="central\nV1 (volume)"];
///   "central" -> "peripheral1" [label="k12"];
///   "central" -> "eliminated" [label="k10"];
///   "route iv" -> "central";
///   "central" -> "output ketamine" [style=dashed];
/// }
/// ```
/// Compartments are boxes, the amount eliminated and quantities (non-drug states) are labelled
/// as such, routes are ellipses (with their fraction, duration and lag where given), outputs are
/// dashed, effect sites dotted (no drug moves along them). Saturable flows are labelled `Vmax/Km`, clearances `CL (clearance)`, rate expressions
/// `rate: <expression>`.
public enum ModelGraph {
  /// The DOT text of `model`.
  public static func dot(_ model: ModelDefinition) -> String {
    func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
    var lines = [
      "digraph \(quoted(model.name)) {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];",
    ]
    for c in model.compartments {
      var label = c.name
      if let v = c.volume { label += "\\n\(v) (volume)" }
      if let q = c.quantity { label += "\\nquantity (\(q))" }
      lines.append(
        "  \(quoted(c.name)) [label=\(quoted(label))\(c.quantity == nil ? "" : ", style=rounded")];")
    }
    lines.append("  \(quoted(CompartmentModel.eliminatedName)) [shape=plaintext];")
    let quantities = Set(model.compartments.filter { $0.quantity != nil }.map(\.name))
    if model.flows.contains(where: { $0.to == nil && quantities.contains($0.from) }) {
      lines.append("  \"(no compartment)\" [shape=plaintext];")
    }
    for f in model.flows {
      // Drug leaving without `to` is eliminated; a quantity's outflow goes nowhere.
      let to = f.to ?? (quantities.contains(f.from) ? "(no compartment)" : CompartmentModel.eliminatedName)
      let label: String
      switch f.kind {
      case .rateConstant: label = f.parameter
      case .clearance: label = "\(f.parameter) (clearance)"
      case .michaelisMenten(let km): label = "\(f.parameter)/\(km) (saturable)"
      case .expression(_, let text): label = "rate: \(text)"
      }
      lines.append("  \(quoted(f.from)) -> \(quoted(to)) [label=\(quoted(label))];")
    }
    for c in model.compartments {
      guard let e = c.effect else { continue }
      let label: String
      switch e.rate {
      case .ke0(let p): label = "ke0: \(p)"
      case .halfLife(let p): label = "t½ke0: \(p)"
      case .timeToPeak(let p): label = "ke0 for time to peak \(p)"
      }
      lines.append("  \(quoted(e.of)) -> \(quoted(c.name)) [label=\(quoted(label)), style=dotted];")
    }
    for r in model.routes {
      let node = "route \(r.route.rawValue)"
      lines.append("  \(quoted(node)) [shape=ellipse];")
      for input in r.inputs {
        var words: [String] = []
        if let f = input.fraction { words.append("× \(f)") }
        if let d = input.duration { words.append("over \(d)") }
        if let l = input.lag { words.append("after \(l)") }
        let label = words.isEmpty ? "" : " [label=\(quoted(words.joined(separator: " ")))]"
        lines.append("  \(quoted(node)) -> \(quoted(input.compartment))\(label);")
      }
    }
    for o in model.outputs {
      let node = "output \(o.name)"
      lines.append("  \(quoted(node)) [shape=note, label=\(quoted("\(o.columnName)"))];")
      lines.append("  \(quoted(o.compartment)) -> \(quoted(node)) [style=dashed];")
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }
}
