import ArgumentParser
import Foundation
import JSONRPC
import Logging
import Switchboard

/// `switchboard serve`: JSON-RPC on stdin/stdout until end of input, `exit` or a signal.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve JSON-RPC 2.0 on stdin/stdout (the default).")

  @Option(
    name: .customLong("log-level"),
    help: "trace, debug, info, notice, warning, error or critical (default: warning, or SWITCHBOARD_LOG_LEVEL).")
  var logLevel: String?

  @Option(name: .customLong("clientProcessId"), help: "Exit when this process exits (as LSP servers do).")
  var clientProcessID: Int32?

  @Flag(name: .customLong("stdio"), help: "Accepted for LSP compatibility; stdio is the only transport.")
  var stdio = false

  func validate() throws {
    if let logLevel, Logger.Level(rawValue: logLevel.lowercased()) == nil {
      throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
    }
  }

  func run() throws {
    Self.serve(logLevel: logLevel, clientProcessID: clientProcessID)
  }

  /// Serves until the connection ends, then exits the process with its status.
  static func serve(logLevel: String?, clientProcessID: Int32?) -> Never {
    StdioProcess.ignoreSIGPIPE()
    let protocolOutput = StdioProcess.protectStandardOutput()
    let environment = ProcessInfo.processInfo.environment
    let level = LogSetup.level(flag: logLevel, environment: environment)
    LogSetup.bootstrap(level: level)
    let logger = Logger(label: "switchboard")

    let service = SwitchboardService(configuration: EnvironmentConfiguration.service(environment), logger: logger)
    let connectionBox = ConnectionBox()
    let watcher = ParentProcessWatcher { reason in
      // Logged at warning (the default level): an exit the host did not ask for must leave a trace.
      logger.warning("Exiting: \(reason)")
      connectionBox.connection?.stop(.stopped(reason))
    }
    let watchClient: @Sendable (Int32, String) -> Void = { pid, source in
      if !watcher.watch(pid) {
        logger.warning(
          "Not watching \(source) \(pid): no such process is visible here (the host may run in another PID namespace, e.g. Flatpak, Snap or a container)"
        )
      }
    }
    if let clientProcessID { watchClient(clientProcessID, "--clientProcessId") }

    let engineLogger = Logger(label: "switchboard.jsonrpc")
    let configuration = Connection.Configuration(
      serverName: "switchboard", serverVersion: SwitchboardVersion.current,
      protocolVersion: SwitchboardVersion.protocolVersion,
      capabilities: service.capabilities,
      documentTitle: "Switchboard",
      documentDescription:
        "Manage Vapi voice numbers (and numbers brought from Twilio) without handing secrets to the host.",
      log: EngineLog(minimumLevel: LogLevel(level)) { level, message in
        engineLogger.log(level: Logger.Level(level), "\(message)")
      },
      onClientProcessID: { pid in watchClient(pid, "initialize.processId") })
    let connection = Connection(
      input: STDIN_FILENO, output: protocolOutput, router: MethodTable.router(for: service),
      configuration: configuration)
    connectionBox.connection = connection
    let signals = TerminationSignals { number in
      logger.notice("Exiting on signal \(number)")
      connection.stop(.stopped("signal \(number)"))
    }
    let reason = connection.run()
    withExtendedLifetime(signals) {}
    service.close()
    logger.debug("Connection ended: \(String(describing: reason))")
    LogSetup.flush()
    Foundation.exit(reason.exitStatus)
  }
}

/// Lets callbacks created before the connection reach it.
final class ConnectionBox: @unchecked Sendable {
  private let lock = NSLock()
  private weak var _connection: Connection?
  var connection: Connection? {
    get { lock.withLock { _connection } }
    set { lock.withLock { _connection = newValue } }
  }
}

/// The engine's levels are swift-log's, in the same order (`LogLevelTests` checks the names).
extension LogLevel {
  init(_ level: Logger.Level) {
    self = LogLevel.allCases[Logger.Level.allCases.firstIndex(of: level)!]
  }
}

extension Logger.Level {
  init(_ level: LogLevel) {
    self = Logger.Level.allCases[LogLevel.allCases.firstIndex(of: level)!]
  }
}
