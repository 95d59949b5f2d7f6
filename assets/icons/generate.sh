#!/usr/bin/env bash
# Draws the Stellwand application icon (a cork pin board with three sticky
# notes and a pin) with ImageMagick and writes every size Tauri needs.
# The PNGs are committed; run this again only to change the motif.
set -euo pipefail
cd "$(dirname "$0")"
command -v convert >/dev/null || { echo "generate.sh: ImageMagick (convert) fehlt: apt-get install imagemagick" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

{
  echo "viewbox 0 0 1024 1024"
  # Frame and cork surface.
  echo "fill '#6e4a22' roundrectangle 48,48 976,976 150,150"
  echo "fill '#c99a5b' roundrectangle 92,92 932,932 112,112"
  # Cork grain: a fixed pseudo-random pattern, so the icon is reproducible.
  echo "fill '#ad7f42'"
  for i in $(seq 1 320); do
    x=$(((i * 7919) % 780 + 122))
    y=$(((i * 104729) % 780 + 122))
    r=$((i % 4 + 5))
    echo "circle $x,$y $((x + r)),$y"
  done
  echo "fill '#dcb57c'"
  for i in $(seq 1 160); do
    x=$(((i * 15485863) % 780 + 122))
    y=$(((i * 32452843) % 780 + 122))
    r=$((i % 3 + 4))
    echo "circle $x,$y $((x + r)),$y"
  done
} >"$work/board.mvg"

# One note: shadow, paper, three lines of "writing", and its pin.
note() { # colour angle dx dy pin
  local colour="$1" angle="$2" dx="$3" dy="$4" pin="$5"
  cat <<MVG
push graphic-context
  translate $dx,$dy
  rotate $angle
  fill '#00000055' rectangle -150,-134 166,182
  fill '$colour' rectangle -160,-150 160,170
  stroke '#00000040' stroke-width 18 stroke-linecap round
  line -105,-40 105,-40
  line -105,25 105,25
  line -105,90 45,90
  stroke none
  fill '#00000055' circle 6,-114 6,-80
  fill '$pin' circle 0,-120 0,-88
  fill '#ffffff99' circle -9,-130 -9,-120
pop graphic-context
MVG
}

{
  note '#8fd3f4' -9 330 360 '#2d6cdf'
  note '#f7a6c9' 8 690 400 '#1f9d55'
  note '#ffe45c' -3 520 650 '#d62828'
} >"$work/notes.mvg"

cat "$work/board.mvg" "$work/notes.mvg" >"$work/icon.mvg"
convert -background none "mvg:$work/icon.mvg" "$work/icon-1024.png"

resize() { convert "$work/icon-1024.png" -filter Lanczos -resize "$1x$1" -strip "PNG32:$2"; }
resize 512 icon.png
resize 256 128x128@2x.png
resize 128 128x128.png
resize 32 32x32.png
echo "Symbole geschrieben: $(ls ./*.png | tr '\n' ' ')"
