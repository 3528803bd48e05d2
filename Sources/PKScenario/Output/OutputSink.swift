import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#else
  import Darwin
#endif

/// Where CSV text goes, written in chunks so that memory does not grow with the output: a file
/// (through a temporary file renamed into place at `finish()`, so that a failed run never leaves
/// a half-written output), a device or named pipe such as `/dev/null` (written in place), or
/// standard output.
public final class OutputSink {
  private let path: String?
  private let temporary: URL?
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private var finished = false

  /// Bytes gathered before they are written out.
  public static let chunkSize = 1 << 20

  /// A sink writing to `path`, or to standard output when nil.
  ///
  /// - Throws: `InputError` naming the path when its folder does not exist or is not writable.
  public init(path: String?) throws(InputError) {
    self.path = path
    buffer.reserveCapacity(Self.chunkSize + 4096)
    guard let path else {
      temporary = nil
      handle = FileHandle.standardOutput
      return
    }
    // A path that exists and is not a regular file (/dev/null, a named pipe, a terminal) is
    // written in place: renaming a temporary file onto it would replace the device.
    if Self.isDevice(path) {
      guard let h = FileHandle(forWritingAtPath: path) else {
        throw InputError(
          source: path, message: "cannot write the output (\(String(cString: strerror(errno))))")
      }
      temporary = nil
      handle = h
      return
    }
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent()
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
      throw InputError(source: path, message: "cannot write the output: folder '\(dir.path)' does not exist")
    }
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    guard FileManager.default.createFile(atPath: tmp.path, contents: nil),
      let h = try? FileHandle(forWritingTo: tmp)
    else {
      throw InputError(source: path, message: "cannot write the output (\(String(cString: strerror(errno))))")
    }
    temporary = tmp
    handle = h
  }

  /// Whether `path` exists and is neither a regular file nor a folder (/dev/null, a named pipe,
  /// a terminal): output there is written in place, and no metadata file is put beside it.
  public static func isDevice(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return false }
    let kind = info.st_mode & S_IFMT
    return kind != S_IFREG && kind != S_IFDIR
  }

  deinit {
    if !finished, let temporary {
      try? handle.close()
      try? FileManager.default.removeItem(at: temporary)
    }
  }

  /// Appends text.
  public func write(_ text: String) throws(InputError) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= Self.chunkSize { try flush() }
  }

  /// Appends bytes. A block of a quarter chunk or more (a population wave's CSV) goes to the
  /// file as it is, after what was gathered before it, without being copied into the buffer.
  public func write(bytes: [UInt8]) throws(InputError) {
    if bytes.count >= Self.chunkSize / 4 {
      try flush()
      try _writeAll(bytes)
      return
    }
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.chunkSize { try flush() }
  }

  private func flush() throws(InputError) {
    try _writeAll(buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes all of `bytes` with write(2) (again after a partial write or an interrupted call),
  /// so that no copy into a `Data` is made.
  private func _writeAll(_ bytes: [UInt8]) throws(InputError) {
    let failure = bytes.withUnsafeBytes { raw -> InputError? in
      do throws(InputError) {
        try _writeAll(raw)
        return nil
      } catch { return error }
    }
    if let failure { throw failure }
  }

  private func _writeAll(_ bytes: UnsafeRawBufferPointer) throws(InputError) {
    guard var next = bytes.baseAddress else { return }
    var left = bytes.count
    while left > 0 {
      #if canImport(Glibc)
        let written = Glibc.write(handle.fileDescriptor, next, left)
      #elseif canImport(Musl)
        let written = Musl.write(handle.fileDescriptor, next, left)
      #else
        let written = Darwin.write(handle.fileDescriptor, next, left)
      #endif
      if written < 0 {
        if errno == EINTR { continue }
        throw InputError(
          source: path ?? "standard output",
          message: "cannot write the output (\(String(cString: strerror(errno))))")
      }
      next += written
      left -= written
    }
  }

  /// Writes what is left and, for a file, renames the temporary file into place.
  public func finish() throws(InputError) {
    try flush()
    finished = true
    guard let temporary, let path else { return }
    try? handle.close()
    if rename(temporary.path, path) != 0 {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw InputError(source: path, message: "cannot write the output (\(reason))")
    }
  }
}
