/// Writes a file all at once: to a temporary file beside it, then renamed over the target, so
/// that a failure never leaves a half-written or truncated output (through `OutputSink`).
public enum AtomicFileWriter {
  /// Writes `text` to `path` atomically.
  ///
  /// - Throws: an `InputError` naming the path when the directory does not exist or is not
  ///   writable.
  public static func write(_ text: String, to path: String) throws(InputError) {
    let sink = try OutputSink(path: path)
    try sink.write(text)
    try sink.finish()
  }
}
