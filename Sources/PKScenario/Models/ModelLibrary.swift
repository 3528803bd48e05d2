import Foundation
import PKCore

/// Finds model files: the bundled library in `Models/`, or a file given by path.
///
/// The library directory is, in order: the directory given explicitly (`--models-dir`), the
/// environment variable `KETASIM_MODELS`, then the first `Models/` folder holding a README.md
/// found walking up from the executable's directory and from the current directory.
public struct ModelLibrary: Sendable {
  /// The library directory, if one was found.
  public let directory: String?

  /// Locates the library.
  public init(
    directory explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    if let explicit {
      directory = explicit
      return
    }
    if let env = environment["KETASIM_MODELS"], !env.isEmpty {
      directory = env
      return
    }
    // Plain paths and system calls: Foundation's `Bundle.main`, URL path arithmetic and
    // `FileManager.fileExists` had cost several milliseconds of every run's start-up.
    var starts: [String] = []
    // The executable's directory; from the command's own path only where the system cannot say
    // (no /proc), since both name the same file.
    if let exe = Self._executablePath()
      ?? CommandLine.arguments.first.flatMap({ $0.contains("/") ? Self._realPath($0) : nil })
    {
      starts.append(Self._parent(exe))
    }
    if let cwd = Self._currentDirectory() { starts.append(cwd) }
    for start in starts {
      var dir = start
      while true {
        for candidate in [Self._join(dir, "Models"), Self._join(dir, "share/ketasim/Models")]
        where access(Self._join(candidate, "README.md"), F_OK) == 0 {
          directory = candidate
          return
        }
        let parent = Self._parent(dir)
        if parent == dir { break }
        dir = parent
      }
    }
    directory = nil
  }

  /// The running executable's path, symbolic links resolved (`/proc/self/exe` on Linux, else
  /// Foundation's bundle).
  static func _executablePath() -> String? {
    #if os(Linux)
      return _realPath("/proc/self/exe")
    #else
      return Bundle.main.executableURL?.resolvingSymlinksInPath().path
    #endif
  }

  /// `path` with symbolic links, `.` and `..` resolved, or nil when it does not exist.
  static func _realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The current directory, or nil.
  static func _currentDirectory() -> String? {
    guard let cwd = getcwd(nil, 0) else { return nil }
    defer { free(cwd) }
    return String(cString: cwd)
  }

  /// The directory holding `path` ("/" for a path directly under the root, and for "/").
  static func _parent(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "." }
    return slash == p.startIndex ? "/" : String(p[..<slash])
  }

  /// `directory/name`, without a doubled slash after "/".
  static func _join(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  /// The names of the bundled models (file names without `.yaml`), sorted.
  public func names() throws(InputError) -> [String] {
    let dir = try _directory()
    let files: [String]
    do { files = try FileManager.default.contentsOfDirectory(atPath: dir) } catch {
      throw InputError(source: dir, message: "cannot list the model library (\(_reason(error)))")
    }
    return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }

  /// Every bundled model, loaded and validated.
  public func all() throws(InputError) -> [ModelDefinition] {
    var result: [ModelDefinition] = []
    for name in try names() { result.append(try load(name)) }
    return result
  }

  /// Loads a model by bundled name (`domino-1984`) or by path (anything with `/` or `.yaml`),
  /// a relative path being taken from `relativeTo` when given.
  public func load(_ nameOrPath: String, relativeTo base: String? = nil) throws(InputError) -> ModelDefinition
  {
    if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") {
      var path = nameOrPath
      if !path.hasPrefix("/"), let base {
        path = URL(fileURLWithPath: base).appendingPathComponent(path).path
      }
      return try ModelFileReader.read(path: path)
    }
    let dir = try _directory()
    let path = URL(fileURLWithPath: dir).appendingPathComponent(nameOrPath + ".yaml").path
    guard FileManager.default.fileExists(atPath: path) else {
      let known = (try? names())?.joined(separator: ", ") ?? ""
      throw InputError(source: "model", message: "unknown model '\(nameOrPath)'; bundled models: \(known)")
    }
    let model = try ModelFileReader.read(path: path)
    guard model.name == nameOrPath else {
      throw InputError(
        source: path, field: "name", message: "is '\(model.name)', expected '\(nameOrPath)' (the file name)")
    }
    return model
  }

  /// The names of the interaction data files in `interactions/`, sorted.
  public func interactionNames() throws(InputError) -> [String] {
    let dir = URL(fileURLWithPath: try _directory()).appendingPathComponent("interactions").path
    let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }

  /// Loads the interacting drug `name` from `interactions/NAME.yaml`, or from a path.
  public func interaction(_ nameOrPath: String) throws(InputError) -> Interaction {
    if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") {
      return try InteractionFileReader.read(path: nameOrPath)
    }
    let dir = URL(fileURLWithPath: try _directory()).appendingPathComponent("interactions")
    let path = dir.appendingPathComponent(nameOrPath + ".yaml").path
    guard FileManager.default.fileExists(atPath: path) else {
      throw InputError(
        source: "--with",
        message: "unknown interacting drug '\(nameOrPath)'; known: "
          + ((try? interactionNames())?.joined(separator: ", ") ?? ""))
    }
    let interaction = try InteractionFileReader.read(path: path)
    guard interaction.name == nameOrPath else {
      throw InputError(
        source: path, field: "name",
        message: "is '\(interaction.name)', expected '\(nameOrPath)' (the file name)")
    }
    return interaction
  }

  func _directory() throws(InputError) -> String {
    guard let directory else {
      throw InputError(
        source: "model library",
        message: "cannot find the Models/ folder; pass --models-dir DIR or set KETASIM_MODELS")
    }
    return directory
  }
}
