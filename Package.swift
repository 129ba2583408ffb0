// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Switchboard",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "switchboard", targets: ["switchboard-cli"]),
    .library(name: "JSONRPC", targets: ["JSON", "JSONRPC"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    // Upstream HTTP (replaces URLSession and its libcurl): statically linked, BoringSSL included.
    .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
  ],
  targets: [
    // JSON: value, parser, writer, the selective reader, the Codable bridges. Foundation only.
    .target(name: "JSON"),
    // The JSON-RPC 2.0 engine: messages, framing, transports, the session, the router, OpenRPC.
    .target(name: "JSONRPC", dependencies: ["JSON"]),
    // HTTP to Vapi and Twilio over AsyncHTTPClient (started lazily): retry policy, the write-outcome
    // rule, error mapping, proxies, wire models (read with JSON's selective reader). Knows nothing of
    // JSON-RPC.
    .target(
      name: "Telephony",
      dependencies: [
        "JSON",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]
    ),
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
        "JSON", "JSONRPC", "Telephony", "Vault",
        .product(name: "Logging", package: "swift-log"),
      ],
      // The `test/*` methods the end-to-end suites use exist in debug builds only: a release build
      // has no code for them, whatever its environment says.
      swiftSettings: [.define("SWITCHBOARD_TEST_HOOKS", .when(configuration: .debug))]
    ),
    // The MCP face (`switchboard mcp`): the service's methods as MCP tools, in an MCP session on the
    // engine's stdio transport (no MCP SDK: the official one links FoundationNetworking and libcurl).
    .target(
      name: "SwitchboardMCP",
      dependencies: [
        "Switchboard", "JSON", "JSONRPC",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The `switchboard` executable. Its folder is not `Sources/switchboard`: on a case-insensitive
    // file system (macOS's default) that would be the same folder as `Sources/Switchboard`.
    .executableTarget(
      name: "switchboard-cli",
      dependencies: [
        "Switchboard", "JSON", "JSONRPC", "Vault", "SwitchboardMCP",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      // Linux, for memory and start-up: export no dynamic symbols (the packages' ~39,000 would be
      // kept resident and searched at every start) and pack the ~137,000 relative relocations
      // (RELR, with lld) instead of reading a 3 MiB table at every start.
      linkerSettings: [
        .unsafeFlags(
          ["-use-ld=lld", "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
          .when(platforms: [.linux]))
      ]
    ),
    .testTarget(name: "JSONTests", dependencies: ["JSON"]),
    .testTarget(name: "JSONRPCTests", dependencies: ["JSON", "JSONRPC"]),
    .testTarget(
      name: "TelephonyTests",
      dependencies: [
        "JSON", "Telephony",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]
    ),
    .testTarget(name: "VaultTests", dependencies: ["Vault", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(name: "SwitchboardTests", dependencies: ["Switchboard", "JSON", "JSONRPC"]),
    .testTarget(
      name: "SwitchboardMCPTests",
      dependencies: [
        "SwitchboardMCP", "Switchboard", "JSON", "JSONRPC", .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(
      name: "SwitchboardCLITests",
      dependencies: [
        "switchboard-cli", "Switchboard", "Telephony", "Vault", "JSONRPC",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
  ]
)
