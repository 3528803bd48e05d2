import ArgumentParser
import Foundation
import PKCore
import PKLinearAlgebra
import PKScenario

/// The `ketasim` command: simulate ketamine dosing regimens on published PK models.
///
/// Exit codes: 0 success, 2 bad input (a file, an option or a value), 1 a runtime failure.
@main
struct KetaSim: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ketasim",
    abstract: "Simulate ketamine dosing regimens on published pharmacokinetic models.",
    discussion: """
      KetaSim is a teaching and research simulator. It is not a medical device and must not be \
      used to dose patients.

      Examples:
        ketasim run Models/scenarios/depression-infusion.yaml
        ketasim run --model domino-1984 --weight 70kg --dose "0.5 mg/kg iv over 40 min" \\
          --until 24h --every 1min --output curve.csv
        ketasim models
        ketasim models show domino-1984

      Exit codes: 0 success, 2 bad input, 1 runtime failure.
      """,
    version: "0.1.0",
    subcommands: [Run.self, Merge.self, Check.self, ModelsCommand.self]
  )

  /// Parses, runs, and maps every failure to a message on stderr and an exit code.
  static func main() {
    // Parallel work is over subjects; OpenBLAS threads inside tiny calls only cost.
    let environment = ProcessInfo.processInfo.environment
    if environment["OPENBLAS_NUM_THREADS"] == nil { BLASThreads.set(1) }
    HeapTuning.apply(environment: environment)
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let error as InputError {
      Diagnostics.fail(error.description, code: .badInput)
    } catch let error as ModelError {
      Diagnostics.fail(error.description, code: .badInput)
    } catch let error as SimulationError {
      Diagnostics.fail(error.description, code: .runtimeFailure)
    } catch let error as RunFailure {
      Diagnostics.fail(error.description, code: .runtimeFailure)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        exit(withError: error)
      } else if code == .validationFailure {
        // Unknown options, missing values, failed validate(): bad input.
        Diagnostics.fail(fullMessage(for: error), code: .badInput, prefix: false)
      } else {
        exit(withError: error)
      }
    }
  }
}
