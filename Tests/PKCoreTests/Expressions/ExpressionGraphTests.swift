import PKCore
import Testing

/// `ExpressionGraph`: evaluation order and slot layout, and the unknown-name, cycle, duplicate
/// and shadowing errors.
@Suite struct ExpressionGraphTests {
  /// Parses `name = text` pairs (test helper).
  static func definitions(_ pairs: KeyValuePairs<String, String>) throws -> [(
    name: String, expression: Expression
  )] {
    try pairs.map { (name: $0.key, expression: try ExpressionParser.parse($0.value)) }
  }

  @Test func definitionsComeAfterWhatTheyUse() throws {
    let graph = try ExpressionGraph(
      definitions: Self.definitions(["V": "CL * 10", "KA": "2", "CL": "1.1 * (WT / 70) ^ 0.75"]),
      inputs: ["WT"])
    #expect(graph.definitions.map(\.name) == ["CL", "V", "KA"])
    #expect(graph.slots == ["WT": 0, "CL": 1, "V": 2, "KA": 3])
    #expect(graph.inputs == ["WT"])
  }

  @Test func anOrderedSetKeepsItsOrder() throws {
    let graph = try ExpressionGraph(
      definitions: Self.definitions(["TVCL": "1.1 * WT", "CL": "TVCL * 2", "V": "TVCL + CL", "K": "CL / V"]),
      inputs: ["AGE", "WT"])
    #expect(graph.definitions.map(\.name) == ["TVCL", "CL", "V", "K"])
    #expect(graph.slots == ["AGE": 0, "WT": 1, "TVCL": 2, "CL": 3, "V": 4, "K": 5])
  }

  @Test func untakenBranchesAreDependenciesToo() throws {
    let graph = try ExpressionGraph(
      definitions: Self.definitions(["R2": "if MODE == 1 then RAT2 else 0", "RAT2": "0.3"]),
      inputs: ["MODE"])
    #expect(graph.definitions.map(\.name) == ["RAT2", "R2"])
  }

  @Test func unknownName() throws {
    let error = ExpressionGraphError.undefinedName("WTT", usedBy: "CL")
    #expect(throws: error) {
      try ExpressionGraph(
        definitions: Self.definitions(["V": "70", "CL": "1.1 * (WTT / 70) ^ 0.75 + V + AGEE"]),
        inputs: ["WT"])
    }
    #expect(
      error.description == "parameter 'CL' uses 'WTT', which is not a parameter, covariate or data column")
  }

  @Test func cycleIsNamedInOrder() throws {
    #expect(throws: ExpressionGraphError.cycle(["CL", "V", "CL"])) {
      try ExpressionGraph(definitions: Self.definitions(["CL": "V * 2", "V": "CL / 3"]), inputs: [])
    }
    #expect(ExpressionGraphError.cycle(["CL", "V", "CL"]).description == "circular definition: CL → V → CL")
    #expect(throws: ExpressionGraphError.cycle(["A", "A"])) {
      try ExpressionGraph(definitions: Self.definitions(["A": "A + 1"]), inputs: [])
    }
    // The path into the cycle (D) is not part of it.
    #expect(throws: ExpressionGraphError.cycle(["A", "B", "C", "A"])) {
      try ExpressionGraph(
        definitions: Self.definitions(["D": "A", "A": "B", "B": "WT + C", "C": "if A then 1 else 2"]),
        inputs: ["WT"])
    }
  }

  @Test func duplicateDefinition() throws {
    #expect(throws: ExpressionGraphError.duplicateDefinition("CL")) {
      try ExpressionGraph(definitions: Self.definitions(["CL": "1", "V": "2", "CL": "3"]), inputs: [])
    }
    #expect(ExpressionGraphError.duplicateDefinition("CL").description == "'CL' is defined more than once")
  }

  @Test func definitionShadowingAnInput() throws {
    #expect(throws: ExpressionGraphError.shadowsInput("WT")) {
      try ExpressionGraph(definitions: Self.definitions(["CL": "WT", "WT": "70"]), inputs: ["WT"])
    }
    #expect(
      ExpressionGraphError.shadowsInput("WT").description
        == "parameter 'WT' has the name of a covariate or data column")
  }

  @Test func anEmptyGraphIsValid() throws {
    let graph = try ExpressionGraph(definitions: [], inputs: ["WT"])
    #expect(graph.definitions.isEmpty)
    #expect(try graph.compile().evaluate(inputs: [70]) == [70])
  }
}
