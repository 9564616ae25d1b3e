#!/usr/bin/env bash
# Headless Chromium for the browser suite (apps/grpc-server/test/browser): Debian's `chromium` package, installed with
# apt-get when the machine has none. The suite fails under CI=true without it (and skips loudly otherwise), so .ci/run
# calls this before `pnpm test`. CHROMIUM_BIN names another binary (the suite uses it too).
set -euo pipefail
BIN="${CHROMIUM_BIN:-chromium}"
if command -v "$BIN" >/dev/null 2>&1; then
  echo "chromium: $("$BIN" --version 2>/dev/null | head -1)"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
echo "chromium: not found, installing Debian's chromium package"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium: $(chromium --version 2>/dev/null | head -1)"
