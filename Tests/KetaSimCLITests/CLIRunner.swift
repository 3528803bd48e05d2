import Foundation

/// Runs the built `ketasim` binary and captures what it prints.
enum CLIRunner {
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The package root (the folder holding Package.swift).
  static let root: URL = {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
      dir = dir.deletingLastPathComponent()
    }
    return dir
  }()

  /// The `ketasim` binary built beside the test bundle.
  static let binary: URL = {
    var candidates: [URL] = []
    if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
    for dir in candidates {
      var d = dir
      for _ in 0..<4 {
        let url = d.appendingPathComponent("ketasim")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        d = d.deletingLastPathComponent()
      }
    }
    return root.appendingPathComponent(".build/debug/ketasim")
  }()

  /// Runs `ketasim` with `arguments` in the package root, with `environment` added to this
  /// process's environment and the variables named in `removing` taken out.
  static func run(_ arguments: [String], environment: [String: String] = [:], removing: [String] = [])
    throws -> Output
  {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = root
    var env = ProcessInfo.processInfo.environment
    env["KETASIM_MODELS"] = nil
    for k in removing { env[k] = nil }
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting so that large outputs cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus,
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// A fresh temporary folder, removed by the caller.
  static func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ketasim-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// The metadata lines every test model file needs (name, version, citation, population, …;
  /// time unit `h`), ending before `parameters:`, so that a test writes only the parts it is about.
  static func modelHeader(_ name: String, description: String = "test") -> String {
    """
    name: \(name)
    version: 1
    drug: test
    description: \(description)
    citation: none
    population: none
    sampling_site: venous
    validated_range: {note: none}
    time_unit: h
    """
  }

  /// Writes `modelHeader(name)` followed by `body` (from `parameters:` on) to
  /// `directory/name.yaml`, and returns its path.
  static func writeModel(in directory: URL, name: String, description: String = "test", body: String) throws
    -> String
  {
    let path = directory.appendingPathComponent("\(name).yaml").path
    try (modelHeader(name, description: description) + "\n" + body)
      .write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Writes a one-compartment test model (V 10 L unless given, route `iv` only) with the given
  /// parameters and flow, its concentration the output `output`, and any `effects` (the lines
  /// of the list), to `directory/name.yaml`, and returns its path.
  static func writeOneCompartmentModel(
    in directory: URL, name: String,
    parameters: String = "  V: {value: 10, unit: L, description: volume, provenance: derived}\n"
      + "  CL: {value: 5, unit: L/h, description: clearance, provenance: derived}",
    flow: String = "{from: central, clearance: CL}", output: String = "ketamine", effects: String? = nil
  ) throws -> String {
    try writeModel(
      in: directory, name: name, description: "a one-compartment test model",
      body: """
        parameters:
        \(parameters)
        compartments:
          - {name: central, volume: V}
        flows:
          - \(flow)
        outputs:
          - {name: \(output), compartment: central}
        routes:
          iv: central
        """ + (effects.map { "\neffects:\n\($0)" } ?? ""))
  }
}
