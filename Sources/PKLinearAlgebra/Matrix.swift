/// A dense real matrix of `Double`, stored column-major as LAPACK expects.
///
/// Element (i, j) is `elements[i + j * rows]`. Matrices here are small (one row and column per
/// compartment) or tall (one column per subject); every BLAS/LAPACK call that reads them goes
/// through `_BLASLAPACK`, the only owner of raw pointers in the package.
public struct Matrix: Sendable, Equatable {
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int
  /// The elements in column-major order: `elements[i + j * rows]` is row i, column j.
  public var elements: [Double]

  /// Creates a matrix filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "Matrix dimensions must not be negative.")
    self.rows = rows
    self.columns = columns
    self.elements = Array(repeating: value, count: rows * columns)
  }

  /// Creates a matrix from column-major elements.
  public init(rows: Int, columns: Int, columnMajor elements: [Double]) {
    precondition(elements.count == rows * columns, "Matrix needs rows × columns elements.")
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  /// Creates a matrix from rows written as nested arrays (handy in tests and examples).
  public init(_ rowArrays: [[Double]]) {
    let r = rowArrays.count
    let c = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == c }, "All rows need the same length.")
    self.init(rows: r, columns: c)
    for i in 0..<r { for j in 0..<c { self[i, j] = rowArrays[i][j] } }
  }

  /// The n × n identity matrix.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m[i, i] = 1 }
    return m
  }

  /// Element at row `i`, column `j`.
  @inlinable
  public subscript(i: Int, j: Int) -> Double {
    get { elements[i + j * rows] }
    set { elements[i + j * rows] = newValue }
  }

  /// Whether the matrix is square.
  public var isSquare: Bool { rows == columns }
}
