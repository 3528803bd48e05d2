import Foundation
import PKCore
import Testing

@testable import PKScenario

@Suite struct CSVWriterTests {
  func result() throws -> (SimulationResult, OutputGrid) {
    let definition = try RepositoryPaths.library.load("domino-1984")
    let subject = Subject(weight: 70)
    var sim = Simulator(model: try definition.instantiate(for: subject), subject: subject)
    let grid = try OutputGrid(until: (60, .minute), every: (1, .minute))
    let r = try sim.run(doses: [try RegimenParser.parse("2 mg/kg iv")], outputTimes: grid.hours)
    return (r, grid)
  }

  @Test func wideHeaderAndShortestRoundTrip() throws {
    let (r, grid) = try result()
    let text = try CSVWriter().render(r, grid: grid)
    let lines = text.split(separator: "\n")
    #expect(lines[0] == "time_min,ketamine_ng_per_ml,ketamine_effect_ng_per_ml")
    #expect(lines.count == 62)
    for (k, line) in lines.dropFirst().enumerated() {
      let fields = line.split(separator: ",")
      #expect(Double(fields[0]) == grid.times[k])
      #expect(Double(fields[1]) == r.concentration(0, at: k), "row \(k) does not read back exactly")
    }
    #expect(lines[1] == "0,31746.031746031746,0")
  }

  @Test func amountsColumns() throws {
    let (r, grid) = try result()
    let text = try CSVWriter(includeAmounts: true).render(r, grid: grid)
    let header = text.prefix(while: { $0 != "\n" })
    #expect(
      header
        == "time_min,ketamine_ng_per_ml,ketamine_effect_ng_per_ml,central_mg,peripheral1_mg,peripheral2_mg,effect_mg/L,eliminated_mg"
    )
  }

  @Test func longFormat() throws {
    let (r, grid) = try result()
    let text = try CSVWriter(format: .long, includeAmounts: true).render(r, grid: grid)
    let lines = text.split(separator: "\n")
    #expect(lines[0] == "time,variable,value,unit")
    // Two outputs (plasma and effect site) and five states (three compartments, the effect
    // site in mg/L, the amount eliminated) per time.
    #expect(lines.count == 1 + 61 * 7)
    #expect(lines[1].hasPrefix("0,ketamine,31746.03"))
    #expect(lines[1].hasSuffix(",ng/mL"))
    #expect(lines[2] == "0,ketamine_effect,0,ng/mL")
    #expect(lines[3] == "0,central,140,mg")
    #expect(lines[6] == "0,effect,0,mg/L")
  }

  @Test func digitsRound() {
    let w = CSVWriter(digits: 4)
    #expect(w.format(31746.031746) == "3.175e+04")
    #expect(w.format(0.000123456) == "0.0001235")
    #expect(CSVWriter().format(-0.0) == "0")
    #expect(CSVWriter().format(1440) == "1440")
    #expect(CSVWriter().format(0.1) == "0.1")
  }

  @Test func nonFiniteIsAnError() {
    let r = SimulationResult(
      times: [0], stateNames: ["central", "eliminated"], outputs: [Output(name: "k", compartment: "central")],
      amounts: [0, 0], concentrations: [.nan], totalDose: 0)
    #expect(throws: SimulationError.self) {
      _ = try CSVWriter().render(r, grid: try OutputGrid(times: [0], unit: .hour))
    }
  }

  @Test func atomicWriteLeavesNoTemporaryFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ketasim-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("out.csv").path
    try AtomicFileWriter.write("a,b\n", to: path)
    try AtomicFileWriter.write("c,d\n", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "c,d\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
    #expect(throws: InputError.self) { try AtomicFileWriter.write("x", to: dir.path + "/missing/out.csv") }
  }
}
