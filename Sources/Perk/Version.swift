/// Perk's version, as `perk --version` prints it. The minor number follows
/// the capabilities landed (the campaign journal is the twelfth issue).
public enum PerkVersion {
    public static let current = "0.14.0"
}
