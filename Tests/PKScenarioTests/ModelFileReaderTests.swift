import PKCore
import Testing

@testable import PKScenario

@Suite struct ModelFileReaderTests {
  static let valid = """
    name: test-1cmt
    version: 1
    drug: racemic ketamine
    description: a test model
    citation: none
    population: none
    sampling_site: venous
    validated_range: {note: none}
    time_unit: h
    parameters:
      V: {value: 10, unit: L, description: volume, provenance: derived}
      CL: {value: 5, unit: L/h, description: clearance, provenance: derived}
    compartments:
      - {name: central, volume: V}
    flows:
      - {from: central, clearance: CL}
    outputs:
      - {name: ketamine, compartment: central}
    routes:
      iv: central
    """

  @Test func readsAValidModel() throws {
    let m = try ModelFileReader.parse(yaml: Self.valid, file: "t.yaml")
    #expect(m.parameters.map(\.name) == ["V", "CL"])
    #expect(m.flows == [Flow(from: "central", to: nil, parameter: "CL", kind: .clearance)])
    let s = try m.instantiate(for: Subject()).summary()
    #expect(s.clearance.isApproximatelyEqual(to: 5, relativeTolerance: 1e-12))
  }

  /// Each broken model gives an error naming the file, the line and the field.
  @Test(arguments: [
    ("unit: L/h, description: clearance", "unit: furlongs, description: clearance", 12, "parameters.CL.unit"),
    ("value: 5,", "value: five,", 12, "parameters.CL.value"),
    (
      "provenance: derived}\ncompartments", "provenance: guessed}\ncompartments", 12,
      "parameters.CL.provenance"
    ),
    ("time_unit: h", "time_unit: fortnight", 9, "time_unit"),
    ("  iv: central", "  subcutaneous: central", 20, "routes.subcutaneous"),
    (
      "  iv: central", "  iv: {inputs: [{compartment: central, device: {amount: 28 mg, interval: 5 min}}]}",
      20, "routes.iv.inputs[1].device"
    ),
    (
      "  iv: central", "  iv: {compartment: central, fraction: V, later_devices_fraction: V}", 20,
      "routes.iv.later_devices_fraction"
    ),
    ("version: 1", "version: 1\nflavour: mint", 3, "flavour"),
  ])
  func locatedErrors(original: String, replacement: String, line: Int, field: String) {
    let yaml = Self.valid.replacingOccurrences(of: original, with: replacement)
    #expect {
      _ = try ModelFileReader.parse(yaml: yaml, file: "t.yaml")
    } throws: { error in
      let e = error as! InputError
      return e.source == "t.yaml" && e.line == line && e.field == field
    }
  }

  @Test(arguments: [
    ("{from: central, clearance: CL}", "{from: nowhere, clearance: CL}", "unknown compartment 'nowhere'"),
    ("{from: central, clearance: CL}", "{from: central, clearance: QQ}", "'QQ'"),
    ("{from: central, clearance: CL}", "{from: central, rate_constant: CL}", "rate constant"),
    (
      "{name: ketamine, compartment: central}", "{name: ketamine, compartment: gut}",
      "unknown compartment 'gut'"
    ),
  ])
  func inconsistentModels(original: String, replacement: String, message: String) {
    let yaml = Self.valid.replacingOccurrences(of: original, with: replacement)
    #expect {
      _ = try ModelFileReader.parse(yaml: yaml, file: "t.yaml")
    } throws: { error in
      let e = error as! InputError
      return e.description.contains(message) && e.description.hasPrefix("t.yaml")
    }
  }

  @Test func missingKeyIsNamed() {
    let yaml = Self.valid.replacingOccurrences(of: "citation: none\n", with: "")
    #expect {
      _ = try ModelFileReader.parse(yaml: yaml, file: "t.yaml")
    } throws: { error in
      (error as! InputError).field == "citation"
    }
  }

  @Test func unparsableYAMLHasALine() {
    #expect {
      _ = try ModelFileReader.parse(yaml: "name: [x\nversion: 1\n", file: "t.yaml")
    } throws: { error in
      let e = error as! InputError
      return e.line != nil && e.message.contains("not valid YAML")
    }
  }

  @Test func missingFile() {
    #expect {
      _ = try ModelFileReader.read(path: "/nonexistent/model.yaml")
    } throws: { error in
      (error as! InputError).description.contains("/nonexistent/model.yaml")
    }
  }
}
