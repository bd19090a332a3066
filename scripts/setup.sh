#!/usr/bin/env bash
# One-time machine set-up for MlLinearized, then restore and build.
#
# TorchSharp 0.107's native library (libLibTorchSharp.so) needs libstdc++ with GLIBCXX_3.4.32 (GCC 13+).
# Debian 12 ships GLIBCXX_3.4.30, and TorchSharp then fails with the misleading message
# "... doesn't contain a reference to libtorch-cpu-linux-x64" (`ldd libLibTorchSharp.so` shows the real cause).
# On Debian 12, and only when the symbol is missing, this script adds the Debian 13 (trixie) suite with a LOW pin
# priority (so nothing else is upgraded from it) and installs libstdc++6 from it (which also lifts libc6).
# Elsewhere it only says what to install. Safe to run again: it does nothing that is already done.
set -euo pipefail

NEEDED_SYMBOL="GLIBCXX_3.4.32"
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[setup] %s\n' "$*"; }

libstdcxx_path() {
  local p
  p=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
  [ -n "$p" ] || p=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6/ {print $NF; exit}')
  printf '%s' "$p"
}

has_symbol() {
  local lib
  lib=$(libstdcxx_path)
  [ -n "$lib" ] && grep -qa "$NEEDED_SYMBOL" "$lib"
}

ensure_libstdcxx() {
  if has_symbol; then
    log "libstdc++ provides $NEEDED_SYMBOL: nothing to install."
    return 0
  fi
  local os_id="" os_ver=""
  if [ -r /etc/os-release ]; then
    os_id=$(. /etc/os-release && printf '%s' "${ID:-}")
    os_ver=$(. /etc/os-release && printf '%s' "${VERSION_ID:-}")
  fi
  if [ "$os_id" != "debian" ] || [ "$os_ver" != "12" ]; then
    log "libstdc++ lacks $NEEDED_SYMBOL, which TorchSharp 0.107 needs."
    log "Install libstdc++ from GCC 13 or newer with your package manager (e.g. Ubuntu 24.04+: libstdc++6), then run again."
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      log "Run as root (or install sudo): libstdc++6 from Debian 13 is needed for $NEEDED_SYMBOL."; return 1
    fi
  fi
  local mirror="http://deb.debian.org/debian"
  local found
  # Reuse the mirror this machine already uses for Debian (URIs: lines of deb822 files, or classic 'deb URL' lines).
  found=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | grep -E '^[[:space:]]*(URIs:|deb[[:space:]])' | grep -oE 'https?://[^ ]+/debian/?' | grep -v security | head -n1 || true)
  [ -n "$found" ] && mirror="${found%/}"
  log "Adding Debian 13 (trixie) from $mirror with pin priority 100, then installing libstdc++6 from it."
  $sudo tee /etc/apt/sources.list.d/mllinearized-trixie.sources >/dev/null <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  $sudo tee /etc/apt/preferences.d/mllinearized-trixie >/dev/null <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  if has_symbol; then
    log "libstdc++ now provides $NEEDED_SYMBOL."
  else
    log "libstdc++6 from trixie was installed but $NEEDED_SYMBOL is still missing."; return 1
  fi
}

ensure_libstdcxx

# The scoring service's browser test (tests/ScoringService.Tests) drives Debian's chromium through Playwright; no
# browser is downloaded. Installed when missing and apt can; otherwise that one test reports itself inconclusive.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    log "chromium is installed: the page's browser test can run."
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      log "chromium is missing and this script cannot install it (not root): the browser test will be skipped. Install it with: sudo apt-get install -y chromium"
      return 0
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "chromium is missing and there is no apt-get: the browser test will be skipped. Install chromium at /usr/bin/chromium to run it."
    return 0
  fi
  log "Installing chromium (for the scoring service's browser test)."
  if ! { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null 2>&1 \
         || { $sudo apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null 2>&1; }; }; then
    log "chromium could not be installed (no network?): the browser test will be skipped."
  fi
}

ensure_chromium

if [ "${SETUP_SKIP_BUILD:-0}" != "1" ]; then
  command -v dotnet >/dev/null 2>&1 || { log "The .NET SDK (10.0) is not on PATH: install it first."; exit 1; }
  cd "$ROOT_DIR"
  # Restore from the package feeds. When nuget.org cannot be reached directly (offline), first from the packages NuGet
  # already holds on this machine (its global packages folder doubles as a local feed; no vulnerability audit, which
  # needs the feed), then from the configured feeds after all (a proxy or a private feed may still reach them).
  packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  if timeout 5 bash -c '</dev/tcp/api.nuget.org/443' 2>/dev/null; then
    log "Restoring MlLinearized.sln from the package feeds."
    dotnet restore MlLinearized.sln -nologo -v quiet
  else
    log "nuget.org cannot be reached directly: restoring from the packages already on this machine ($packages)."
    if ! { [ -d "$packages" ] && dotnet restore MlLinearized.sln -nologo -v quiet --source "$packages" -p:NuGetAudit=false; }; then
      log "Not every package is on this machine; trying the configured package feeds."
      dotnet restore MlLinearized.sln -nologo -v quiet \
        || { log "Restore failed: run this script once with access to nuget.org (or your NuGet feed)."; exit 1; }
    fi
  fi
  log "Building MlLinearized.sln (Release)."
  dotnet build MlLinearized.sln -c Release -nologo -v quiet --no-restore
fi
