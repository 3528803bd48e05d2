import Foundation
import PKCore
import PKSolver
import Testing
import _PKTestSupport

@testable import PKScenario

/// `ExactBatchSimulator`: every subject's concentrations and total dose are those of
/// `Simulator` (without amounts), bit for bit, whether it shares lanes with others, runs in a
/// group of its own timeline, alone (a dose it cannot batch, an error) or rerun alone after its
/// lane failed; and the outputs go to a caller's buffer when the batch needs no padding.
@Suite struct ExactBatchSimulatorTests {
  static func read(_ file: String) -> ModelDefinition {
    try! ModelFileReader.read(path: RepositoryPaths.models.appendingPathComponent(file).path)
  }

  /// kamp-2020 with log-normal random effects on CL, V1 and Q2 (its own file has none).
  static let kamp: ModelDefinition = {
    var d = read("kamp-2020.yaml")
    for p in ["CL", "V1", "Q2"] {
      d.variability.set(RandomEffect(parameter: p, source: "test"), variance: 0.09)
    }
    return d
  }()
  static let compiledKamp = try! CompiledModel(kamp)

  /// Subjects differing in weight and in every random effect.
  static func subjects(_ count: Int) -> [Subject] {
    (0..<count).map { k in
      let x = Double(k)
      return Subject(
        weight: 48 + 6.7 * x + 0.013 * x * x,
        covariates: [
          "ETA(CL)": 0.35 * sin(1.3 * x + 0.2), "ETA(V1)": 0.25 * cos(2.1 * x),
          "ETA(Q2)": 0.3 * sin(0.7 * x - 1),
        ])
    }
  }

  static func doses(_ texts: [String]) -> [Dose] { texts.map { try! RegimenParser.parse($0) } }

  /// The regimens: a bolus; a per-kg infusion (amounts and rates per subject); several doses;
  /// repeats; doses at output times after outputs before the first; routes with a zero-order
  /// input and a bioavailability (the kamp absorption module's im and oral).
  static let regimens: [String: [String]] = [
    "bolus": ["2 mg/kg iv"],
    "infusion": ["0.5 mg/kg iv over 40 min"],
    "infusion in groups": ["0.5 mg/kg iv over 50 min"],
    "bolus and later infusion": ["1 mg/kg iv", "0.5 mg/kg iv over 40 min at 6 h"],
    "repeats": ["20 mg iv over 30 min every 8 h x 3", "0.3 mg/kg iv every 8 h x 3"],
    "doses at output times": ["50 mg iv at 2 h", "25 mg iv over 1 h at 3.5 h", "10 mg iv at 3.5 h"],
    "im and oral": ["0.5 mg/kg im", "25 mg oral every 8 h x 3 at 1 h"],
    "rate per kg": ["1 mg/kg/h iv for 90 min at 0.5 h"],
    "back-to-back and overlapping infusions": [
      "10 mg iv over 8 h every 8 h x 3", "0.1 mg/kg iv over 10 h every 8 h x 2",
    ],
  ]

  /// An irregular grid (with a repeated time and times before, at and between the doses) and
  /// the 1-min grid over 24 h.
  static let grids: [String: [Double]] = [
    "irregular": [
      0, 0.01, 0.1, 0.25, 0.5, 2.0 / 3, 1, 1, 1.5, 2, 3, 3.5, 4.2, 6, 6.5, 2 * 3.25, 8, 8.01, 12, 16.75, 24,
    ],
    "1 min": (0...1440).map { Double($0) / 60 },
  ]

  /// The record engine's result for one subject, alone.
  static func single(
    _ compiled: CompiledModel, _ subject: Subject, doses: [Dose], times: [Double],
    solver: SolverOptions = SolverOptions()
  ) -> Result<SimulationResult, any Error> {
    Result {
      var simulator = Simulator(
        model: try compiled.instantiate(for: subject), subject: subject, solver: solver)
      simulator.reportsAmounts = false
      return try simulator.run(doses: doses, outputTimes: times)
    }
  }

  /// Runs the batch and expects every subject's concentrations, times and total dose to be
  /// `Simulator`'s bits, and a subject `Simulator` fails on to be alone with the same error.
  ///
  /// - Returns: the block, and per subject whether it was in the batch's values (not alone).
  @discardableResult
  static func expectSameAsSimulator(
    _ compiled: CompiledModel, subjects: [Subject], doses: [Dose], times: [Double],
    solver: SolverOptions = SolverOptions(), _ label: String
  ) -> (block: ExactBatchSimulator.Block, batched: [Bool]) {
    let batch = ExactBatchSimulator(model: compiled, solver: solver, regularRuns: RegularRunCache())
    let block = batch.run(subjects: subjects, doses: doses, outputTimes: times)
    #expect(block.alone.count == subjects.count && block.totalDoses.count == subjects.count, "\(label)")
    #expect(block.laneStride >= subjects.count, "\(label)")
    for (j, subject) in subjects.enumerated() {
      switch single(compiled, subject, doses: doses, times: times, solver: solver) {
      case .success(let expected):
        if let alone = block.alone[j], case .failure(let error) = alone {
          Issue.record("\(label): subject \(j) failed alone (\(error)); Simulator succeeds")
          continue
        }
        let got = block.result(j, model: compiled, times: times)
        let differ = zip(got.concentrations, expected.concentrations).filter {
          $0.bitPattern != $1.bitPattern
        }.count
        #expect(
          got.concentrations.count == expected.concentrations.count && differ == 0,
          "\(label): subject \(j), \(differ) of \(expected.concentrations.count) concentrations differ")
        if differ > 0,
          let k = expected.concentrations.indices.first(where: {
            got.concentrations[$0].bitPattern != expected.concentrations[$0].bitPattern
          })
        {
          Issue.record(
            "\(label): subject \(j), first at \(k): \(got.concentrations[k]) against \(expected.concentrations[k])"
          )
        }
        #expect(
          got.totalDose.bitPattern == expected.totalDose.bitPattern, "\(label): subject \(j), total dose")
        #expect(got.times == expected.times, "\(label): subject \(j), times")
        #expect(
          got.outputs == expected.outputs && got.stateNames == expected.stateNames, "\(label): subject \(j)")
      case .failure(let expected):
        guard let alone = block.alone[j], case .failure(let error) = alone else {
          Issue.record("\(label): subject \(j) is not a failure alone; Simulator throws \(expected)")
          continue
        }
        #expect("\(error)" == "\(expected)", "\(label): subject \(j)")
      }
    }
    return (block, block.alone.map { $0 == nil })
  }

  /// The distinct timelines (`Member.timeline`) of the subjects the batch takes: its groups.
  static func groups(_ compiled: CompiledModel, _ subjects: [Subject], doses: [Dose]) -> Int {
    let batch = ExactBatchSimulator(model: compiled, regularRuns: RegularRunCache())
    let timelines = subjects.compactMap { s in
      (try? batch.member(s, doses: doses))?.timeline.map(\.bitPattern)
    }
    return Set(timelines).count
  }

  /// Every regimen on the 1-min grid for 1, 3, 4, 7 and 13 subjects (padding lanes for all
  /// but 4) and on the irregular grid for 7,
  /// kamp-2020 with random effects: all of them in the batch (none alone), each `Simulator`'s
  /// bits.
  @Test(arguments: regimens.keys.sorted())
  func kampRegimensMatchSimulator(regimen: String) {
    let doses = Self.doses(Self.regimens[regimen]!)
    for (grid, times) in Self.grids.sorted(by: { $0.key < $1.key }) {
      // (The irregular grid for 7 only: each of its step lengths is a propagator per subject,
      // which costs in a debug build.)
      for count in grid == "1 min" ? [1, 3, 4, 7, 13] : [7] {
        let run = Self.expectSameAsSimulator(
          Self.compiledKamp, subjects: Self.subjects(count), doses: doses, times: times,
          "\(regimen), \(grid) grid, \(count) subjects")
        #expect(run.batched.allSatisfy { $0 }, "\(regimen), \(grid), \(count): every subject in the batch")
      }
    }
  }

  /// `Block.totalDoses` holds every subject's total dose, those simulated alone included (the
  /// documentation: "Per subject the total amount given (mg)").
  @Test func totalDosesOfSubjectsAlone() throws {
    let compiled = try CompiledModel(Self.read("conformance/nmtests-advan2.yaml"))
    let subjects = (0..<3).map { Subject(weight: 60 + 5 * Double($0)) }
    let doses = Self.doses(["100 mg iv", "50 mg iv over 1 h at 4 h"])
    let block = ExactBatchSimulator(model: compiled, regularRuns: RegularRunCache()).run(
      subjects: subjects, doses: doses, outputTimes: [0, 1, 2])
    for (j, subject) in subjects.enumerated() {
      #expect(block.alone[j] != nil)
      let expected = try Self.single(compiled, subject, doses: doses, times: [0, 1, 2]).get()
      #expect(block.totalDoses[j] == expected.totalDose, "subject \(j)")
    }
  }

  /// Per-kg infusions over a fixed time: each subject's duration is AMT / (AMT / 50 min), whose
  /// bits differ between weights (over 40 min they happen not to), so the subjects fall into
  /// several groups of one timeline; and a route whose zero-order input has a fraction (im,
  /// AMT·F / (AMT·F / 20 min)): still `Simulator`'s bits.
  @Test func perKgDurationsMakeSeveralGroups() {
    for texts in [["0.5 mg/kg iv over 50 min"], ["0.7 mg/kg im", "0.2 mg/kg iv over 40 min every 6 h x 2"]] {
      let doses = Self.doses(texts)
      let subjects = Self.subjects(13)
      let groups = Self.groups(Self.compiledKamp, subjects, doses: doses)
      #expect(groups > 1, "\(texts): the set-up has several timelines (found \(groups))")
      let run = Self.expectSameAsSimulator(
        Self.compiledKamp, subjects: subjects, doses: doses, times: Self.grids["1 min"]!, "\(texts), groups")
      #expect(run.batched.allSatisfy { $0 })
      #expect(!run.block.inDestination)
    }
  }

  /// A mix: a subject without a weight (per-kg doses and WT/70 cannot be evaluated), subjects
  /// whose η makes CL infinite or V1 NaN (refused when the parameters are evaluated), and one
  /// whose η makes CL huge but finite (it joins the lanes, its numbers fail there, and it is
  /// rerun alone): those go alone with `Simulator`'s error, the others are `Simulator`'s bits.
  @Test func subjectsThatFailGoAloneWithTheirError() {
    var subjects = Self.subjects(11)
    subjects[1].weight = nil
    subjects[4].covariates["ETA(CL)"] = 800  // exp(800) = ∞
    subjects[6].covariates["ETA(V1)"] = .nan
    subjects[9].covariates["ETA(CL)"] = 650  // e^650 ≈ 10^282: finite, numbers that fail
    for texts in [["2 mg/kg iv"], ["0.5 mg/kg iv over 40 min", "30 mg iv at 2 h"]] {
      for times in [Self.grids["irregular"]!, Self.grids["1 min"]!] {
        let run = Self.expectSameAsSimulator(
          Self.compiledKamp, subjects: subjects, doses: Self.doses(texts), times: times, "\(texts), mix")
        for j in [1, 4, 6, 9] { #expect(!run.batched[j], "\(texts): subject \(j) alone") }
        // Some of them join the lanes (their parameters evaluate) and fail there: rerun alone.
        let batch = ExactBatchSimulator(model: Self.compiledKamp, regularRuns: RegularRunCache())
        let joined = [1, 4, 6, 9].filter { j in
          (try? batch.member(subjects[j], doses: Self.doses(texts))) != nil
        }
        #expect(joined == [9], "\(texts): a lane that fails (joined: \(joined))")
        #expect(run.batched.filter { $0 }.count == 7, "\(texts): the others in the batch")
      }
    }
  }

  /// A model with a bioavailability F2 and a lag time ALAG2 on the compartment every dose goes
  /// into (nmtests-advan2): no subject can be batched, every one runs alone, with
  /// `Simulator`'s bits.
  @Test func dosesWithLagOrBioavailabilityRunAlone() throws {
    let compiled = try CompiledModel(Self.read("conformance/nmtests-advan2.yaml"))
    let subjects = (0..<6).map { k in
      Subject(
        weight: 60 + 5 * Double(k), covariates: ["LAGT": 0.25 * Double(k % 3), "BIOAV": 1 - 0.1 * Double(k)])
    }
    for texts in [["100 mg iv"], ["100 mg iv over 2 h", "50 mg iv at 6 h every 12 h x 2"]] {
      let run = Self.expectSameAsSimulator(
        compiled, subjects: subjects, doses: Self.doses(texts), times: Self.grids["irregular"]!,
        "nmtests \(texts)")
      #expect(run.batched.allSatisfy { !$0 }, "\(texts): every subject alone")
    }
  }

  /// A test model with a route lag that depends on the weight (each subject's records at its
  /// own times: groups of one, three padding lanes each), a device route split between two
  /// compartments (one input zero-order), an effect-site output, and a variant whose nasal
  /// compartment has a lag time ALAG3 (nasal doses alone).
  static func routesModel(alag3: Bool) -> String {
    TestModelYAML.header("routes") + """

      covariates:
        WT: {unit: kg, description: weight}
      parameters:
        V: {expression: "20 * (WT / 70)", unit: L, description: volume}
        CL: {expression: "5 * (WT / 70) ^ 0.75", unit: L/h, description: clearance}
        KA: {value: 1.2, unit: 1/h, description: absorption, provenance: derived}
        KN: {value: 3, unit: 1/h, description: nasal absorption, provenance: derived}
        KE0: {value: 2, unit: 1/h, description: ke0, provenance: derived}
        DPO: {value: 0.5, unit: h, description: oral input duration, provenance: derived}
        TLAG: {expression: "0.3 * WT / 70", unit: h, description: oral lag}
        FRN1: {value: 0.6, unit: fraction, description: nasal fraction, provenance: derived}
        FRN2: {value: 0.5, unit: fraction, description: later devices, provenance: derived}
        FSW: {value: 0.3, unit: fraction, description: swallowed, provenance: derived}
        DSW: {value: 0.25, unit: h, description: swallowed input duration, provenance: derived}\(
          alag3 ? "\n  ALAG3: {value: 0.1, unit: h, description: nasal lag, provenance: derived}" : "")
      compartments:
        - {name: depot}
        - {name: central, volume: V}
        - {name: nasal_depot}
        - {name: effect, effect_of: central, ke0: KE0}
      flows:
        - {from: depot, to: central, rate_constant: KA}
        - {from: nasal_depot, to: central, rate_constant: KN}
        - {from: central, clearance: CL}
      outputs:
        - {name: ketamine, compartment: central}
        - {name: ketamine_effect, compartment: effect}
      routes:
        iv: central
        oral: {compartment: depot, duration: DPO, lag: TLAG}
        nasal:
          device: {amount: 10 mg, interval: 5 min}
          inputs:
            - {compartment: nasal_depot, fraction: FRN1, later_devices_fraction: FRN2}
            - {compartment: central, fraction: FSW, duration: DSW}
      """
  }

  @Test func routesWithLagsDevicesAndAnEffectSite() throws {
    let plain = try CompiledModel(ModelFileReader.parse(yaml: Self.routesModel(alag3: false), file: "r.yaml"))
    let lagged = try CompiledModel(ModelFileReader.parse(yaml: Self.routesModel(alag3: true), file: "r.yaml"))
    let subjects = (0..<9).map { k in Subject(weight: 52 + 4.5 * Double(k)) }
    let cases: [(CompiledModel, [String], batched: Bool?, String)] = [
      (plain, ["5 mg/kg oral", "10 mg iv over 20 min at 1 h"], true, "oral with a lag per subject"),
      (plain, ["20 mg nasal", "5 mg iv"], true, "nasal devices"),
      (plain, ["30 mg nasal every 6 h x 2", "0.1 mg/kg iv over 50 min at 2 h"], true, "nasal repeats"),
      (plain, ["25 mg nasal"], false, "not a whole number of devices: every subject fails alone"),
      (lagged, ["30 mg nasal every 6 h x 2"], false, "ALAG3: alone"),
      (lagged, ["5 mg/kg oral", "10 mg iv at 1 h"], true, "ALAG3 unused: batched"),
    ]
    for (index, (compiled, texts, batched, label)) in cases.enumerated() {
      #expect(ExactBatchSimulator(model: compiled, regularRuns: RegularRunCache()).takesBatches)
      // (The irregular grid for the first two: each of its steps is a propagator per subject.)
      for (grid, times) in Self.grids.sorted(by: { $0.key < $1.key }) where index < 2 || grid == "1 min" {
        let run = Self.expectSameAsSimulator(
          compiled, subjects: subjects, doses: Self.doses(texts), times: times, "\(label), \(grid)")
        if let batched { #expect(run.batched.allSatisfy { $0 == batched }, "\(label)") }
      }
    }
    #expect(Self.groups(plain, subjects, doses: Self.doses(["5 mg/kg oral"])) == subjects.count)
  }

  /// Two outputs and five states (parent-metabolite-linear with random effects, oral and iv),
  /// and six states (fanta-otto-2021, subjects drawn by the population sampler): the batch's
  /// bits are `Simulator`'s.
  @Test func otherLinearModelsMatchSimulator() throws {
    var metabolite = Self.read("examples/parent-metabolite-linear.yaml")
    for p in ["VC", "CL", "CLM", "KA"] {
      metabolite.variability.set(RandomEffect(parameter: p, source: "test"), variance: 0.1)
    }
    let fanta = Self.read("fanta-otto-2021.yaml")
    for (definition, texts) in [
      (metabolite, ["100 mg oral every 12 h x 2", "20 mg iv over 15 min at 3 h"]),
      (fanta, ["0.5 mg/kg iv over 40 min", "10 mg iv at 5 h"]),
    ] {
      let compiled = try CompiledModel(definition)
      #expect(
        ExactBatchSimulator(model: compiled, regularRuns: RegularRunCache()).takesBatches,
        "\(definition.name)")
      let sampler = try SubjectSampler(
        seed: 99, base: Subject(weight: 70),
        distributions: [(Covariate.weight, .normal(mean: 70, sd: 12, lower: 40, upper: 120))],
        variability: definition.variability, model: definition.name)
      for count in [3, 8, 13] {
        let subjects = try (1...count).map { try sampler.subject(id: $0).subject }
        for (grid, times) in Self.grids.sorted(by: { $0.key < $1.key }) where count == 3 || grid == "1 min" {
          let run = Self.expectSameAsSimulator(
            compiled, subjects: subjects, doses: Self.doses(texts), times: times,
            "\(definition.name), \(count) subjects, \(grid)")
          #expect(run.batched.allSatisfy { $0 })
        }
      }
    }
  }

  /// The outputs into a caller's buffer: subject j of output o at time t at
  /// base + (t·O + o)·stride + j, and nothing else of the buffer is written, whether the
  /// subjects form one timeline without padding (8, 16), need padding lanes (7), form two
  /// timelines or include a subject alone.
  @Test func outputsIntoADestination() {
    let doses = Self.doses(["1 mg/kg iv", "20 mg iv over 30 min at 4 h"])
    let times = Self.grids["1 min"]!
    let o = Self.compiledKamp.outputCompartments.count
    let lead = 3
    let marker = Double(bitPattern: 0x7FF8_0000_0BAD_F00D)
    // Eight subjects of two timelines: a per-kg infusion over 50 min lasts AMT / (AMT / 50 min),
    // whose bits depend on the weight.
    let perKgInfusion = Self.doses(["0.5 mg/kg iv over 50 min"])
    let batch = ExactBatchSimulator(model: Self.compiledKamp, regularRuns: RegularRunCache())
    let candidates = Self.subjects(40)
    let timelines = candidates.map { try! batch.member($0, doses: perKgInfusion)!.timeline.map(\.bitPattern) }
    let odd = candidates.indices.filter { timelines[$0] != timelines[0] }
    #expect(!odd.isEmpty, "the set-up has two timelines")
    let twoTimelines = Array(candidates.prefix(7)) + odd.prefix(1).map { candidates[$0] }
    var missingWeight = Self.subjects(8)
    missingWeight[5].weight = nil
    let cases: [(subjects: [Subject], doses: [Dose], stride: Int, label: String)] = [
      (Self.subjects(8), doses, 10, "8 subjects"),
      (Self.subjects(16), doses, 19, "16 subjects"),
      (Self.subjects(8), doses, 8, "8 subjects, stride 8"),
      (Self.subjects(7), doses, 10, "7 subjects"),
      (missingWeight, doses, 10, "8 subjects, one alone"),
      (twoTimelines, perKgInfusion, 10, "8 subjects in two timelines"),
    ]
    for c in cases {
      let s = c.subjects.count
      let stride = c.stride
      var buffer = [Double](repeating: marker, count: lead + times.count * o * stride + 5)
      let block = buffer.withUnsafeMutableBufferPointer { b in
        ExactBatchSimulator(model: Self.compiledKamp, regularRuns: RegularRunCache()).run(
          subjects: c.subjects, doses: c.doses, outputTimes: times, into: (b.baseAddress! + lead, stride))
      }
      #expect(block.inDestination && block.values.isEmpty && block.laneStride == stride, "\(c.label)")
      for (j, subject) in c.subjects.enumerated() {
        let expected = Self.single(Self.compiledKamp, subject, doses: c.doses, times: times)
        guard case .success(let r) = expected else {
          #expect(block.alone[j] != nil, "\(c.label): subject \(j) fails, alone")
          continue
        }
        var differ = 0
        for t in times.indices {
          for k in 0..<o {
            let want = r.concentrations[t * o + k]
            let got = buffer[lead + (t * o + k) * stride + j]
            if got.bitPattern != want.bitPattern { differ += 1 }
          }
        }
        #expect(differ == 0, "\(c.label): subject \(j), \(differ) values differ")
      }
      // Nothing written beyond the subjects of each row, before the base or after the rows.
      var stray = 0
      for i in buffer.indices {
        let r = i - lead
        let inside = r >= 0 && r < times.count * o * stride && r % stride < s
        if !inside && buffer[i].bitPattern != marker.bitPattern { stray += 1 }
      }
      #expect(stray == 0, "\(c.label): \(stray) places written outside the subjects'")
    }
  }

  /// No output times, and no subjects: empty results, no crash.
  @Test func emptyRuns() {
    let doses = Self.doses(["1 mg/kg iv"])
    let batch = ExactBatchSimulator(model: Self.compiledKamp, regularRuns: RegularRunCache())
    let none = batch.run(subjects: [], doses: doses, outputTimes: [0, 1, 2])
    #expect(none.alone.isEmpty && none.totalDoses.isEmpty)
    Self.expectSameAsSimulator(
      Self.compiledKamp, subjects: Self.subjects(5), doses: doses, times: [], "no times")
  }

  /// Without output times no destination was written, and the block says so.
  @Test func noOutputTimesIsNotADestination() {
    let block = ExactBatchSimulator(model: Self.compiledKamp, regularRuns: RegularRunCache()).run(
      subjects: Self.subjects(3), doses: Self.doses(["1 mg/kg iv"]), outputTimes: [])
    #expect(!block.inDestination, "no destination was given")
  }

  /// The batch takes a linear model integrated exactly (the default and `exact`), not a
  /// nonlinear model, an adaptive method on a linear model, or more than six states.
  @Test func takesBatchesOnlyForExactLinearModels() throws {
    let runs = RegularRunCache()
    #expect(ExactBatchSimulator(model: Self.compiledKamp, regularRuns: runs).takesBatches)
    #expect(
      ExactBatchSimulator(model: Self.compiledKamp, solver: SolverOptions(method: .exact), regularRuns: runs)
        .takesBatches)
    for method in [SolverOptions.Method.dormandPrince54, .dormandPrince853, .rosenbrock43, .taylor] {
      #expect(
        !ExactBatchSimulator(
          model: Self.compiledKamp, solver: SolverOptions(method: method), regularRuns: runs
        )
        .takesBatches, "\(method)")
    }
    let mm = try CompiledModel(Self.read("examples/parent-metabolite-mm.yaml"))
    #expect(!ExactBatchSimulator(model: mm, regularRuns: runs).takesBatches)
    let ashraf = try CompiledModel(Self.read("ashraf-2018.yaml"))
    #expect(ashraf.compartmentCount + 1 > 6)
    #expect(!ExactBatchSimulator(model: ashraf, regularRuns: runs).takesBatches)
  }

  /// The type's documentation: a subject the batch cannot take (an adaptive method) is simulated
  /// alone by `Simulator`; so `run` on a model or method that does not take batches still gives
  /// `Simulator`'s numbers (a nonlinear model; dp5 on a linear one).
  @Test func runWithoutBatchesStillGivesSimulatorsNumbers() throws {
    let mm = try CompiledModel(Self.read("examples/parent-metabolite-mm.yaml"))
    let subjects = (0..<4).map { k in
      Subject(
        weight: 60 + 5 * Double(k), covariates: ["ETA_VMAX": 0.1 * Double(k), "ETA_VC": -0.05 * Double(k)])
    }
    let times = Self.grids["irregular"]!
    Self.expectSameAsSimulator(
      mm, subjects: subjects, doses: Self.doses(["3 mg/kg oral", "50 mg iv over 30 min at 6 h"]),
      times: times,
      "nonlinear model")
    Self.expectSameAsSimulator(
      Self.compiledKamp, subjects: Self.subjects(4), doses: Self.doses(["2 mg/kg iv"]), times: times,
      solver: SolverOptions(method: .dormandPrince54), "dp5 on kamp-2020")
  }

  /// A subject of more than `Matrix.smallKernelLimit` states is simulated alone by
  /// `Simulator`: ashraf-2018 has six compartments (seven states), so `run` gives each subject
  /// `Simulator`'s numbers (before `member` checked `takesBatches`, it stopped at
  /// `BatchExactLinearStepper`'s precondition "Up to 6 states.").
  @Test func modelsAboveSixStatesRunAlone() throws {
    let ashraf = try CompiledModel(Self.read("ashraf-2018.yaml"))
    Self.expectSameAsSimulator(
      ashraf, subjects: (0..<4).map { Subject(weight: 60 + 10 * Double($0)) },
      doses: Self.doses(["20 mg iv"]),
      times: Self.grids["irregular"]!, "ashraf-2018")
  }

  /// An output time within rounding after another (1 h and the next double) just as an
  /// infusion starts: the curve after it is the curve without that extra time (to rounding).
  /// The engine's grid run starts at the near-duplicate time, where `ExactLinearStepper` takes no
  /// step; it used to keep the gain of the first infusion's rate there (same step length), so the
  /// second infusion ran at the first's rate until the next event (see
  /// `BatchExactLinearStepperTests.gridRunAfterANoStepTargetUsesItsOwnInput`).
  @Test func nearDuplicateOutputTimeAtAnInfusionStart() throws {
    let doses = Self.doses(["10 mg iv over 30 min", "50 mg iv over 30 min at 1 h"])
    let grid = (0...120).map { Double($0) / 60 }
    var withExtra = grid
    withExtra.insert((1.0).nextUp, at: 61)
    let subjects = Self.subjects(4)
    let run = Self.expectSameAsSimulator(
      Self.compiledKamp, subjects: subjects, doses: doses, times: withExtra, "near-duplicate time")
    #expect(run.batched.allSatisfy { $0 })
    for (j, subject) in subjects.enumerated() {
      let plain = try Self.single(Self.compiledKamp, subject, doses: doses, times: grid).get()
      let extra = try Self.single(Self.compiledKamp, subject, doses: doses, times: withExtra).get()
      for t in [61, 75, 90, 120] {
        #expect(
          relativeError(extra.concentrations[t + 1], plain.concentrations[t]) < 1e-12,
          "subject \(j), \(t) min: \(extra.concentrations[t + 1]) against \(plain.concentrations[t])")
      }
    }
  }
}

/// `ExactBatchSimulator.Windows` run a window of output rows at a time, as an exact summary
/// runs it: the same values, bit for bit, as one whole run (and so as `Simulator`), whatever
/// the windows, with doses inside windows, at their edges and after the last output, with
/// several timelines in a batch and subjects alone.
@Suite struct ExactBatchWindowsTests {
  typealias T = ExactBatchSimulatorTests

  /// Runs `subjects` in windows of `window` rows into a buffer of `stride` values per row and
  /// output, returning the values as (t·O + o)·stride + j.
  static func windowed(
    _ compiled: CompiledModel, _ subjects: [Subject], doses: [Dose], times: [Double], window: Int, stride: Int
  ) -> (values: [Double], failed: Bool) {
    let simulator = ExactBatchSimulator(model: compiled, regularRuns: RegularRunCache())
    var windows = simulator.windows(subjects: subjects, doses: doses, outputTimes: times)
    let o = compiled.outputCompartments.count
    var all = [Double](repeating: .nan, count: times.count * o * stride)
    var part: [Double] = []
    for first in Swift.stride(from: 0, to: times.count, by: window) {
      let end = min(first + window, times.count)
      // NaN where nothing is written: a place past the subjects must stay NaN.
      part = [Double](repeating: .nan, count: window * o * stride)
      part.withUnsafeMutableBufferPointer {
        windows.run(untilRow: end, into: $0.baseAddress!, stride: stride, firstRow: first)
      }
      #expect(windows.row == end)
      for q in 0..<((end - first) * o * stride) { all[first * o * stride + q] = part[q] }
    }
    return (all, windows.failed)
  }

  @Test(arguments: [1, 7, 32, 1441])
  func windowsGiveTheWholeRunsBits(window: Int) throws {
    let times = T.grids["1 min"]!
    let o = T.compiledKamp.outputCompartments.count
    for (name, texts, count) in [
      ("infusion", ["0.5 mg/kg iv over 40 min"], 4),
      ("infusion, padded", ["0.5 mg/kg iv over 40 min"], 6),
      ("several timelines", ["0.5 mg/kg iv over 50 min"], 13),
      ("repeats", ["20 mg iv over 30 min every 8 h x 3", "0.3 mg/kg iv every 8 h x 3"], 5),
      ("a dose after the last output", ["1 mg/kg iv", "10 mg iv at 30 h"], 4),
      ("im, with a lag: alone", ["0.5 mg/kg im"], 3),
    ] {
      let doses = T.doses(texts)
      let subjects = T.subjects(count)
      let stride = count + 3
      let (values, failed) = Self.windowed(
        T.compiledKamp, subjects, doses: doses, times: times, window: window, stride: stride)
      #expect(!failed, "\(name)")
      for (j, subject) in subjects.enumerated() {
        let reference = try T.single(T.compiledKamp, subject, doses: doses, times: times).get()
        let mine = (0..<(times.count * o)).map { values[$0 * stride + j] }
        #expect(
          mine.map(\.bitPattern) == reference.concentrations.map(\.bitPattern),
          "\(name), window \(window), subject \(j) of \(count)")
      }
      // Nothing is written past the subjects (no padding lane in another's place).
      for q in 0..<(times.count * o) {
        for j in count..<stride { #expect(values[q * stride + j].isNaN, "\(name): place \(j) written") }
      }
    }
  }

  /// A subject that fails alone, or in its lane, makes the batch failed.
  @Test func failuresAreReported() {
    var failing = T.subjects(4)
    failing[1] = Subject(covariates: ["ETA(CL)": 0.1])  // no weight: cannot be evaluated
    let times = T.grids["irregular"]!
    #expect(
      Self.windowed(
        T.compiledKamp, failing, doses: T.doses(["2 mg/kg iv"]), times: times, window: 5, stride: 4
      ).failed)
    #expect(
      !Self.windowed(
        T.compiledKamp, T.subjects(4), doses: T.doses(["2 mg/kg iv"]), times: times, window: 5, stride: 4
      ).failed)
  }
}
