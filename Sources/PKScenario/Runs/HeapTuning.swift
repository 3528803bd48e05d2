#if canImport(Glibc)
  import Glibc
#endif

/// How a KetaSim process asks glibc's allocator to keep freed memory: set once at start-up by
/// the program that owns the process (the `ketasim` command; the population-scale benchmarks,
/// so that they measure the library as the command runs it), never by the libraries' own code.
///
/// ```
/// M_TRIM_THRESHOLD = 256 MiB   (free memory at the heap's top kept, not returned to the kernel)
/// M_MMAP_THRESHOLD = 32 MiB    (allocations below it come from the heap, not a fresh mapping)
/// ```
/// A population run allocates and frees each subject's result arrays (tens of kB) thousands of
/// times a second. With glibc's defaults (128 KiB), a free that leaves more than that at the
/// top of the heap gives it back to the kernel, and the next subject faults the same pages in
/// again, zeroed: 26,000 page faults for 10,000 subjects on a 1-min grid, against 2,000 with
/// these settings (2026-12-06). Setting the trim threshold turns off glibc's sliding mmap
/// threshold, which would otherwise rise to 32 MiB (its upper bound on 64-bit systems) as large
/// blocks are freed, so that bound is set at once. Peak memory is unchanged: the
/// memory kept is memory the run already used. A user's own `MALLOC_TRIM_THRESHOLD_`,
/// `MALLOC_MMAP_THRESHOLD_` or `GLIBC_TUNABLES` takes precedence (nothing is set then).
/// (glibc `mallopt(3)`.)
public enum HeapTuning {
  /// Applies the settings above, unless the environment already tunes the allocator.
  public static func apply(environment: [String: String]) {
    #if canImport(Glibc)
      let userTuned = ["MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES"].contains {
        environment[$0] != nil
      }
      if userTuned { return }
      // <malloc.h> is not part of Swift's Glibc module: the function by name, its parameters'
      // numbers as malloc.h defines them.
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      _ = mallopt(Self.trimThresholdParameter, 256 << 20)
      _ = mallopt(Self.mmapThresholdParameter, 32 << 20)
    #endif
  }

  /// `M_TRIM_THRESHOLD` in glibc's <malloc.h>.
  static let trimThresholdParameter: Int32 = -1
  /// `M_MMAP_THRESHOLD` in glibc's <malloc.h>.
  static let mmapThresholdParameter: Int32 = -3
}
