#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: Debian packages, the Python venv, Allure 3 from npm.
# Quick when everything is already there: each layer is checked before anything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
fail() { printf '\033[31m[setup] FAILED:\033[0m %s\n' "$*" >&2; exit 1; }

# chromium-headless-shell runs the headless journey; full chromium the headed walk and the real extension
# (wiring/chromium.py says which need uses which).
DEB_PACKAGES=(pcscd vsmartcard-vpcd chromium chromium-headless-shell fonts-noto-cjk opensc opensc-pkcs11 pcsc-tools swig libpcsclite-dev gcc libc6-dev)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || fail "not root and no sudo: install ${DEB_PACKAGES[*]} by hand, then re-run"
  SUDO="sudo"
fi

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq || fail "apt-get update (is the Debian mirror reachable?)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || fail "apt-get install ${missing[*]}"
else
  say "Debian packages present"
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || fail "$PY is older than 3.11"
stamp=.venv/.setup-stamp
want=$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "creating the virtual environment and installing Python packages (pyscard builds from source)"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv || fail "python3 -m venv .venv"
  log=.venv/pip-install.log
  .venv/bin/pip install -q --upgrade pip >"$log" 2>&1 || { cat "$log"; fail "pip upgrade"; }
  .venv/bin/pip install -q -e '.[dev]' >>"$log" 2>&1 || { tail -40 "$log"; fail "pip install -e .[dev] (full log: $log)"; }
  echo "$want" > "$stamp"
else
  say "Python packages present"
fi

if [ ! -x node_modules/.bin/allure ] || [ package.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null || fail "npm not found: install Node.js 20+"
  say "installing Allure 3 from npm"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi \
    || fail "npm install (Allure 3)"
else
  say "Allure 3 present"
fi
say "ready"
