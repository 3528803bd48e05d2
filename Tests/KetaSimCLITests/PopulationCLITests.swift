import Foundation
import Testing

/// Population runs through the binary: reproducible curves and summaries, shards and merge,
/// subjects files, scenario populations, metadata sidecars and every bad-input message.
@Suite struct PopulationCLITests {
  static let kamp = [
    "run", "--model", "kamp-2020", "--weight", "70kg", "--dose", "0.5 mg/kg iv over 40 min", "--until", "3h",
    "--every", "15min", "--variability", "CL=0.3,V1=0.3", "--seed", "2026",
  ]

  @Test func curvesAreTheSameOnOneOrTwoThreads() throws {
    let one = try CLIRunner.run(Self.kamp + ["--subjects", "25", "--threads", "1"])
    let two = try CLIRunner.run(Self.kamp + ["--subjects", "25", "--threads", "2"])
    #expect(one.status == 0, "stderr: \(one.stderr)")
    #expect(one.stdout == two.stdout)
    let lines = one.stdout.split(separator: "\n")
    #expect(lines[0] == "id,time_min,ketamine_ng_per_ml")
    #expect(lines.count == 1 + 25 * 13)
    #expect(lines.last!.hasPrefix("25,180,"))
  }

  /// Without `OPENBLAS_NUM_THREADS` the binary sets OpenBLAS to one thread and stops its idle
  /// workers at start-up (`BLASThreads.set`); LAPACK still works after that (the variability's
  /// Cholesky factor) and the curves are the bytes of runs with OpenBLAS left at one or two
  /// threads by the variable.
  @Test func stoppingOpenBLASWorkersChangesNoByte() throws {
    let arguments = Self.kamp + ["--subjects", "25", "--threads", "2"]
    let stopped = try CLIRunner.run(arguments, removing: ["OPENBLAS_NUM_THREADS"])
    #expect(stopped.status == 0, "stderr: \(stopped.stderr)")
    for threads in ["1", "2"] {
      let kept = try CLIRunner.run(arguments, environment: ["OPENBLAS_NUM_THREADS": threads])
      #expect(kept.status == 0, "stderr: \(kept.stderr)")
      #expect(kept.stdout == stopped.stdout, "OPENBLAS_NUM_THREADS=\(threads)")
    }
  }

  /// Output to a path that is not a regular file (a named pipe here, as /dev/null) is written
  /// in place: the pipe stays a pipe (a temporary file renamed onto it would replace it), its
  /// reader gets the curves, and no metadata file is put beside it.
  @Test func outputToANamedPipeIsWrittenInPlace() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let fifo = dir.appendingPathComponent("curves.pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    // The read end, opened first without waiting for a writer; the curves (about 1 kB) fit in
    // the pipe's buffer, so the run does not wait for them to be read. A run that never opened
    // the pipe leaves it empty.
    let reader = open(fifo, O_RDONLY | O_NONBLOCK)
    #expect(reader >= 0)
    defer { close(reader) }
    let run = try CLIRunner.run(Self.kamp + ["--subjects", "3", "-o", fifo])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = read(reader, &chunk, chunk.count)
      if count <= 0 { break }
      bytes += chunk[..<count]
    }
    let piped = String(decoding: bytes, as: UTF8.self)
    let direct = try CLIRunner.run(Self.kamp + ["--subjects", "3"])
    #expect(piped == direct.stdout)
    var info = stat()
    #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    #expect(!FileManager.default.fileExists(atPath: fifo + ".json"))
  }

  /// Three shards merged give the bytes of one shard merged, for summaries (sketches) and for
  /// per-subject curves and exposure tables.
  @Test func shardsMergeToTheSameBytes() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    for (k, n) in [(1, 1), (1, 3), (2, 3), (3, 3)] {
      let summary = try CLIRunner.run(
        Self.kamp + [
          "--subjects", "30", "--summary", "--fraction-above", "200ng/mL", "--shard", "\(k)/\(n)", "-o",
          path("s\(k)of\(n).json"), "--exposure", path("x\(k)of\(n).csv"),
        ])
      #expect(summary.status == 0, "stderr: \(summary.stderr)")
      let curves = try CLIRunner.run(
        Self.kamp + ["--subjects", "30", "--shard", "\(k)/\(n)", "-o", path("c\(k)of\(n).csv")])
      #expect(curves.status == 0, "stderr: \(curves.stderr)")
    }
    for (kind, ext) in [("s", "json"), ("x", "csv"), ("c", "csv")] {
      let one = try CLIRunner.run(["merge", "-o", path("\(kind)-one.csv"), path("\(kind)1of1.\(ext)")])
      let three = try CLIRunner.run([
        "merge", "-o", path("\(kind)-three.csv"), path("\(kind)3of3.\(ext)"), path("\(kind)1of3.\(ext)"),
        path("\(kind)2of3.\(ext)"),
      ])
      #expect(one.status == 0 && three.status == 0, "stderr: \(one.stderr) \(three.stderr)")
      let a = try String(contentsOfFile: path("\(kind)-one.csv"), encoding: .utf8)
      let b = try String(contentsOfFile: path("\(kind)-three.csv"), encoding: .utf8)
      #expect(a == b, "\(kind)")
      #expect(!a.isEmpty)
    }
    let header = try String(contentsOfFile: path("s-one.csv"), encoding: .utf8).split(separator: "\n")[0]
    #expect(
      header
        == "time_min,ketamine_ng_per_ml_mean,ketamine_ng_per_ml_p5,ketamine_ng_per_ml_p25,ketamine_ng_per_ml_p50,ketamine_ng_per_ml_p75,ketamine_ng_per_ml_p95,ketamine_ng_per_ml_above_200"
    )
    let meta = try String(contentsOfFile: path("s-one.csv.json"), encoding: .utf8)
    #expect(meta.contains("\"relativeErrorBound\" : 0.001") && meta.contains("DDSketch"))
    // A missing shard, a repeated one and another run are refused.
    let missing = try CLIRunner.run(["merge", "-o", path("m.csv"), path("s1of3.json"), path("s3of3.json")])
    #expect(missing.status == 2 && missing.stderr.contains("2/3 are missing"), "stderr: \(missing.stderr)")
    let twice = try CLIRunner.run([
      "merge", "-o", path("m.csv"), path("s1of3.json"), path("s1of3.json"), path("s2of3.json"),
    ])
    #expect(twice.status == 2 && twice.stderr.contains("give each shard once"), "stderr: \(twice.stderr)")
    let mixed = try CLIRunner.run([
      "merge", "-o", path("m.csv"), path("s1of3.json"), path("x2of3.csv"), path("s3of3.json"),
    ])
    #expect(mixed.status == 2, "stderr: \(mixed.stderr)")
    #expect(!FileManager.default.fileExists(atPath: path("m.csv")))
    // A shard of the earlier logarithmic bucket mapping (its sketches name no mapping) is
    // refused with a message to write it again, not merged into wrong percentiles.
    let old = try String(contentsOfFile: path("s2of3.json"), encoding: .utf8)
      .replacingOccurrences(of: #""mapping":"cubic","#, with: "")
    #expect(!old.contains("\"mapping\""))
    try old.write(toFile: path("old2of3.json"), atomically: true, encoding: .utf8)
    try FileManager.default.copyItem(atPath: path("s2of3.json.json"), toPath: path("old2of3.json.json"))
    let older = try CLIRunner.run([
      "merge", "-o", path("m.csv"), path("s1of3.json"), path("old2of3.json"), path("s3of3.json"),
    ])
    #expect(
      older.status == 2 && older.stderr.contains("old2of3.json") && older.stderr.contains("older ketasim")
        && older.stderr.contains("write it again"),
      "stderr: \(older.stderr)")
    #expect(!FileManager.default.fileExists(atPath: path("m.csv")))
  }

  @Test func summaryAndMetadata() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("summary.csv").path
    let r = try CLIRunner.run(
      Self.kamp + ["--subjects", "50", "--summary", "--percentiles", "10,50,90", "-o", out])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
    #expect(
      lines[0]
        == "time_min,ketamine_ng_per_ml_mean,ketamine_ng_per_ml_p10,ketamine_ng_per_ml_p50,ketamine_ng_per_ml_p90"
    )
    #expect(lines.count == 14)
    let meta = try String(contentsOfFile: out + ".json", encoding: .utf8)
    for needle in [
      "\"seed\" : 2026", "\"name\" : \"kamp-2020\"", "Kamp J", "\"kind\" : \"summary\"", "exact: type 7",
      "\"parameter\" : \"CL\"", "0.5 mg/kg iv over", "\"relativeTolerance\"", "\"ketasimVersion\"",
    ] {
      #expect(meta.contains(needle), "metadata lacks \(needle)")
    }
  }

  @Test func subjectsFileAndScenarioPopulation() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let subjects = dir.appendingPathComponent("subjects.csv").path
    try "ID,WT,AGE,SEX\n7,55,30,F\n3,90,60,M\n".write(toFile: subjects, atomically: true, encoding: .utf8)
    let r = try CLIRunner.run([
      "run", "--model", "kamp-2020", "--dose", "0.5 mg/kg iv over 40 min", "--until", "1h", "--every",
      "30min",
      "--subjects-file", subjects,
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(
      r.stdout.split(separator: "\n").map { $0.split(separator: ",")[0] } == [
        "id", "3", "3", "3", "7", "7", "7",
      ])
    let scenario = dir.appendingPathComponent("pop.yaml").path
    try """
    model: kamp-2020
    doses: ["0.5 mg/kg iv over 40 min"]
    output: {until: 1 h, every: 30 min}
    population:
      subjects: 4
      seed: 9
      covariates:
        weight: {normal: [70 kg, 12 kg], range: [40 kg, 120 kg]}
        age: {uniform: [18 y, 65 y]}
      variability: {CL: 0.3}
    """.write(toFile: scenario, atomically: true, encoding: .utf8)
    let s1 = try CLIRunner.run(["run", scenario])
    let s2 = try CLIRunner.run(["run", scenario, "--threads", "1"])
    #expect(s1.status == 0, "stderr: \(s1.stderr)")
    #expect(s1.stdout == s2.stdout && s1.stdout.split(separator: "\n").count == 13)
  }

  @Test(arguments: [
    (["--subjects", "0"], "--subjects must be 1 or more"),
    (["--subjects", "2000000"], "--subject-limit"),
    (["--subjects", "10", "--summary", "--percentiles", "0,50"], "between 0 and 100"),
    (["--subjects", "10", "--summary", "--percentiles", "50,100"], "between 0 and 100"),
    (["--subjects", "10", "--shard", "3/2"], "shard 3/2 does not exist"),
    (["--subjects", "10", "--variability", "CLEARANCE=0.3"], "'CLEARANCE' is not a parameter"),
    (["--subjects", "10", "--summary", "--fraction-above", "750"], "concentration"),
    (["--subjects", "10", "--fraction-above", "750ng/mL"], "go with --summary"),
  ])
  func badOptions(extra: [String], message: String) throws {
    let r = try CLIRunner.run(Self.kamp + extra)
    #expect(r.status == 2, "exit \(r.status), stderr: \(r.stderr)")
    #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test func randomRunNeedsASeedAndWritesNothingWithoutOne() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("o.csv").path
    let r = try CLIRunner.run([
      "run", "--model", "fanta-otto-2021", "--weight", "70kg", "--dose", "10 mg iv", "--until", "1h",
      "--every",
      "30min", "--subjects", "5", "-o", out,
    ])
    #expect(r.status == 2 && r.stderr.contains("--seed"), "stderr: \(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// Ω that is not positive definite (correlations 0.9, 0.9, −0.9) is refused, naming it.
  @Test func omegaNotPositiveDefinite() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = try CLIRunner.writeOneCompartmentModel(
      in: dir, name: "badomega",
      parameters: "  V: {value: 10, unit: L, description: volume, provenance: derived}\n"
        + "  CL: {value: 5, unit: L/h, description: clearance, provenance: derived}\n"
        + "  K2: {value: 1, unit: 1/h, description: unused, provenance: derived}")
    var text = try String(contentsOfFile: model, encoding: .utf8)
    text += """

      variability:
        source: test
        effects: {V: {omega2: 0.09}, CL: {omega2: 0.09}, K2: {omega2: 0.09}}
        correlations:
          - {between: [V, CL], correlation: 0.9}
          - {between: [V, K2], correlation: 0.9}
          - {between: [CL, K2], correlation: -0.9}
      """
    try text.write(toFile: model, atomically: true, encoding: .utf8)
    let r = try CLIRunner.run([
      "run", "--model", model, "--dose", "10 mg iv", "--until", "1h", "--every", "30min", "--subjects", "5",
      "--seed", "1",
    ])
    #expect(r.status == 2 && r.stderr.contains("not symmetric positive definite"), "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty)
  }
}

/// Simulated observations through the binary.
@Suite struct ObservationCLITests {
  static let fanta = [
    "run", "--model", "fanta-otto-2021", "--weight", "70kg", "--dose", "10 mg iv over 30 min", "--until",
    "2h",
    "--every", "30min", "--subjects", "3", "--seed", "4",
  ]

  @Test func observationColumns() throws {
    let r = try CLIRunner.run(Self.fanta + ["--observations"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(
      lines[0]
        == "id,time_min,s_ketamine_ng_per_ml,s_norketamine_ng_per_ml,s_ketamine_obs_ng_per_ml,s_norketamine_obs_ng_per_ml"
    )
    let row = lines[2].split(separator: ",").map { Double($0)! }
    #expect(row[4] != row[2] && row[5] != row[3])
    let plain = try CLIRunner.run(Self.fanta)
    #expect(
      plain.stdout.split(separator: "\n")[2]
        == lines[2].split(separator: ",").prefix(4).joined(separator: ","))
    let long = try CLIRunner.run(Self.fanta + ["--observations", "--format", "long"])
    #expect(long.stdout.contains(",s_ketamine_obs,"))
  }

  @Test func observationsNeedAResidualError() throws {
    let r = try CLIRunner.run(PopulationCLITests.kamp + ["--subjects", "2", "--observations"])
    #expect(r.status == 2 && r.stderr.contains("no residual error"), "stderr: \(r.stderr)")
    let s = try CLIRunner.run(Self.fanta + ["--observations", "--summary"])
    #expect(s.status == 2 && s.stderr.contains("leave out --summary"), "stderr: \(s.stderr)")
  }
}

/// A data set brings its own subjects; --seed draws each one's random effects from its ID.
@Suite struct DataSetVariabilityCLITests {
  @Test func randomEffectsPerDataSetSubject() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("d.csv").path
    try "ID,TIME,AMT,EVID,WT\n1,0,10,1,70\n1,1,.,0,70\n2,0,10,1,70\n2,1,.,0,70\n"
      .write(toFile: data, atomically: true, encoding: .utf8)
    let base = ["run", "--model", "fanta-otto-2021", "--data", data]
    let typical = try CLIRunner.run(base)
    #expect(typical.status == 0, "stderr: \(typical.stderr)")
    let rows = typical.stdout.split(separator: "\n")
    #expect(rows[2].split(separator: ",").dropFirst() == rows[4].split(separator: ",").dropFirst())
    let drawn = try CLIRunner.run(base + ["--seed", "3"])
    let again = try CLIRunner.run(base + ["--seed", "3", "--threads", "1"])
    #expect(drawn.status == 0 && drawn.stdout == again.stdout, "stderr: \(drawn.stderr)")
    let d = drawn.stdout.split(separator: "\n")
    #expect(d[2].split(separator: ",").dropFirst() != d[4].split(separator: ",").dropFirst())
    #expect(d[2] != rows[2])
    let noSeed = try CLIRunner.run(base + ["--variability", "CL=0.3"])
    #expect(noSeed.status == 2 && noSeed.stderr.contains("--seed"), "stderr: \(noSeed.stderr)")
    let conflict = try CLIRunner.run(base + ["--subjects", "3"])
    #expect(
      conflict.status == 2 && conflict.stderr.contains("brings its own subjects"),
      "stderr: \(conflict.stderr)")
  }
}

/// A summary of which every subject failed is an error that writes nothing.
@Suite struct PopulationFailureCLITests {
  @Test func everySubjectFailing() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // The rate expression loses its value once the concentration passes 2.5 mg/L: 100 mg into
    // about 50 L is 2 mg/L at first, rising to 2.5 mg/L under the infusion for every subject.
    let model = try CLIRunner.writeOneCompartmentModel(
      in: dir, name: "lograte",
      parameters: "  V: {value: 50, unit: L, description: volume, provenance: derived}\n"
        + "  VMAX: {value: 20, unit: mg/h, description: scale, provenance: derived}",
      flow: "{from: central, rate: \"VMAX * log(2.5 - C_central)\"}")
    let out = dir.appendingPathComponent("s.csv").path
    let r = try CLIRunner.run([
      "run", "--model", model, "--dose", "100 mg iv", "--dose", "200 mg iv over 1 h", "--until", "2h",
      "--every",
      "30min", "--subjects", "3", "--seed", "1", "--variability", "V=0.05", "--summary", "-o", out,
    ])
    #expect(r.status == 1, "exit \(r.status), stderr: \(r.stderr)")
    #expect(
      r.stderr.contains("ID 1:") && r.stderr.contains("every one of the 3 subjects failed"),
      "stderr: \(r.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
      $0.hasPrefix(".s.csv") || $0.hasPrefix("s.csv")
    }
    #expect(left.isEmpty, "left behind: \(left)")
  }
}
