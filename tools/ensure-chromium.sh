#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests (Playwright drives it) and for
# `ockit handout` (it prints the case sheets to PDF), and poppler-utils (pdftotext, pdfinfo,
# pdftoppm), with which the tests read those PDFs back.
# Playwright's own browser download does not work offline, so we never run `playwright install`.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
{ command -v pdftotext && command -v pdftoppm && command -v pdfinfo; } >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installation de ${missing[*]} (paquets Debian) pour les tests dans un navigateur et des PDF..."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Il manque ${missing[*]} et il faut être root (ou avoir sudo) pour l'installer : apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
command -v chromium >/dev/null && command -v pdftotext >/dev/null
