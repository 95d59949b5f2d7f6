# Shared by the scripts in this folder; source it, do not run it.
# Puts cargo's install folder on PATH, as a login shell of rustup would.

if [[ -d "${CARGO_HOME:-$HOME/.cargo}/bin" ]]; then
  PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  export PATH
fi

log() { printf '==> %s\n' "$*"; }

die() {
  printf '\nerror (%s): %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}

# require COMMAND HINT: stop with HINT when COMMAND is not on PATH.
require() {
  command -v "$1" >/dev/null || die "'$1' not found: $2"
}
