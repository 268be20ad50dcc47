#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests (Playwright drives it).
# Playwright's own browser download does not work offline, so we never run `playwright install`.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
echo "Installation de Chromium (paquet Debian) pour les tests dans un navigateur..."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Chromium est absent et il faut être root (ou avoir sudo) pour l'installer : apt-get install chromium" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
