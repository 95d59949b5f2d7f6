#!/usr/bin/env bash
# Sets up the machine, builds Stellwand and opens the desktop app on a demo
# library with example boards.
#
#   STELLWAND_DEMO_DIR      library folder (default: target/demo-library)
#   STELLWAND_DEMO_SECONDS  quit the app after this many seconds (default: run
#                           until the window is closed or Ctrl-C)
#
# Without a display (no $DISPLAY or $WAYLAND_DISPLAY) the app runs on a private
# Xvfb screen and a screenshot is saved to target/demo/screenshot.png.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DEMO_DIR="${STELLWAND_DEMO_DIR:-$CARGO_TARGET_DIR/demo-library}"
DEMO_SECONDS="${STELLWAND_DEMO_SECONDS:-}"

bash scripts/setup.sh
log "building the front end"
npm --prefix ui run build || die "npm run build in ui/ failed"
log "building the desktop app"
cargo build --bin stellwand || die "cargo build of the desktop app failed"

mkdir -p "$DEMO_DIR"
if [[ -f crates/cli/Cargo.toml ]]; then
  log "seeding the demo library in $DEMO_DIR"
  cargo run -p stellwand-cli -- --data-dir "$DEMO_DIR" demo ||
    die "seeding the demo library failed (stellwand-cli demo)"
else
  log "crates/cli does not exist yet: the app starts on an empty library in $DEMO_DIR"
fi

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

headless=false
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  headless=true
  display_file="$(mktemp)"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$display_file" &
  pids+=("$!")
  for _ in $(seq 150); do
    [[ -s $display_file ]] && break
    sleep 0.1
  done
  [[ -s $display_file ]] || die "Xvfb did not start"
  export DISPLAY=":$(tr -d '[:space:]' <"$display_file")"
  rm -f "$display_file"
  log "no display found: running on Xvfb $DISPLAY"
fi

log "starting Stellwand on $DEMO_DIR"
cargo run --bin stellwand -- --data-dir "$DEMO_DIR" &
app=$!
pids+=("$app")

if $headless; then
  mkdir -p "$CARGO_TARGET_DIR/demo"
  sleep 8
  import -window root "$CARGO_TARGET_DIR/demo/screenshot.png" &&
    log "screenshot: $CARGO_TARGET_DIR/demo/screenshot.png"
fi

if [[ -n $DEMO_SECONDS ]]; then
  sleep "$DEMO_SECONDS"
  log "stopping after $DEMO_SECONDS s"
  kill "$app" 2>/dev/null || true
fi
wait "$app" || true
