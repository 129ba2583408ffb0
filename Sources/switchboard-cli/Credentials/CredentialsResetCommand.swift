import ArgumentParser
import Foundation
import JSONRPC
import Switchboard
import Vault

/// `switchboard credentials reset`: recovery from a lost or wrong master key.
struct CredentialsResetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset",
    abstract: "Recover a locked store: drop the sealed credentials and start a new master key.",
    discussion: """
      When master.key is lost (or no longer matches the store), the store is locked and every command \
      exits 81. reset drops the stored secrets that can no longer be opened, keeps every profile, the \
      operation history and idempotency records, and starts a new key (a new master.key, or the key in \
      SWITCHBOARD_MASTER_KEY). Enter the credentials again afterwards with `switchboard credentials set`. \
      It refuses to run on a store that opens (use `credentials clear` to forget credentials).

      Asks for RESET to be typed; --yes skips the question (scripts).
      """)

  @Flag(help: "Do not ask for confirmation.")
  var yes = false

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    CLIService.bootstrapLogging(environment)
    let home = EnvironmentConfiguration.home(environment)
    let source = EnvironmentConfiguration.masterKey(environment)
    let preview: VaultResetPreview
    do {
      preview = try Vault.resetPreview(home: home, masterKey: source)
    } catch {
      fail(error)
    }
    guard let reason = preview.lockReason else {
      Terminal.writeError(
        "switchboard: the credential store opens with its key: there is nothing to reset.\n"
          + "  To forget a profile's credentials: switchboard credentials clear --profile NAME\n")
      CLIService.exitNow(ExitStatus.usage)
    }
    Terminal.writeError("The credential store is locked (\(reason.rawValue)).\n")
    Terminal.writeError(
      "reset drops \(preview.sealedFields) stored credential value(s) of \(preview.profiles.count) profile(s) "
        + "(\(preview.profiles.joined(separator: ", "))), keeps the profiles and \(preview.operations) ledger row(s), "
        + "and starts a new master key.\n")
    if !yes {
      let answer = (try? Prompt.read("Type RESET to continue: ", echo: true)) ?? ""
      guard answer == "RESET" else {
        Terminal.writeError("Nothing was changed.\n")
        CLIService.exitNow(ExitStatus.invalidParams)
      }
    }
    do {
      let report = try Vault.resetLockedCredentials(home: home, masterKey: source)
      Terminal.writeOutput(
        "Dropped \(report.droppedFields) credential value(s); kept \(report.profiles.count) profile(s) and the ledger. "
          + "New master key in place. Enter credentials again with: switchboard credentials set\n")
    } catch {
      fail(error)
    }
  }

  private func fail(_ error: any Error) -> Never {
    if let resetError = error as? VaultResetError {
      Terminal.writeError("switchboard: \(resetError)\n")
      CLIService.exitNow(resetError == .notLocked ? ExitStatus.usage : ExitStatus.vaultLocked)
    }
    if let convertible = error as? any RPCErrorConvertible {
      CLIService.report(convertible.rpcError, format: .text)
      CLIService.exitNow(ExitStatus.forError(convertible.rpcError))
    }
    Terminal.writeError("switchboard: \(error)\n")
    CLIService.exitNow(ExitStatus.vaultUnavailable)
  }
}
