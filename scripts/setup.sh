#!/usr/bin/env bash
# Installs everything Stellwand needs to build, test and run, on Debian 12 as
# root: Debian packages, the Node modules of ui/, and cargo tools.
# Idempotent: whatever is already there is skipped, so a second run takes
# seconds. Only Debian's, npm's and crates.io's registries are used.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

# Debian packages, by purpose.
APT_PACKAGES=(
  # Building the Tauri desktop app (WebKitGTK, GTK, tray, SVG, HTTP, TLS).
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev
  librsvg2-dev libsoup-3.0-dev build-essential pkg-config libssl-dev
  # Driving the real desktop window in end-to-end tests.
  webkit2gtk-driver xvfb xauth
  # Looking at what users see: screenshots, PDF pages, fonts.
  imagemagick poppler-utils fonts-dejavu-core fonts-noto-color-emoji
  # Document export tests (Word to PDF).
  libreoffice-writer-nogui libreoffice-calc-nogui
  # The browser client's tests.
  chromium chromium-driver
  # Local-network discovery tests, run in a network namespace of their own.
  iproute2 util-linux
)

# Node 20.19 is the oldest that Vite 8 runs on.
NODE_MIN_MAJOR=20
NODE_MIN_MINOR=19

install_debian_packages() {
  local missing=() package
  for package in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    log "Debian packages: all ${#APT_PACKAGES[@]} present"
    return
  fi
  [[ $(id -u) -eq 0 ]] || die "Debian packages missing (${missing[*]}); run this script as root"
  log "Debian packages: installing ${missing[*]}"
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    die "apt-get install failed for: ${missing[*]}"
}

check_toolchains() {
  require cargo "the Rust toolchain (rustup) is expected on this machine"
  cargo fmt --version >/dev/null 2>&1 || die "rustfmt is missing: rustup component add rustfmt"
  cargo clippy --version >/dev/null 2>&1 || die "clippy is missing: rustup component add clippy"
  require node "Node.js >= $NODE_MIN_MAJOR.$NODE_MIN_MINOR is expected on this machine"
  require npm "npm is expected next to Node.js"
  local version major minor
  version="$(node --version)"
  IFS=. read -r major minor _ <<<"${version#v}"
  if ((major < NODE_MIN_MAJOR || (major == NODE_MIN_MAJOR && minor < NODE_MIN_MINOR))); then
    die "Node.js $version is too old; ui/ needs >= $NODE_MIN_MAJOR.$NODE_MIN_MINOR"
  fi
  log "toolchains: $(cargo --version), node $version, npm $(npm --version)"
}

# npm ci in one folder, skipped while its package-lock.json is unchanged.
install_node_modules_in() {
  local dir="$ROOT/$1" stamp want
  [[ -f "$dir/package-lock.json" ]] || return 0
  stamp="$dir/node_modules/.stellwand-lock.sha256"
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    log "$1/node_modules: up to date with package-lock.json"
    return
  fi
  log "$1/node_modules: npm ci"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in $1/ failed"
  echo "$want" >"$stamp"
}

install_node_modules() {
  # The front end, the Yjs interop tests, the desktop end-to-end tests.
  install_node_modules_in ui
  install_node_modules_in tests/interop
  install_node_modules_in tests/e2e
}

install_cargo_tools() {
  if command -v tauri-driver >/dev/null; then
    log "tauri-driver: present"
  else
    log "tauri-driver: cargo install tauri-driver --locked"
    cargo install tauri-driver --locked || die "cargo install tauri-driver failed"
  fi
  command -v WebKitWebDriver >/dev/null || die "WebKitWebDriver is missing (package webkit2gtk-driver)"
}

started=$SECONDS
install_debian_packages
check_toolchains
install_node_modules
install_cargo_tools
log "done in $((SECONDS - started)) s"
