/// The version reported by `--version`, `initialize` and `rpc.discover`.
public enum SwitchboardVersion {
  public static let current = "0.1.0"
  /// The protocol revision described by protocol.md.
  public static let protocolVersion = "2026-11-25"
}
