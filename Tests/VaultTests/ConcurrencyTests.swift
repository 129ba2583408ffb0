import Foundation
import XCTest

@testable import Vault

/// Collects errors from concurrent workers.
private final class ErrorLog: @unchecked Sendable {
  private let lock = NSLock()
  private var errors: [String] = []
  func add(_ error: Error) { lock.withLock { errors.append("\(error)") } }
  var all: [String] { lock.withLock { errors } }
}

final class ConcurrencyTests: VaultTestCase {
  /// Two vault instances (two independent `DatabasePool`s, as two processes
  /// would have) on one home, 1,000 credential updates and 1,000 ledger rows
  /// each, at the same time: nothing is lost and nothing throws.
  func testTwoInstancesWritingConcurrentlyLoseNothing() throws {
    let writes = 1_000
    let vaults = [try openVault(), try openVault()]
    let profiles = ["alpha", "bravo"]
    let errors = ErrorLog()
    let started = Date()
    DispatchQueue.concurrentPerform(iterations: 2) { worker in
      let vault = vaults[worker]
      let profile = profiles[worker]
      for i in 0..<writes {
        do {
          let state = try vault.updateCredentials(
            profile: profile, changes: [.vapiPrivateKey: "\(profile)-\(i)", .twilioAuthToken: "t-\(i)"])
          if state.values[.vapiPrivateKey] != "\(profile)-\(i)" {
            errors.add(VaultError.io("\(profile) write \(i) not visible"))
          }
          try vault.recordOperation(
            NewOperation(profile: profile, method: "updateNumber", target: "\(i)", outcome: .succeeded))
        } catch {
          errors.add(error)
        }
      }
    }
    XCTAssertEqual(errors.all, [])
    print("two instances × \(writes) × 2 writes: \(String(format: "%.2f", Date().timeIntervalSince(started))) s")

    let check = try openVault()
    for profile in profiles {
      let creds = try check.readCredentials(profile: profile)
      XCTAssertEqual(creds.values[.vapiPrivateKey], "\(profile)-\(writes - 1)")
      XCTAssertEqual(creds.values[.twilioAuthToken], "t-\(writes - 1)")
      let ledger = try check.operations(profile: profile, limit: 10_000)
      XCTAssertEqual(ledger.count, writes)
      XCTAssertEqual(Set(ledger.map(\.target)), Set((0..<writes).map(String.init)))
    }
    XCTAssertEqual(try check.listProfiles().map(\.name), profiles)
  }

  /// Many tasks on one instance, mixing reads and writes on several profiles.
  func testManyTasksOnOneInstance() async throws {
    let vault = try openVault()
    try await withThrowingTaskGroup(of: Void.self) { group in
      for task in 0..<16 {
        group.addTask {
          let profile = "p\(task % 4)"
          for i in 0..<25 {
            try vault.updateCredentials(profile: profile, changes: [.transferPhoneNumber: "+1555\(task)\(i)"])
            _ = try vault.readCredentials(profile: profile)
            try vault.recordOperation(
              NewOperation(profile: profile, method: "m", target: "\(task)-\(i)", outcome: .succeeded))
          }
        }
      }
      try await group.waitForAll()
    }
    for p in 0..<4 {
      XCTAssertEqual(try vault.operations(profile: "p\(p)", limit: 1_000).count, 4 * 25)
      XCTAssertNotNil(try vault.readCredentials(profile: "p\(p)").values[.transferPhoneNumber])
    }
  }
}

/// Real separate processes: the test binary re-runs itself with a filter
/// selecting ``testWorker``, which acts as a vault client when the worker
/// environment variables are set.
final class MultiProcessTests: VaultTestCase {
  private static let homeVariable = "VAULT_TEST_WORKER_HOME"
  private static let profileVariable = "VAULT_TEST_WORKER_PROFILE"
  private static let countVariable = "VAULT_TEST_WORKER_COUNT"
  private static let resultVariable = "VAULT_TEST_WORKER_RESULT"

  /// Worker entry point; skipped in a normal run.
  func testWorker() throws {
    let env = ProcessInfo.processInfo.environment
    guard let homePath = env[Self.homeVariable], let profile = env[Self.profileVariable],
      let count = env[Self.countVariable].flatMap(Int.init), let resultPath = env[Self.resultVariable]
    else {
      throw XCTSkip("only runs as a worker process spawned by testTwoProcessesOnAFreshHome")
    }
    // Both workers open a home that does not exist yet, with a generated key file:
    // creation, migration and key generation race too.
    let vault = try Vault.open(home: URL(fileURLWithPath: homePath), masterKey: .file)
    XCTAssertNil(vault.lockReason)
    let begin = try vault.beginIdempotent(profile: "shared", key: "same-key", method: "createNumber", fingerprint: "f")
    for i in 0..<count {
      try vault.updateCredentials(profile: profile, changes: [.vapiPrivateKey: "\(profile)-\(i)"])
      try vault.recordOperation(
        NewOperation(profile: profile, method: "createNumber", target: "\(i)", outcome: .succeeded))
    }
    try Data((begin == .started ? "started" : "other").utf8).write(to: URL(fileURLWithPath: resultPath))
  }

  func testTwoProcessesOnAFreshHome() throws {
    #if os(Linux)
    let executable = URL(fileURLWithPath: CommandLine.arguments[0])
    guard executable.path.hasSuffix(".xctest") else {
      throw XCTSkip("cannot re-run the test binary from \(executable.path)")
    }
    let count = 1_000
    let profiles = ["proc-a", "proc-b"]
    let processes = profiles.map { profile -> Process in
      let process = Process()
      process.executableURL = executable
      process.arguments = ["VaultTests.MultiProcessTests/testWorker"]
      var env = ProcessInfo.processInfo.environment
      env[Self.homeVariable] = home.path
      env[Self.profileVariable] = profile
      env[Self.countVariable] = String(count)
      env[Self.resultVariable] = sandbox.appendingPathComponent("\(profile).result").path
      process.environment = env
      process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
      process.standardError = FileHandle(forWritingAtPath: "/dev/null")
      return process
    }
    let started = Date()
    for process in processes { try process.run() }
    for process in processes { process.waitUntilExit() }
    print("two processes × \(count) × 2 writes: \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
    for process in processes {
      XCTAssertEqual(process.terminationStatus, 0, "a worker failed")
    }
    let results = try profiles.map {
      try String(contentsOf: sandbox.appendingPathComponent("\($0).result"), encoding: .utf8)
    }
    XCTAssertEqual(results.filter { $0 == "started" }.count, 1, "exactly one process starts the shared key")

    let vault = try openVault(.file)
    XCTAssertNil(vault.lockReason, "both processes must have used the same generated key")
    for profile in profiles {
      XCTAssertEqual(try vault.readCredentials(profile: profile).values[.vapiPrivateKey], "\(profile)-\(count - 1)")
      XCTAssertEqual(try vault.operations(profile: profile, limit: 10_000).count, count)
    }
    XCTAssertEqual(try mode(home.path), 0o700)
    XCTAssertEqual(try mode(databasePath), 0o600)
    XCTAssertEqual(try mode(masterKeyPath), 0o600)
    #else
    throw XCTSkip("re-running the test bundle as a worker is implemented for Linux only")
    #endif
  }
}
