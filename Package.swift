// swift-tools-version:6.1
//
// KetaSim: a ketamine PK/PD simulator. Modules import in one direction only:
// COpenBLAS ← PKLinearAlgebra ← PKSolver ← PKCore ← PKScenario ← ketasim, and
// PKLinearAlgebra ← PKStatistics ← PKScenario (random draws and population summaries).
// The benchmark suite is a separate package in Benchmarks/ so that `swift build`
// and `swift test` here never build the benchmark tooling.
import PackageDescription

let package = Package(
  name: "KetaSim",
  products: [
    .library(name: "PKLinearAlgebra", targets: ["PKLinearAlgebra"]),
    .library(name: "PKSolver", targets: ["PKSolver"]),
    .library(name: "PKCore", targets: ["PKCore"]),
    .library(name: "PKStatistics", targets: ["PKStatistics"]),
    .library(name: "PKScenario", targets: ["PKScenario"]),
    .executable(name: "ketasim", targets: ["ketasim"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    // MARK: C shims
    .systemLibrary(
      name: "COpenBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),

    // MARK: Libraries
    .target(
      name: "PKLinearAlgebra",
      dependencies: ["COpenBLAS"]
    ),
    .target(
      name: "PKSolver",
      dependencies: ["PKLinearAlgebra", .product(name: "RealModule", package: "swift-numerics")]
    ),
    .target(
      name: "PKCore",
      dependencies: [
        "PKSolver", "PKLinearAlgebra",
        .product(name: "RealModule", package: "swift-numerics"),
      ]
    ),
    .target(
      name: "PKStatistics",
      dependencies: ["PKLinearAlgebra", .product(name: "RealModule", package: "swift-numerics")]
    ),
    .target(
      name: "PKScenario",
      dependencies: ["PKCore", "PKSolver", "PKStatistics", .product(name: "Yams", package: "Yams")]
    ),

    // MARK: Executable
    .executableTarget(
      name: "ketasim",
      dependencies: [
        "PKScenario", "PKCore", "PKLinearAlgebra",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: Tests
    .target(
      name: "_PKTestSupport",
      dependencies: [
        "PKCore", "PKSolver", "PKLinearAlgebra",
        .product(name: "RealModule", package: "swift-numerics"),
      ],
      path: "Sources/_PKTestSupport"
    ),
    .testTarget(
      name: "PKLinearAlgebraTests",
      dependencies: [
        "PKLinearAlgebra", "_PKTestSupport",
        .product(name: "RealModule", package: "swift-numerics"),
      ]
    ),
    .testTarget(
      name: "PKSolverTests",
      dependencies: [
        "PKSolver", "PKLinearAlgebra", "_PKTestSupport",
        .product(name: "RealModule", package: "swift-numerics"),
      ]
    ),
    .testTarget(
      name: "PKCoreTests",
      dependencies: [
        "PKCore", "_PKTestSupport",
        .product(name: "RealModule", package: "swift-numerics"),
      ]
    ),
    .testTarget(
      name: "PKStatisticsTests",
      dependencies: [
        "PKStatistics", "PKLinearAlgebra", "_PKTestSupport",
        .product(name: "RealModule", package: "swift-numerics"),
      ]
    ),
    .testTarget(
      name: "PKScenarioTests",
      dependencies: [
        "PKScenario", "PKCore", "_PKTestSupport",
        .product(name: "RealModule", package: "swift-numerics"),
      ]
    ),
    .testTarget(
      name: "KetaSimCLITests",
      dependencies: [.product(name: "RealModule", package: "swift-numerics")],
      resources: [.copy("Fixtures")]
    ),
  ]
)
