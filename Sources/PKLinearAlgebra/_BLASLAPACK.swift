internal import COpenBLAS

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// The one place where raw pointers meet CBLAS and LAPACKE.
///
/// Every function takes and returns Swift arrays; LAPACK `info` codes come back as
/// `LinearAlgebraError`. Nothing here is public.
enum _BLASLAPACK {
  /// Sets the number of threads OpenBLAS may use inside one call; with one, also stops the
  /// library's idle worker threads.
  ///
  /// OpenBLAS (pthreads build) starts one worker per core when it is loaded, and each idle worker
  /// spins on `sched_yield` for about 2²⁸ cycles (its `thread_timeout`, 0.1 s at 2 GHz) before it
  /// sleeps: on a 2-core machine that took a core from the population workers for the first
  /// 0.1 s of every run. `blas_thread_shutdown_` (the function OpenBLAS itself calls before a
  /// `fork`) joins them; a later call that wants threads starts them again. It is looked up at
  /// run time, so a build without it (serial or OpenMP OpenBLAS) is simply left alone.
  static func setThreadCount(_ n: Int) {
    openblas_set_num_threads(Int32(n))
    if n == 1, let shutdown = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") {
      _ = unsafeBitCast(shutdown, to: (@convention(c) () -> Int32).self)()
    }
  }

  /// C = alpha·A·B + beta·C (cblas_dgemm, column-major, no transposes).
  static func gemm(
    _ a: [Double], _ b: [Double], into c: inout [Double],
    m: Int, n: Int, k: Int, alpha: Double = 1, beta: Double = 0
  ) {
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          cblas_dgemm(
            CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
            alpha, pa.baseAddress, Int32(max(1, m)), pb.baseAddress, Int32(max(1, k)),
            beta, pc.baseAddress, Int32(max(1, m)))
        }
      }
    }
  }

  /// y[yOffset..<yOffset+m] = A·x[xOffset..<xOffset+n] + beta·y (cblas_dgemv, column-major).
  static func gemv(
    _ a: [Double], m: Int, n: Int, _ x: [Double], xOffset: Int,
    into y: inout [Double], yOffset: Int, beta: Double
  ) {
    a.withUnsafeBufferPointer { pa in
      x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
          cblas_dgemv(
            CblasColMajor, CblasNoTrans, Int32(m), Int32(n), 1.0, pa.baseAddress,
            Int32(max(1, m)), px.baseAddress! + xOffset, 1, beta, py.baseAddress! + yOffset, 1)
        }
      }
    }
  }

  /// Solves A·X = B in place (LAPACKE_dgesv); `b` is n × nrhs and is overwritten by X.
  static func gesv(_ a: [Double], n: Int, _ b: inout [Double], nrhs: Int) throws(LinearAlgebraError) {
    var lu = a
    var pivots = [Int32](repeating: 0, count: n)
    let info = lu.withUnsafeMutableBufferPointer { pa in
      pivots.withUnsafeMutableBufferPointer { pp in
        b.withUnsafeMutableBufferPointer { pb in
          LAPACKE_dgesv(
            LAPACK_COL_MAJOR, Int32(n), Int32(nrhs), pa.baseAddress, Int32(max(1, n)),
            pp.baseAddress, pb.baseAddress, Int32(max(1, n)))
        }
      }
    }
    if let error = LinearAlgebraError.fromInfo(info, routine: "dgesv") { throw error }
  }

  /// LU factorisation with partial pivoting in place (LAPACKE_dgetrf): `a` (n × n) becomes L and
  /// U, `pivots` the row interchanges.
  static func getrf(_ a: inout [Double], n: Int, pivots: inout [Int32]) throws(LinearAlgebraError) {
    let info = a.withUnsafeMutableBufferPointer { pa in
      pivots.withUnsafeMutableBufferPointer { pp in
        LAPACKE_dgetrf(
          LAPACK_COL_MAJOR, Int32(n), Int32(n), pa.baseAddress, Int32(max(1, n)), pp.baseAddress)
      }
    }
    if let error = LinearAlgebraError.fromInfo(info, routine: "dgetrf") { throw error }
  }

  /// Solves A·x = b in place with the factors of `getrf` (LAPACKE_dgetrs, one right-hand side).
  static func getrs(_ lu: [Double], n: Int, pivots: [Int32], _ b: inout [Double]) throws(LinearAlgebraError) {
    let info = lu.withUnsafeBufferPointer { pa in
      pivots.withUnsafeBufferPointer { pp in
        b.withUnsafeMutableBufferPointer { pb in
          LAPACKE_dgetrs(
            LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Int32(n), 1, pa.baseAddress, Int32(max(1, n)),
            pp.baseAddress, pb.baseAddress, Int32(max(1, n)))
        }
      }
    }
    if let error = LinearAlgebraError.fromInfo(info, routine: "dgetrs") { throw error }
  }

  /// Cholesky factorisation in place (LAPACKE_dpotrf, lower): the lower triangle of `a` (n × n)
  /// becomes L with A = L·Lᵀ; only the lower triangle of A is read, and the strict upper
  /// triangle is left as it was.
  static func potrf(_ a: inout [Double], n: Int) throws(LinearAlgebraError) {
    let info = a.withUnsafeMutableBufferPointer { pa in
      LAPACKE_dpotrf(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), pa.baseAddress, Int32(max(1, n)))
    }
    if let error = LinearAlgebraError.fromInfo(info, routine: "dpotrf") { throw error }
  }

  /// Eigenvalues of a general square matrix (LAPACKE_dgeev, no eigenvectors).
  static func geev(_ a: [Double], n: Int) throws(LinearAlgebraError) -> (real: [Double], imaginary: [Double])
  {
    var work = a
    var wr = [Double](repeating: 0, count: n)
    var wi = [Double](repeating: 0, count: n)
    var dummy = [Double](repeating: 0, count: 1)
    let info = work.withUnsafeMutableBufferPointer { pa in
      wr.withUnsafeMutableBufferPointer { pr in
        wi.withUnsafeMutableBufferPointer { pi in
          dummy.withUnsafeMutableBufferPointer { pd in
            LAPACKE_dgeev(
              LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")), Int32(n), pa.baseAddress,
              Int32(max(1, n)), pr.baseAddress, pi.baseAddress, pd.baseAddress, 1,
              pd.baseAddress, 1)
          }
        }
      }
    }
    if let error = LinearAlgebraError.fromInfo(info, routine: "dgeev") { throw error }
    return (wr, wi)
  }
}
