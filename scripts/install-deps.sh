#!/usr/bin/env bash
# Installs what a fresh Debian machine with the Swift toolchain lacks to build and test Switchboard.
# Idempotent: skips what is already there. Uses sudo for apt-get when not run as root.
set -euo pipefail

need_apt=()
for pkg in libsqlite3-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ "${1:-}" = "--test" ]; then
  command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)
  # The HTTPS end-to-end test makes a self-signed certificate with openssl.
  command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
fi
# Browser tests (integration/browser): Debian's Chromium and its driver, and Node for the bridge.
need_browser=()
if [ "${1:-}" = "--test" ]; then
  for pkg in chromium chromium-driver; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_browser+=("$pkg")
  done
  command -v node >/dev/null 2>&1 || need_browser+=(nodejs)
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
  if [ ${#missing_py[@]} -gt 0 ]; then
    python3 -m pip install -q "${missing_py[@]}" || python3 -m pip install -q --break-system-packages "${missing_py[@]}"
  fi
fi
