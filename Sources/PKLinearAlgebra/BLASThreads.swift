/// How many threads OpenBLAS may use inside one BLAS or LAPACK call.
///
/// KetaSim's matrices are small (a few compartments), so threads inside a call only cost; its
/// parallelism is over subjects. The command line sets 1 unless `OPENBLAS_NUM_THREADS` says
/// otherwise.
public enum BLASThreads {
  /// Sets OpenBLAS's thread count (1 or more); with 1, OpenBLAS's idle worker threads are also
  /// stopped (they would otherwise spin for about 0.1 s after start-up).
  ///
  /// The count is process-wide and OpenBLAS does not allow changing it while another thread is
  /// inside a BLAS or LAPACK call: call this at start-up, before any linear algebra runs (the
  /// command line does so first thing).
  public static func set(_ count: Int) {
    precondition(count >= 1, "OpenBLAS needs at least one thread.")
    _BLASLAPACK.setThreadCount(count)
  }
}
