#!/usr/bin/env bash
# Regenerates the page pictures shown in the README (docs/images/) from the
# damaged-parcel sample, with dossier's own build and preview commands.
# Usage: bash scripts/readme_images.sh   (PYTHON=... to choose the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

"$python" -m dossier build samples/damaged-parcel -o "$scratch/dossier.pdf" -q
# Page 1: the formal notice; 3: the order summary; 4: the index; 7: a photo exhibit.
"$python" -m dossier preview "$scratch/dossier.pdf" -o docs/images --pages 1,3,4,7 --dpi 55
rm -f docs/images/.dossier-preview  # the marker that keeps pictures out of a build
du -ch docs/images/page-*.png | tail -1
