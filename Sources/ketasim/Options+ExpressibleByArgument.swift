import ArgumentParser
import PKCore
import PKScenario

extension CSVFormat: ExpressibleByArgument {}

extension CovariateConvention: ExpressibleByArgument {}
extension SolverOptions.Method: ExpressibleByArgument {}
