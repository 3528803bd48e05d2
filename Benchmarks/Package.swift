// swift-tools-version:6.1
//
// KetaSim benchmarks: a separate package, so that building and testing the root package
// never builds the benchmark tooling. Run from this folder:
//
//   OPENBLAS_NUM_THREADS=1 swift package benchmark
//
// See README.md for what each suite measures and the figures on the reference machine.
import PackageDescription

let package = Package(
  name: "KetaSimBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "KetaSim", path: "../"),
    // Malloc counts only: the other default trait, RuntimeInterposer (ARC counts on Linux with
    // Swift 6.3), needs swift-runtime-interposer, which the local package mirror does not have.
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
  ],
  targets: [
    // MARK: Benchmark suites (one per concern)
    .executableTarget(
      name: "SolverBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "PKSolver", package: "KetaSim"),
        .product(name: "PKLinearAlgebra", package: "KetaSim"),
      ],
      path: "Benchmarks/SolverBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "ScenarioBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "PKScenario", package: "KetaSim"),
        .product(name: "PKCore", package: "KetaSim"),
      ],
      path: "Benchmarks/ScenarioBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "NonlinearBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "PKScenario", package: "KetaSim"),
        .product(name: "PKCore", package: "KetaSim"),
        .product(name: "PKSolver", package: "KetaSim"),
      ],
      path: "Benchmarks/NonlinearBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "PopulationBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "PKScenario", package: "KetaSim"),
        .product(name: "PKCore", package: "KetaSim"),
      ],
      path: "Benchmarks/PopulationBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ]
)
