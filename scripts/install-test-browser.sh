#!/usr/bin/env bash
# Installs the browser the end-to-end tests drive. Playwright cannot download its own build on
# our machines, so the tests use Debian's Chromium (or whatever CHROMIUM_PATH points at).
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
  echo "Using CHROMIUM_PATH=$CHROMIUM_PATH"; exit 0
fi
if command -v chromium >/dev/null 2>&1; then
  echo "Chromium already installed: $(chromium --version 2>/dev/null || command -v chromium)"; exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian's chromium package (needed by the Playwright tests)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
chromium --version
