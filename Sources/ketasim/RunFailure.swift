/// A run that cannot produce its output for a numerical reason (every subject failed): thrown
/// rather than exiting, so that unfinished output files are removed; exit code 1.
struct RunFailure: Error, CustomStringConvertible {
  var description: String
}
