/// How many threads OpenBLAS may use inside one BLAS or LAPACK call.
///
/// KetaSim's matrices are small (a few compartments), so threads inside a call only cost; its
/// parallelism is over subjects. The command line sets 1 unless `OPENBLAS_NUM_THREADS` says
/// otherwise.
public enum BLASThreads {
  /// Sets OpenBLAS's thread count (1 or more).
  public static func set(_ count: Int) {
    precondition(count >= 1, "OpenBLAS needs at least one thread.")
    _BLASLAPACK.setThreadCount(count)
  }
}
