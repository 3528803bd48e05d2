import Foundation
import PKCore

/// Reads an interaction data file (YAML, `Models/interactions/NAME.yaml`) into an
/// `Interaction`, with located errors.
///
/// ```yaml
/// name: clarithromycin
/// description: "CYP3A4 mechanism-based inhibitor, 500 mg twice daily"
/// enzymes:
///   - {enzyme: CYP3A4, site: liver, activity: 0.346}   # site: liver, gut or both
///   - {enzyme: CYP3A4, site: gut, activity: 0.236}
/// derivation: "how the activities follow from the probe study"
/// citation: "the probe-substrate study"
/// ```
public enum InteractionFileReader {
  /// Reads and checks the interaction file at `path`.
  public static func read(path: String) throws(InputError) -> Interaction {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw InputError(source: path, message: "cannot read the interaction file (\(_reason(error)))")
    }
    return try parse(yaml: text, file: path)
  }

  /// Parses interaction YAML; `file` names the source in errors.
  public static func parse(yaml: String, file: String) throws(InputError) -> Interaction {
    let root = try LocatedNode.parse(yaml: yaml, file: file)
    try root.checkKeys(["name", "description", "regimen", "enzymes", "derivation", "citation", "notes"])
    var activities: [EnzymeActivity] = []
    let list = try root.required("enzymes", "a list of {enzyme, site, activity}")
    for node in try list.sequence() {
      try node.checkKeys(["enzyme", "site", "activity", "source"])
      let siteNode = try node.required("site", "liver, gut or both")
      let sites: [EnzymeSite]
      switch try siteNode.string() {
      case "both": sites = EnzymeSite.allCases
      case let s:
        guard let site = EnzymeSite(rawValue: s) else {
          throw siteNode.error("expected liver, gut or both, found \(siteNode.kind)")
        }
        sites = [site]
      }
      let activityNode = try node.required("activity", "a multiple of normal activity above 0, e.g. 0.2")
      let activity = try activityNode.number()
      guard activity > 0 else {
        throw activityNode.error(
          "expected an activity above 0 (1 normal, 0.2 inhibited, 3 induced), found \(activity)")
      }
      activities.append(
        EnzymeActivity(
          enzyme: try node.required("enzyme", "an enzyme name such as CYP3A4").string(), activity: activity,
          sites: sites))
    }
    if activities.isEmpty { throw list.error("is empty; expected at least one enzyme") }
    return Interaction(
      name: try root.required("name", "the name used by --with").string(),
      description: try root.required("description", "what the drug does, at what regimen").string(),
      activities: activities,
      derivation: try root.required("derivation", "how the activities follow from the study").string(),
      citation: try root.required("citation", "the probe-substrate study").string())
  }
}
