#!/usr/bin/env bash
# Installs what a fresh Debian machine with the Swift toolchain lacks to build and test Switchboard.
# Idempotent: skips what is already there. Uses sudo for apt-get when not run as root.
set -euo pipefail

need_apt=()
# libsqlite3-dev: the embedded store.
for pkg in libsqlite3-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ "${1:-}" = "--test" ]; then
  command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)
  # The command line's terminal tests (integration/cli) drive it through tmux.
  command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)
  # clients/: the Node client's tests (node --test) and its type-check (Debian's tsc)
  command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
  command -v tsc >/dev/null 2>&1 || need_apt+=(node-typescript)
  # The HTTPS end-to-end test makes a self-signed certificate with openssl.
  command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
fi
# Browser tests (integration/browser): Debian's Chromium and its driver (Node, for the bridge, is above).
need_browser=()
if [ "${1:-}" = "--test" ]; then
  for pkg in chromium chromium-driver; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_browser+=("$pkg")
  done
fi
if [ ${#need_apt[@]} -gt 0 ] || [ ${#need_browser[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  if [ ${#need_apt[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
  fi
  if [ ${#need_browser[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_browser[@]}"
  fi
fi

if [ "${1:-}" = "--test" ]; then
  missing_py=()
  python3 -c 'import pytest' 2>/dev/null || missing_py+=(pytest)
  python3 -c 'import jsonschema' 2>/dev/null || missing_py+=(jsonschema)
  python3 -c 'import selenium' 2>/dev/null || missing_py+=(selenium)
  # the official MCP Python SDK, as the client of integration/mcp (its 2.x API)
  python3 -c 'import importlib.metadata as m; assert int(m.version("mcp").split(".")[0]) == 2' 2>/dev/null \
    || missing_py+=('mcp>=2.3,<3')
  python3 -c 'import pygls.client' 2>/dev/null || missing_py+=(pygls)  # a real LSP-style client (engine interop test)
  if [ ${#missing_py[@]} -gt 0 ]; then
    python3 -m pip install -q "${missing_py[@]}" || python3 -m pip install -q --break-system-packages "${missing_py[@]}"
  fi
fi

if [ "${1:-}" = "--test" ]; then
  # clients/python is tested as installed (pip install ./clients/python); reinstalled when the
  # installed copy differs from the source.
  clients_python="$(cd "$(dirname "$0")/.." && pwd)/clients/python"
  if ! python3 - "$clients_python/switchboard_client" <<'PY' 2>/dev/null
import importlib.util, pathlib, sys
spec = importlib.util.find_spec("switchboard_client")
source = pathlib.Path(sys.argv[1])
if spec is None or spec.origin is None:
    sys.exit(1)
installed = pathlib.Path(spec.origin).parent
names = [p.name for p in source.iterdir() if p.suffix in (".py", ".typed")]
sys.exit(0 if all((installed / n).is_file() and (installed / n).read_bytes() == (source / n).read_bytes() for n in names) else 1)
PY
  then
    pip_install() { python3 -m pip install -q "$@" || python3 -m pip install -q --break-system-packages "$@"; }
    pip_install --no-deps --disable-pip-version-check "$clients_python"
  fi
fi
