#!/usr/bin/env bash
# The whole test suite: the format check, Swift unit tests, then end-to-end tests that spawn the built binary
# (Python, against a fake Vapi/Twilio server on 127.0.0.1). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --test

echo "== format check (swift format lint, .swift-format)"
swift format lint --strict --recursive Sources Tests Package.swift

echo "== swift build"
swift build --product switchboard
echo "== swift test"
swift test

echo "== end-to-end tests (pytest)"
export SWITCHBOARD_BIN="$PWD/.build/debug/switchboard"
python3 -m pytest -q -p no:cacheprovider integration/fake_upstream integration/e2e

echo "== web page and bridge tests (pytest, headless Chromium)"
python3 -m pytest -q -p no:cacheprovider integration/browser

echo "== MCP tests (pytest, the official MCP Python SDK as the client)"
python3 -m pytest -q -p no:cacheprovider integration/mcp

echo "== command-line tests (pytest; tmux for the terminal ones)"
python3 -m pytest -q -p no:cacheprovider integration/cli
echo "== clients: Python (pytest; includes the generated-files drift check) and Node (node --test, tsc)"
python3 -m pytest -q -p no:cacheprovider clients/python/tests
node --test clients/node/test/*.test.js
