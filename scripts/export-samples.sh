#!/usr/bin/env bash
# Exports the demo workshop board in every format into target/export-samples/
# and renders the first pages of the Word and PDF documents to PNG, so a
# person can look at them. Needs scripts/setup.sh to have run.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/export-samples
lib=$(mktemp -d)
trap 'rm -rf "$lib"' EXIT
mkdir -p "$out"
cargo build -q -p stellwand-cli
cli() { target/debug/stellwand-cli --data-dir "$lib" "$@"; }

board=$(cli --json demo | sed -n 's/.*"created": "\(.*\)".*/\1/p')
[ -n "$board" ] || { echo "the demo board was not created" >&2; exit 1; }
for format in docx pdf md csv xlsx png svg canvas json; do
  cli export "$board" --format "$format" -o "$out/workshop.$format"
done
cli export-folder "AG Technik" --format pdf -o "$out/ag-technik.pdf"

# Word as LibreOffice renders it, then the first two pages of both documents.
libreoffice --headless --convert-to pdf --outdir "$out/lo" "$out/workshop.docx" >/dev/null
pdftoppm -png -r 60 -f 1 -l 2 "$out/lo/workshop.pdf" "$out/docx-page"
pdftoppm -png -r 60 -f 1 -l 2 "$out/workshop.pdf" "$out/pdf-page"
ls -1 "$out"
