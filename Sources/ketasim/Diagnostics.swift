import ArgumentParser
import Foundation

/// Messages on stderr and the process's exit codes.
enum Diagnostics {
  /// Exit codes of `ketasim`.
  enum Code: Int32 {
    case badInput = 2
    case runtimeFailure = 1
  }

  /// Prints `ketasim: warning: message` on stderr.
  static func warn(_ message: String) {
    FileHandle.standardError.write(Data("ketasim: warning: \(message)\n".utf8))
  }

  /// Prints the error on stderr and exits with `code`.
  static func fail(_ message: String, code: Code, prefix: Bool = true) -> Never {
    let text = prefix ? "ketasim: error: \(message)\n" : "\(message)\n"
    FileHandle.standardError.write(Data(text.utf8))
    exit(code.rawValue)
  }
}
