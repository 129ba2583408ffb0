// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Switchboard",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "switchboard", targets: ["switchboard-cli"]),
    .library(name: "JSONRPC", targets: ["JSONRPC"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
  ],
  targets: [
    // The JSON-RPC 2.0 engine: JSON, framing, connection, router, OpenRPC. Foundation only.
    .target(name: "JSONRPC"),
    // HTTP to Vapi and Twilio over URLSession: retry policy, error mapping, wire models
    // (read with JSONRPC's selective JSONReader).
    .target(name: "Telephony", dependencies: ["JSONRPC"]),
    // The credential store: GRDB, migrations, AES-GCM sealing, profiles, ledger, idempotency.
    .target(
      name: "Vault",
      dependencies: [
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // The service: RPC methods, validation, error catalogue, wiring of Vault and Telephony.
    .target(
      name: "Switchboard",
      dependencies: [
        "JSONRPC", "Telephony", "Vault",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The MCP face (`switchboard mcp`): the service's methods as MCP tools, over the official Swift SDK.
    .target(
      name: "SwitchboardMCP",
      dependencies: [
        "Switchboard", "JSONRPC",
        .product(name: "MCP", package: "swift-sdk"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The `switchboard` executable. Its folder is not `Sources/switchboard`: on a case-insensitive
    // file system (macOS's default) that would be the same folder as `Sources/Switchboard`.
    .executableTarget(
      name: "switchboard-cli",
      dependencies: [
        "Switchboard", "JSONRPC", "Vault", "SwitchboardMCP",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"]),
    .testTarget(name: "TelephonyTests", dependencies: ["Telephony"]),
    .testTarget(name: "VaultTests", dependencies: ["Vault", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(name: "SwitchboardTests", dependencies: ["Switchboard", "JSONRPC"]),
    .testTarget(name: "SwitchboardMCPTests", dependencies: ["SwitchboardMCP", "JSONRPC"]),
  ]
)
