import Foundation

/// Writes a file all at once: to a temporary file beside it, then renamed over the target, so
/// that a failure never leaves a half-written or truncated output.
public enum AtomicFileWriter {
  /// Writes `text` to `path` atomically.
  ///
  /// - Throws: an `InputError` naming the path when the directory does not exist or is not
  ///   writable.
  public static func write(_ text: String, to path: String) throws(InputError) {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent()
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
      throw InputError(source: path, message: "cannot write the output: folder '\(dir.path)' does not exist")
    }
    let temporary = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    do {
      try Data(text.utf8).write(to: temporary)
      if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw InputError(source: path, message: "cannot write the output (\(reason))")
      }
    } catch let error as InputError {
      throw error
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw InputError(source: path, message: "cannot write the output (\(_reason(error)))")
    }
  }
}
