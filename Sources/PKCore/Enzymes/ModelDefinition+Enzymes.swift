/// Applying changes of enzyme activity to a subject, for one model.
extension ModelDefinition {
  /// Applies `change` to `subject` for this model: the activity multiplies the subject's
  /// activity of that enzyme at each site.
  ///
  /// - Throws: `ModelError.invalidEnzyme` for an enzyme the model does not name or an activity
  ///   that is not above 0.
  public func apply(_ change: EnzymeActivity, to subject: inout Subject) throws(ModelError) {
    guard change.activity > 0 && change.activity.isFinite else {
      throw .invalidEnzyme(
        "the activity of \(change.enzyme) is \(change.activity); expected a number above 0 "
          + "(1 normal, 0.2 for 80 % inhibition, 3 for three-fold induction)")
    }
    guard enzymes.contains(where: { $0.name == change.enzyme }) else {
      throw .invalidEnzyme(
        "\(name) does not name enzyme '\(change.enzyme)'; "
          + (enzymes.isEmpty
            ? "it names no enzymes, so enzyme activity cannot change it"
            : "it names: " + enzymes.map(\.name).joined(separator: ", ")))
    }
    subject.apply(change)
  }

  /// Applies the enzyme activities an interacting drug leaves, for the enzymes this model
  /// names, and returns the changes it could not apply (enzymes the model does not name).
  ///
  /// - Throws: `ModelError.invalidEnzyme` when the model names none of the drug's enzymes.
  public func apply(_ interaction: Interaction, to subject: inout Subject) throws(ModelError)
    -> [EnzymeActivity]
  {
    let named = Set(enzymes.map(\.name))
    let applicable = interaction.activities.filter { named.contains($0.enzyme) }
    guard !applicable.isEmpty else {
      let theirs = Array(Set(interaction.activities.map(\.enzyme))).sorted().joined(separator: ", ")
      throw .invalidEnzyme(
        "\(interaction.name) acts on \(theirs), which \(name) does not name; "
          + (enzymes.isEmpty
            ? "it names no enzymes, so an interacting drug cannot change it"
            : "it names: " + enzymes.map(\.name).joined(separator: ", ")))
    }
    for change in applicable { try apply(change, to: &subject) }
    return interaction.activities.filter { !named.contains($0.enzyme) }
  }
}
